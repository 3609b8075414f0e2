-- Policies: user_subscriptions_rls.sql
-- Description: Row Level Security for public.user_subscriptions. Users read their own subscription. They cannot write it:
--              a plan change goes through billing (the service role, which bypasses RLS) or an admin, otherwise a
--              user could put themselves on any plan for free. Admins manage all.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2024-09-08

alter table public.user_subscriptions enable row level security;

drop policy if exists "Users can view own subscriptions" on public.user_subscriptions;
drop policy if exists "Admins have full access to user_subscriptions" on public.user_subscriptions;

create policy "Users can view own subscriptions"
  on public.user_subscriptions
  for select
  to authenticated
  using ((select auth.uid()) = user_id);

create policy "Admins have full access to user_subscriptions"
  on public.user_subscriptions
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
