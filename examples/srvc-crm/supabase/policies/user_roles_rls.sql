-- Policies: user_roles_rls.sql
-- Description: Row Level Security for public.user_roles. Users see their own roles (so the app can tell an admin);
--              only admins grant, change or revoke roles (nobody can promote themselves). is_admin() is security
--              definer, so the admin policy reading user_roles does not recurse into this table's RLS.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2024-09-08

alter table public.user_roles enable row level security;

drop policy if exists "Users can view own roles" on public.user_roles;
drop policy if exists "Admins have full access to user_roles" on public.user_roles;

create policy "Users can view own roles"
  on public.user_roles
  for select
  to authenticated
  using ((select auth.uid()) = user_id);

create policy "Admins have full access to user_roles"
  on public.user_roles
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
