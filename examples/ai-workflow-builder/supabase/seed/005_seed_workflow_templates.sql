-- Seed: 005_seed_workflow_templates.sql
-- Description: Seven official public templates and one private template of Alice's.
-- Date: 2026-11-22

insert into public.workflow_templates (id, name, description, category, template_data, tags, created_by, is_official, is_public, use_count)
values
  ('30000000-0000-0000-0000-000000000001', 'Email triage', 'Classify incoming email with AI and route it to the right folder or person.', 'email',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}, {"key": "node_3", "type": "condition"}, {"key": "node_4", "type": "action"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"], ["node_3", "node_4"]]}',
   '{email,ai,classification}', null, true, true, 412),
  ('30000000-0000-0000-0000-000000000002', 'Lead enrichment', 'Enrich new CRM leads with company data and score them.', 'sales',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "integration"}, {"key": "node_3", "type": "ai"}, {"key": "node_4", "type": "output"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"], ["node_3", "node_4"]]}',
   '{crm,sales}', null, true, true, 268),
  ('30000000-0000-0000-0000-000000000003', 'Blog post from outline', 'Turn an outline into a draft post and send it for review.', 'content',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}, {"key": "node_3", "type": "output"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"]]}',
   '{content,ai}', null, true, true, 530),
  ('30000000-0000-0000-0000-000000000004', 'Invoice extraction', 'Extract line items from PDF invoices into a spreadsheet.', 'finance',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}, {"key": "node_3", "type": "transform"}, {"key": "node_4", "type": "integration"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"], ["node_3", "node_4"]]}',
   '{finance,documents}', null, true, true, 199),
  ('30000000-0000-0000-0000-000000000005', 'Social media scheduler', 'Draft posts with AI and publish them on a schedule.', 'marketing',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}, {"key": "node_3", "type": "integration"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"]]}',
   '{social,marketing}', null, true, true, 341),
  ('30000000-0000-0000-0000-000000000006', 'Meeting notes summary', 'Summarise a transcript and post action items to Slack.', 'productivity',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}, {"key": "node_3", "type": "integration"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"]]}',
   '{meetings,slack}', null, true, true, 377),
  ('30000000-0000-0000-0000-000000000007', 'Churn alert', 'Watch usage metrics and alert the account owner when a customer goes quiet.', 'customer-success',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "condition"}, {"key": "node_3", "type": "action"}], "connections": [["node_1", "node_2"], ["node_2", "node_3"]]}',
   '{churn,alerts}', null, true, true, 88),
  ('30000000-0000-0000-0000-000000000008', 'Alice''s triage starter', 'My own starting point for support triage flows.', 'support',
   '{"nodes": [{"key": "node_1", "type": "trigger"}, {"key": "node_2", "type": "ai"}], "connections": [["node_1", "node_2"]]}',
   '{support}', '00000000-0000-0000-0000-000000000001', false, false, 3);
