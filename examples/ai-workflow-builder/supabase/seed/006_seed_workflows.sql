-- Seed: 006_seed_workflows.sql
-- Description: Twelve workflows covering every visibility case, and three shares.
--   id 2000…0NN  name                        owner  team              public  shared with
--   01           Daily sales digest          Alice  -                 no      -
--   02           Support ticket triage       Alice  -                 no      Dave (view)
--   03           Blog post drafter           Alice  -                 yes     -
--   04           Invoice data extraction     Alice  -                 no      Dave (edit)
--   05           Lead enrichment pipeline    Alice  Acme Automation   no      -
--   06           Customer churn alerts       Bob    Acme Automation   no      -
--   07           Weekly KPI report           Bob    Acme Automation   no      -     (draft)
--   08           Meeting notes summarizer    Bob    -                 no      -
--   09           Social media scheduler      Carol  -                 yes     -
--   10           Contract clause review      Carol  -                 no      Bob (view)
--   11           Client onboarding emails    Carol  Carol Consulting  no      -
--   12           Recipe recommender          Dave   -                 no      -     (draft)
-- Date: 2026-11-22

insert into public.workflows (id, user_id, team_id, template_id, name, description, status, is_public, version, trigger_type, trigger_config, settings, tags, ai_prompt, created_at)
values
  ('20000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', null, null,
   'Daily sales digest', 'Every morning, summarise yesterday''s closed deals from HubSpot and post the digest to Slack.',
   'active', false, 3, 'schedule', '{"cron": "0 8 * * 1-5", "timezone": "America/New_York"}', '{"retries": 2}', '{sales,slack,digest}',
   'Send me a summary of yesterday''s closed deals every weekday morning', now() - interval '200 days'),
  ('20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', null, '30000000-0000-0000-0000-000000000001',
   'Support ticket triage', 'Classify new Zendesk tickets by urgency and topic with AI, then assign them to the right queue.',
   'active', false, 5, 'webhook', '{"path": "/hooks/zendesk", "secret_ref": "zendesk"}', '{"retries": 3, "timeout_s": 60}', '{support,ai,classification}',
   null, now() - interval '180 days'),
  ('20000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001', null, '30000000-0000-0000-0000-000000000003',
   'Blog post drafter', 'Turn a short outline into a first draft blog post, with title ideas and a meta description.',
   'active', true, 2, 'manual', '{}', '{}', '{content,writing,ai}',
   'Write a blog post draft from my outline', now() - interval '150 days'),
  ('20000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', null, '30000000-0000-0000-0000-000000000004',
   'Invoice data extraction', 'Extract vendor, totals and line items from emailed PDF invoices into Google Sheets.',
   'paused', false, 4, 'event', '{"event": "email.received", "filter": {"has_attachment": true}}', '{"retries": 1}', '{finance,documents,sheets}',
   null, now() - interval '120 days'),
  ('20000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000002',
   'Lead enrichment pipeline', 'Enrich inbound leads with firmographic data, score them with AI and update Salesforce.',
   'active', false, 7, 'webhook', '{"path": "/hooks/leads"}', '{"retries": 3, "concurrency": 5}', '{sales,crm,enrichment}',
   null, now() - interval '170 days'),
  ('20000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000007',
   'Customer churn alerts', 'Check product usage nightly and alert the account owner in Slack when an account goes quiet.',
   'active', false, 2, 'schedule', '{"cron": "0 2 * * *"}', '{}', '{churn,alerts,customer-success}',
   null, now() - interval '100 days'),
  ('20000000-0000-0000-0000-000000000007', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', null,
   'Weekly KPI report', 'Collect pipeline, revenue and support KPIs every Monday and email a one-page report.',
   'draft', false, 1, 'schedule', '{"cron": "0 7 * * 1"}', '{}', '{reporting,kpi}',
   'Every Monday email the leadership team our key numbers', now() - interval '12 days'),
  ('20000000-0000-0000-0000-000000000008', '00000000-0000-0000-0000-000000000002', null, '30000000-0000-0000-0000-000000000006',
   'Meeting notes summarizer', 'Summarise a meeting transcript into decisions and action items and post them to Slack.',
   'active', false, 2, 'manual', '{}', '{}', '{meetings,productivity}',
   null, now() - interval '60 days'),
  ('20000000-0000-0000-0000-000000000009', '00000000-0000-0000-0000-000000000003', null, '30000000-0000-0000-0000-000000000005',
   'Social media scheduler', 'Draft three posts a week from the latest blog articles and publish them to X and LinkedIn.',
   'active', true, 6, 'schedule', '{"cron": "0 15 * * 1,3,5"}', '{"approval_required": false}', '{social,marketing}',
   null, now() - interval '140 days'),
  ('20000000-0000-0000-0000-000000000010', '00000000-0000-0000-0000-000000000003', null, null,
   'Contract clause review', 'Flag risky clauses (liability, termination, auto-renewal) in uploaded contracts.',
   'active', false, 3, 'manual', '{}', '{"model": "claude-sonnet"}', '{legal,documents,ai}',
   'Review this contract and flag risky clauses', now() - interval '80 days'),
  ('20000000-0000-0000-0000-000000000011', '00000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000002', null,
   'Client onboarding emails', 'Send a welcome sequence and create a Notion workspace when a new client signs.',
   'active', false, 2, 'event', '{"event": "contract.signed"}', '{}', '{onboarding,email,notion}',
   null, now() - interval '70 days'),
  ('20000000-0000-0000-0000-000000000012', '00000000-0000-0000-0000-000000000004', null, null,
   'Recipe recommender', 'Suggest dinner recipes from what is left in the fridge.',
   'draft', false, 1, 'manual', '{}', '{}', '{personal,fun}',
   'Suggest a recipe from these ingredients', now() - interval '5 days');

insert into public.workflow_shares (workflow_id, shared_by, shared_with, permission, expires_at)
values
  ('20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000004', 'view', null),
  ('20000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000004', 'edit', now() + interval '90 days'),
  ('20000000-0000-0000-0000-000000000010', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', 'view', null);
