-- Policies: quotes_rls.sql
-- Description: Row Level Security for public.quotes. Users read and write their own quotes; admins manage all.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2024-09-08

alter table public.quotes enable row level security;

drop policy if exists "Users can access own quotes" on public.quotes;
drop policy if exists "Admins have full access to quotes" on public.quotes;

-- The seed's users_own_data pattern: FOR ALL, so the same check applies to reads and to new or changed rows
create policy "Users can access own quotes"
  on public.quotes
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

-- The seed's admin_full_access pattern, through the security definer helper public.is_admin()
create policy "Admins have full access to quotes"
  on public.quotes
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
