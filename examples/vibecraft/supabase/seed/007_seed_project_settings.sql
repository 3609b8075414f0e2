-- Seed: 007_seed_project_settings.sql
-- Description: Settings of three projects; Portfolio Site (10..02) has none yet and uses the defaults.
-- Date: 2026-11-22

insert into public.project_settings (id, project_id, default_model, temperature, visibility, settings)
values
  ('50000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 'gpt-4o', 0.80, 'team',
   '{"theme": "peach", "preview": {"device": "tablet", "orientation": "landscape"}, "build": {"node": "20", "output": "standalone"}, "ai": {"context_documents": 3, "auto_apply_changes": false}}'),
  ('50000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000003', 'llama3.1:8b', 0.40, 'private',
   '{"preview": {"device": "phone"}, "ai": {"prefer_local": true}}'),
  ('50000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000004', 'gpt-4o', 0.70, 'unlisted',
   '{"preview": {"device": "desktop"}}');
