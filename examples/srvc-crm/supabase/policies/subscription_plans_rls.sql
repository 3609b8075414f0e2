-- Policies: subscription_plans_rls.sql
-- Description: Row Level Security for public.subscription_plans. Active plans are readable by everyone, anon included (the seed's
--              public_read); admins read and manage every plan, inactive ones too. The service role (bypasses RLS)
--              maintains them as well.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2024-09-08

alter table public.subscription_plans enable row level security;

drop policy if exists "Active plans are viewable by everyone" on public.subscription_plans;
drop policy if exists "Admins have full access to subscription_plans" on public.subscription_plans;

create policy "Active plans are viewable by everyone"
  on public.subscription_plans
  for select
  to anon, authenticated
  using (is_active = true);

create policy "Admins have full access to subscription_plans"
  on public.subscription_plans
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
