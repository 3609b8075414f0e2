-- Policies: feature_updates_rls.sql
-- Description: Row Level Security for public.feature_updates. Authenticated users read the change log;
--              admins and PMs add notes as themselves (status/phase/priority entries come from the
--              features_log_update trigger); only admins correct or remove entries.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.feature_updates enable row level security;

drop policy if exists "Authenticated users can read feature updates" on public.feature_updates;
drop policy if exists "Admins and PMs can add feature updates" on public.feature_updates;
drop policy if exists "Admins can update feature updates" on public.feature_updates;
drop policy if exists "Admins can delete feature updates" on public.feature_updates;

create policy "Authenticated users can read feature updates"
  on public.feature_updates for select to authenticated
  using (true);

create policy "Admins and PMs can add feature updates"
  on public.feature_updates for insert to authenticated
  with check (updated_by = (select auth.uid()) and (select public.can_manage_features()));

create policy "Admins can update feature updates"
  on public.feature_updates for update to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));

create policy "Admins can delete feature updates"
  on public.feature_updates for delete to authenticated
  using ((select public.is_admin()));
