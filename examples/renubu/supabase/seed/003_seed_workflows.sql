-- Seed: 003_seed_workflows.sql
-- Description: 6 workflow executions, 13 tasks and 7 actions.
--   Casey: renewal prep for Acme (in_progress), QBR for Brightwave (completed), risk review for Cobalt (snoozed);
--   Marcus: renewal prep for Foxglove (not_started), exec escalation for Granite (in_progress);
--   Ada:    onboarding handoff for Ironclad (in_progress).
--   Cross-assigned tasks: one Acme task is assigned to Marcus, one Ironclad task to Casey (assignees see them).
-- Date: 2026-11-22

insert into public.workflow_executions (id, user_id, customer_id, workflow_type, workflow_name, status, current_slide_index, total_slides, started_at, completed_at, metadata)
values
  ('20000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 'renewal_prep',    'Renewal prep: Acme Logistics',        'in_progress', 3, 8, now() - interval '4 days',  null,                       '{"days_to_renewal": 54, "trigger": "renewal_window"}'),
  ('20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000002', 'qbr',             'Q4 QBR: Brightwave Health',           'completed',   6, 6, now() - interval '20 days', now() - interval '18 days', '{"quarter": "2025-Q4"}'),
  ('20000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000003', 'risk_review',     'Risk review: Cobalt Retail',          'snoozed',     1, 5, now() - interval '2 days',  null,                       '{"risk_score": 55, "snooze_reason": "holiday freeze"}'),
  ('20000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000006', 'renewal_prep',    'Renewal prep: Foxglove Media',        'not_started', 0, 8, null,                       null,                       '{"days_to_renewal": 80}'),
  ('20000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000007', 'exec_escalation', 'Exec escalation: Granite Insurance',  'in_progress', 2, 4, now() - interval '1 day',   null,                       '{"severity": "high"}'),
  ('20000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000009', 'onboarding',      'CSM handoff: Ironclad Security',      'in_progress', 1, 3, now() - interval '6 hours', null,                       '{}')
on conflict (id) do nothing;

insert into public.workflow_tasks (id, workflow_execution_id, title, description, status, priority, assigned_to, created_by, due_date, snoozed_until, completed_at)
values
  ('21000000-0000-0000-0000-000000000001', '20000000-0000-0000-0000-000000000001', 'Review usage trends',            'Pull last 90 days of shipments tracked.',  'completed',   'medium', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', current_date - 2, null, now() - interval '3 days'),
  ('21000000-0000-0000-0000-000000000002', '20000000-0000-0000-0000-000000000001', 'Meet new VP Operations',         'Intro call with Dana Whitfield.',          'in_progress', 'high',   '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', current_date + 5, null, null),
  ('21000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000001', 'Share EMEA benchmark deck',      'Marcus owns the EMEA benchmark data.',     'pending',     'medium', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', current_date + 7, null, null),
  ('21000000-0000-0000-0000-000000000004', '20000000-0000-0000-0000-000000000002', 'Prepare QBR deck',               null,                                       'completed',   'medium', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', current_date - 20, null, now() - interval '19 days'),
  ('21000000-0000-0000-0000-000000000005', '20000000-0000-0000-0000-000000000002', 'Send QBR follow-up',             null,                                       'completed',   'low',    '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', current_date - 18, null, now() - interval '18 days'),
  ('21000000-0000-0000-0000-000000000006', '20000000-0000-0000-0000-000000000003', 'Diagnose usage drop',            null,                                       'snoozed',     'high',   '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', current_date + 14, now() + interval '10 days', null),
  ('21000000-0000-0000-0000-000000000007', '20000000-0000-0000-0000-000000000003', 'Offer training session',         null,                                       'skipped',     'low',    '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', null, null, null),
  ('21000000-0000-0000-0000-000000000008', '20000000-0000-0000-0000-000000000004', 'Confirm renewal stakeholders',   null,                                       'pending',     'medium', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', current_date + 30, null, null),
  ('21000000-0000-0000-0000-000000000009', '20000000-0000-0000-0000-000000000004', 'Draft renewal proposal',         null,                                       'pending',     'medium', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', current_date + 45, null, null),
  ('21000000-0000-0000-0000-000000000010', '20000000-0000-0000-0000-000000000005', 'Schedule exec sponsor call',     null,                                       'completed',   'urgent', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', current_date, null, now() - interval '2 hours'),
  ('21000000-0000-0000-0000-000000000011', '20000000-0000-0000-0000-000000000005', 'Write remediation plan',         null,                                       'in_progress', 'urgent', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000003', current_date + 2, null, null),
  ('21000000-0000-0000-0000-000000000012', '20000000-0000-0000-0000-000000000006', 'Pick the new CSM',               null,                                       'completed',   'high',   '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', current_date - 1, null, now() - interval '5 hours'),
  ('21000000-0000-0000-0000-000000000013', '20000000-0000-0000-0000-000000000006', 'Read the Ironclad account notes','Casey takes over Ironclad next week.',     'pending',     'medium', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', current_date + 3, null, null)
on conflict (id) do nothing;

insert into public.workflow_actions (id, workflow_execution_id, performed_by, action_type, action_data, slide_index, created_at)
values
  ('22000000-0000-0000-0000-000000000001', '20000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'note',              '{"text": "VP Ops prefers async updates."}',                  1, now() - interval '4 days'),
  ('22000000-0000-0000-0000-000000000002', '20000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'meeting_scheduled', '{"with": "dana@acme-logistics.example", "at": "next Tue"}', 2, now() - interval '3 days'),
  ('22000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', 'email_sent',        '{"template": "qbr_followup"}',                              5, now() - interval '18 days'),
  ('22000000-0000-0000-0000-000000000004', '20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', 'complete',          '{}',                                                        6, now() - interval '18 days'),
  ('22000000-0000-0000-0000-000000000005', '20000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', 'snooze',            '{"until_days": 10, "reason": "holiday freeze"}',            1, now() - interval '2 days'),
  ('22000000-0000-0000-0000-000000000006', '20000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000003', 'escalate',          '{"to": "ada@renubu.test"}',                                 1, now() - interval '20 hours'),
  ('22000000-0000-0000-0000-000000000007', '20000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000001', 'note',              '{"text": "Assigning to Casey: healthcare + security overlap."}', 0, now() - interval '5 hours')
on conflict (id) do nothing;
