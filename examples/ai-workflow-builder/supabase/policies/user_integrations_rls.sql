-- Policies: user_integrations_rls.sql
-- Description: Row Level Security for public.user_integrations. Integration configs are user-specific: each user sees and manages only their own
--              rows, whatever their teams. The config is stored encrypted (config_encrypted); see
--              save_user_integration() and get_user_integration_config().
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.user_integrations enable row level security;

drop policy if exists "Users can view their own integrations" on public.user_integrations;
drop policy if exists "Users can connect integrations" on public.user_integrations;
drop policy if exists "Users can update their own integrations" on public.user_integrations;
drop policy if exists "Users can delete their own integrations" on public.user_integrations;

create policy "Users can view their own integrations"
  on public.user_integrations
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can connect integrations"
  on public.user_integrations
  for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can update their own integrations"
  on public.user_integrations
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Users can delete their own integrations"
  on public.user_integrations
  for delete
  to authenticated
  using (user_id = (select auth.uid()));
