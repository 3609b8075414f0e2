-- Policies: user_integrations_rls.sql
-- Description: Row Level Security for public.user_integrations. Users see and manage only their own
--              installed integrations (and may install only enabled ones); admins see and manage all.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.user_integrations enable row level security;

drop policy if exists "Users can view own integrations" on public.user_integrations;
drop policy if exists "Users can install enabled integrations" on public.user_integrations;
drop policy if exists "Users can update own integrations" on public.user_integrations;
drop policy if exists "Users can remove own integrations" on public.user_integrations;
drop policy if exists "Admins can manage all user integrations" on public.user_integrations;

create policy "Users can view own integrations"
  on public.user_integrations for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can install enabled integrations"
  on public.user_integrations for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.mcp_integrations i where i.id = integration_id and i.status = 'enabled')
  );

create policy "Users can update own integrations"
  on public.user_integrations for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Users can remove own integrations"
  on public.user_integrations for delete to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can manage all user integrations"
  on public.user_integrations for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
