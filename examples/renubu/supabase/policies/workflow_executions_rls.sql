-- Policies: workflow_executions_rls.sql
-- Description: Row Level Security for public.workflow_executions. Users see and manage only their own
--              executions (user isolation pattern); admins see and manage all (admin override). A user can only
--              start an execution for a customer they can access.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_executions enable row level security;

drop policy if exists "Users can view own executions" on public.workflow_executions;
drop policy if exists "Users can start own executions" on public.workflow_executions;
drop policy if exists "Users can update own executions" on public.workflow_executions;
drop policy if exists "Users can delete own executions" on public.workflow_executions;
drop policy if exists "Admins can manage all executions" on public.workflow_executions;

create policy "Users can view own executions"
  on public.workflow_executions for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can start own executions"
  on public.workflow_executions for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (customer_id is null or public.can_access_customer(customer_id))
  );

create policy "Users can update own executions"
  on public.workflow_executions for update to authenticated
  using (user_id = (select auth.uid()))
  with check (
    user_id = (select auth.uid())
    and (customer_id is null or public.can_access_customer(customer_id))
  );

create policy "Users can delete own executions"
  on public.workflow_executions for delete to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can manage all executions"
  on public.workflow_executions for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
