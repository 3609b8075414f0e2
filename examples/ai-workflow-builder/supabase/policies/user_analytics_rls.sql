-- Policies: user_analytics_rls.sql
-- Description: Row Level Security for public.user_analytics. Users see and record only their own events. Events are append-only for API users
--              (no update or delete policy).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.user_analytics enable row level security;

drop policy if exists "Users can view their own events" on public.user_analytics;
drop policy if exists "Users can record their own events" on public.user_analytics;

create policy "Users can view their own events"
  on public.user_analytics
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can record their own events"
  on public.user_analytics
  for insert
  to authenticated
  with check (user_id = (select auth.uid()));
