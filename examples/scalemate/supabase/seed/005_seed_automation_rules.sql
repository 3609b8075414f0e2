-- Seed: 005_seed_automation_rules.sql
-- Description: Automation rules of each trigger_type: four attached to team workflows, two personal ones.
-- Date: 2026-11-22

insert into public.automation_rules (name, description, trigger_type, trigger_conditions, actions, workflow_id, created_by, is_active)
values
  ('Auto-assign new leads', 'Assign each new lead to the executive of its region.', 'event',
   '{"event": "task.created", "filter": {"tag": "lead"}}',
   '[{"type": "assign", "strategy": "round_robin", "pool": "region"}]',
   '20000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', true),
  ('Escalate overdue onboarding tasks', 'Notify the team owner when an onboarding task is two days late.', 'condition',
   '{"field": "due_date", "operator": "older_than", "value": "2 days", "status_not": "done"}',
   '[{"type": "notify", "to": "team_owner", "channel": "email"}]',
   '20000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', true),
  ('Quarterly churn digest', 'Open the churn review at the start of each quarter.', 'schedule',
   '{"cron": "0 9 1 1,4,7,10 *", "timezone": "Europe/Berlin"}',
   '[{"type": "create_task", "name": "Export cancelled accounts"}]',
   '20000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001', false),
  ('Monday planning reminder', 'Remind me to plan the week.', 'schedule',
   '{"cron": "0 8 * * 1", "timezone": "Europe/Berlin"}',
   '[{"type": "notify", "to": "self", "channel": "push"}]',
   null, '00000000-0000-0000-0000-000000000001', true),
  ('Focus-time guard', 'Decline meetings when three or more tasks are in progress.', 'condition',
   '{"field": "in_progress_count", "operator": ">=", "value": 3}',
   '[{"type": "calendar", "action": "decline_new_meetings"}]',
   null, '00000000-0000-0000-0000-000000000002', true),
  ('Late payment reminder', 'Email the client when an invoice is a week overdue.', 'schedule',
   '{"cron": "0 10 * * *", "overdue_days": 7}',
   '[{"type": "email", "template": "payment_reminder"}]',
   '20000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000003', true);
