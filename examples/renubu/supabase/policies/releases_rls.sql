-- Policies: releases_rls.sql
-- Description: Row Level Security for public.releases. Public read: anyone, signed in or not, reads
--              releases; admins create and change them (create_release_snapshot).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.releases enable row level security;

drop policy if exists "Anyone can read releases" on public.releases;
drop policy if exists "Admins can manage releases" on public.releases;

create policy "Anyone can read releases"
  on public.releases for select to anon, authenticated
  using (true);

create policy "Admins can manage releases"
  on public.releases for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
