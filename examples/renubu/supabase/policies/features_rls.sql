-- Policies: features_rls.sql
-- Description: Row Level Security for public.features. Authenticated users read live features; admins
--              and PMs write (can_manage_features) and also see soft-deleted ones.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.features enable row level security;

drop policy if exists "Authenticated users can read features" on public.features;
drop policy if exists "Admins and PMs can manage features" on public.features;

create policy "Authenticated users can read features"
  on public.features for select to authenticated
  using (deleted_at is null);

create policy "Admins and PMs can manage features"
  on public.features for all to authenticated
  using ((select public.can_manage_features()))
  with check ((select public.can_manage_features()));
