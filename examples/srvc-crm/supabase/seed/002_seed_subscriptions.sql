-- Seed: 002_seed_subscriptions.sql
-- Description: Four subscription plans (three active and publicly listed, one retired) and the two paying users'
--              subscriptions. Noah (outsider) and Ada (admin) have none.
--   50000000-0000-0000-0000-000000000001  Starter       $29/mo   active
--   50000000-0000-0000-0000-000000000002  Professional  $79/mo   active
--   50000000-0000-0000-0000-000000000003  Business      $199/mo  active
--   50000000-0000-0000-0000-000000000004  Solo (legacy) $19/mo   retired (is_active = false), no subscribers
-- Date: 2024-09-08

insert into public.subscription_plans (id, name, description, price_monthly, price_yearly, max_customers, max_users, features, is_active)
values
  ('50000000-0000-0000-0000-000000000001', 'Starter',       'For owner-operators getting organised.',           29.00,  290.00,  100,  1,  '["customers", "jobs", "quotes", "invoices"]', true),
  ('50000000-0000-0000-0000-000000000002', 'Professional',  'Scheduling, online payments and reminders.',       79.00,  790.00,  1000, 5,  '["customers", "jobs", "quotes", "invoices", "scheduling", "online_payments", "reminders"]', true),
  ('50000000-0000-0000-0000-000000000003', 'Business',      'Multi-crew dispatch, reporting and API access.',  199.00, 1990.00, null, 25, '["customers", "jobs", "quotes", "invoices", "scheduling", "online_payments", "reminders", "dispatch", "reports", "api"]', true),
  ('50000000-0000-0000-0000-000000000004', 'Solo (legacy)', 'Retired 2023 single-user plan.',                   19.00,  null,    50,   1,  '["customers", "jobs", "invoices"]', false);

insert into public.user_subscriptions (id, user_id, plan_id, status, billing_interval, current_period_start, current_period_end)
values
  ('60000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', '50000000-0000-0000-0000-000000000002', 'active',   'year',  date_trunc('day', now()) - interval '35 days', date_trunc('day', now()) + interval '330 days'),
  ('60000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', '50000000-0000-0000-0000-000000000001', 'trialing', 'month', date_trunc('day', now()) - interval '12 days', date_trunc('day', now()) + interval '2 days');
