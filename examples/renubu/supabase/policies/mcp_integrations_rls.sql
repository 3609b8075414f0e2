-- Policies: mcp_integrations_rls.sql
-- Description: Row Level Security for public.mcp_integrations. Authenticated users read enabled
--              integrations; admins manage all (including disabled and deprecated ones).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.mcp_integrations enable row level security;

drop policy if exists "Authenticated users can read enabled integrations" on public.mcp_integrations;
drop policy if exists "Admins can manage integrations" on public.mcp_integrations;

create policy "Authenticated users can read enabled integrations"
  on public.mcp_integrations for select to authenticated
  using (status = 'enabled');

create policy "Admins can manage integrations"
  on public.mcp_integrations for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
