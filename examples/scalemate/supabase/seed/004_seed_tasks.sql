-- Seed: 004_seed_tasks.sql
-- Description: Tasks of every workflow, in all four task_status values, assigned within each team.
-- Date: 2026-11-22

insert into public.tasks (workflow_id, name, description, status, assigned_to, created_by, due_date)
values
  -- Lead intake (Growth Ops)
  ('20000000-0000-0000-0000-000000000001', 'Connect website form',      'Send form submissions to the leads inbox.',           'done',        '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', now() - interval '60 days'),
  ('20000000-0000-0000-0000-000000000001', 'Define lead scoring',       'Score by company size, industry and intent.',         'review',      '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() + interval '3 days'),
  ('20000000-0000-0000-0000-000000000001', 'Enrich leads with CRM data', null,                                                  'in_progress', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', now() + interval '7 days'),
  ('20000000-0000-0000-0000-000000000001', 'Routing rules per region',  'EMEA, Americas and APAC executives.',                 'todo',        '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', now() + interval '14 days'),
  ('20000000-0000-0000-0000-000000000001', 'Lead intake dashboard',     null,                                                  'todo',        null,                                   '00000000-0000-0000-0000-000000000002', null),
  -- Customer onboarding (Growth Ops)
  ('20000000-0000-0000-0000-000000000002', 'Kick-off call template',    'Agenda and slides for the first call.',               'done',        '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', now() - interval '30 days'),
  ('20000000-0000-0000-0000-000000000002', 'Workspace setup checklist', null,                                                  'done',        '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', now() - interval '20 days'),
  ('20000000-0000-0000-0000-000000000002', 'First-week check-in email', 'Automated email on day five.',                        'in_progress', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', now() + interval '2 days'),
  ('20000000-0000-0000-0000-000000000002', 'Onboarding NPS survey',     null,                                                  'todo',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', now() + interval '21 days'),
  -- Quarterly churn review (Growth Ops, inactive)
  ('20000000-0000-0000-0000-000000000003', 'Export cancelled accounts', null,                                                  'done',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() - interval '40 days'),
  ('20000000-0000-0000-0000-000000000003', 'Interview five churned customers', null,                                           'review',      '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', now() - interval '10 days'),
  ('20000000-0000-0000-0000-000000000003', 'Churn reasons report',      'Summarise for the product team.',                     'todo',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() + interval '30 days'),
  -- Weekly planning (Olivia, personal)
  ('20000000-0000-0000-0000-000000000004', 'Review pipeline',           null,                                                  'todo',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() + interval '1 day'),
  ('20000000-0000-0000-0000-000000000004', 'Prepare one-on-one with Max', null,                                                'todo',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() + interval '2 days'),
  ('20000000-0000-0000-0000-000000000004', 'Block focus time',          null,                                                  'done',        '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', now() - interval '1 day'),
  -- Sales certification prep (Max, personal)
  ('20000000-0000-0000-0000-000000000005', 'Read negotiation module',   null,                                                  'in_progress', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', now() + interval '5 days'),
  ('20000000-0000-0000-0000-000000000005', 'Practice exam',             null,                                                  'todo',        '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', now() + interval '12 days'),
  -- Client invoicing (Solo Studio)
  ('20000000-0000-0000-0000-000000000006', 'Invoice template',          'Studio branding, VAT number, payment terms.',         'done',        '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() - interval '45 days'),
  ('20000000-0000-0000-0000-000000000006', 'Milestone invoice: Acme rebrand', null,                                            'review',      '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() + interval '1 day'),
  ('20000000-0000-0000-0000-000000000006', 'Chase late payment: Globex', 'Second reminder.',                                   'in_progress', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() - interval '2 days'),
  ('20000000-0000-0000-0000-000000000006', 'Quarterly VAT return',      null,                                                  'todo',        '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() + interval '25 days'),
  -- Portfolio refresh (Solo Studio)
  ('20000000-0000-0000-0000-000000000007', 'Pick three case studies',   null,                                                  'done',        '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() - interval '5 days'),
  ('20000000-0000-0000-0000-000000000007', 'Write Acme case study',     null,                                                  'in_progress', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() + interval '9 days'),
  ('20000000-0000-0000-0000-000000000007', 'Publish to website',        null,                                                  'todo',        '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', now() + interval '20 days');
