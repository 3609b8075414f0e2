-- Seed: 004_seed_documentation.sql
-- Description: 6 docs (one soft-deleted after its release), 5 help articles (3 published, 1 draft, 1 published but
--              soft-deleted) and 2 releases made with create_release_snapshot(): 0.1.0 snapshots three docs,
--              0.2.0 (current) two, so documentation_versions has 5 rows.
--              Re-running this file adds nothing: the snapshots are only taken when the release does not exist.
-- Date: 2026-11-22

insert into public.documentation (id, slug, title, content, category, author_id)
values
  ('30000000-0000-0000-0000-000000000001', 'getting-started',       'Getting started with Renubu',     'Connect your CRM, import customers and assign CSMs. Renewals inside 120 days appear on the dashboard.', 'onboarding',   '00000000-0000-0000-0000-000000000001'),
  ('30000000-0000-0000-0000-000000000002', 'workflow-engine',       'How the workflow engine works',   'Each workflow execution walks through slides; tasks can be snoozed, skipped or completed. Actions are logged.', 'architecture', '00000000-0000-0000-0000-000000000001'),
  ('30000000-0000-0000-0000-000000000003', 'renewal-playbook',      'Renewal playbook',                'At 90 days: review usage and risk score. At 60 days: meet the economic buyer. At 30 days: send the proposal.', 'playbooks',    '00000000-0000-0000-0000-000000000002'),
  ('30000000-0000-0000-0000-000000000004', 'mcp-integrations',      'MCP integrations and OAuth',      'Integrations are installed per user. OAuth tokens are encrypted at rest with pgcrypto and never leave the server.', 'architecture', '00000000-0000-0000-0000-000000000001'),
  ('30000000-0000-0000-0000-000000000005', 'risk-score',            'How the risk score is computed',  'The risk score (0-100) combines usage decline, support escalations and champion changes.', 'analytics',    '00000000-0000-0000-0000-000000000004'),
  ('30000000-0000-0000-0000-000000000006', 'legacy-health-scoring', 'Legacy health scoring (retired)', 'Superseded by the risk score. Kept for audit.', 'analytics',    '00000000-0000-0000-0000-000000000001')
on conflict (id) do nothing;

insert into public.help_articles (id, doc_id, slug, title, body, category, difficulty, view_count, is_published, published_at)
values
  ('32000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000001', 'connect-your-crm',     'Connect your CRM',           'Go to Settings, Integrations, choose HubSpot or Salesforce and sign in.', 'setup',     'beginner',     1240, true,  now() - interval '30 days'),
  ('32000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000003', 'prepare-a-renewal',    'Prepare a renewal',          'Open the customer, start "Renewal prep" and follow the slides.',         'workflows', 'intermediate',  530, true,  now() - interval '20 days'),
  ('32000000-0000-0000-0000-000000000003', '30000000-0000-0000-0000-000000000002', 'snooze-a-task',        'Snooze a task',              'Pick a date or a condition; the task wakes up on its own.',              'workflows', 'beginner',      310, true,  now() - interval '10 days'),
  ('32000000-0000-0000-0000-000000000004', '30000000-0000-0000-0000-000000000005', 'understand-risk-score','Understand the risk score',  'Draft: explain each component of the score.',                            'analytics', 'advanced',        0, false, null),
  ('32000000-0000-0000-0000-000000000005', '30000000-0000-0000-0000-000000000006', 'legacy-health-score',  'The health score (legacy)',  'Retired with the legacy health scoring.',                                'analytics', 'beginner',       88, true,  now() - interval '200 days')
on conflict (id) do nothing;

do $$
begin
  if not exists (select 1 from public.releases where version = '0.1.0') then
    perform public.create_release_snapshot('0.1.0', date '2025-11-07',
      array['getting-started', 'workflow-engine', 'legacy-health-scoring']);
  end if;
  if not exists (select 1 from public.releases where version = '0.2.0') then
    perform public.create_release_snapshot('0.2.0', date '2025-11-12',
      array['getting-started', 'mcp-integrations']);
  end if;
end $$;

update public.releases set name = 'Phase 0.1: documentation and features', notes = 'Docs system, feature registry.'
where version = '0.1.0';
update public.releases set name = 'Phase 0.2: MCP registry', notes = 'MCP marketplace, encrypted OAuth tokens.'
where version = '0.2.0';

-- Retire the legacy doc and its help article (soft delete)
update public.documentation set deleted_at = now() - interval '5 days'
where slug = 'legacy-health-scoring' and deleted_at is null;
update public.help_articles set deleted_at = now() - interval '5 days'
where slug = 'legacy-health-score' and deleted_at is null;
