-- Seed: 003_seed_workflows.sql
-- Description: Seven workflows: three of Growth Ops, two of Solo Studio, and two personal ones (team_id null).
--   20000000-0000-0000-0000-000000000001  Lead intake               Growth Ops   by Olivia
--   20000000-0000-0000-0000-000000000002  Customer onboarding       Growth Ops   by Max
--   20000000-0000-0000-0000-000000000003  Quarterly churn review    Growth Ops   by Olivia (inactive)
--   20000000-0000-0000-0000-000000000004  Weekly planning           personal     Olivia
--   20000000-0000-0000-0000-000000000005  Sales certification prep  personal     Max
--   20000000-0000-0000-0000-000000000006  Client invoicing          Solo Studio  by Oscar
--   20000000-0000-0000-0000-000000000007  Portfolio refresh         Solo Studio  by Oscar
-- Date: 2026-11-22

insert into public.workflows (id, name, description, team_id, created_by, is_active, created_at)
values
  ('20000000-0000-0000-0000-000000000001', 'Lead intake',
   'Qualify inbound leads from the website form, enrich them and route them to the right account executive.',
   '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', true, now() - interval '100 days'),
  ('20000000-0000-0000-0000-000000000002', 'Customer onboarding',
   'Kick-off call, workspace setup and first-week check-in for every new customer.',
   '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', true, now() - interval '80 days'),
  ('20000000-0000-0000-0000-000000000003', 'Quarterly churn review',
   'Review cancelled accounts each quarter and collect churn reasons for the product team.',
   '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', false, now() - interval '70 days'),
  ('20000000-0000-0000-0000-000000000004', 'Weekly planning',
   'Personal planning ritual: review the pipeline, block focus time, prepare one-on-ones.',
   null, '00000000-0000-0000-0000-000000000001', true, now() - interval '60 days'),
  ('20000000-0000-0000-0000-000000000005', 'Sales certification prep',
   'Study plan for the sales certification exam.',
   null, '00000000-0000-0000-0000-000000000002', true, now() - interval '20 days'),
  ('20000000-0000-0000-0000-000000000006', 'Client invoicing',
   'Send invoices at the end of each project milestone and chase late payments.',
   '10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', true, now() - interval '50 days'),
  ('20000000-0000-0000-0000-000000000007', 'Portfolio refresh',
   'Collect case studies from finished projects and publish them on the studio website.',
   '10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', true, now() - interval '15 days');

-- The current version document of each workflow (version 1), then a few edits: each update bumps the version
insert into public.workflow_versions (workflow_id, content)
select w.id,
       jsonb_build_object('name', w.name, 'steps', jsonb_build_array('start', 'review', 'finish'), 'notes', '')
from public.workflows w;

update public.workflow_versions
set content = jsonb_set(content, '{steps}', '["capture", "enrich", "score", "route"]')
where workflow_id = '20000000-0000-0000-0000-000000000001';

update public.workflow_versions
set content = jsonb_set(content, '{notes}', '"Route enterprise leads to Olivia."')
where workflow_id = '20000000-0000-0000-0000-000000000001';

update public.workflow_versions
set content = jsonb_set(content, '{steps}', '["kick-off", "setup", "check-in"]')
where workflow_id = '20000000-0000-0000-0000-000000000002';
