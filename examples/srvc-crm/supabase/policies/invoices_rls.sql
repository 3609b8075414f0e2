-- Policies: invoices_rls.sql
-- Description: Row Level Security for public.invoices. Users read and write their own invoices; admins manage all.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2024-09-08

alter table public.invoices enable row level security;

drop policy if exists "Users can access own invoices" on public.invoices;
drop policy if exists "Admins have full access to invoices" on public.invoices;

-- The seed's users_own_data pattern: FOR ALL, so the same check applies to reads and to new or changed rows
create policy "Users can access own invoices"
  on public.invoices
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

-- The seed's admin_full_access pattern, through the security definer helper public.is_admin()
create policy "Admins have full access to invoices"
  on public.invoices
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
