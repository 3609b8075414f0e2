-- Policies: documentation_rls.sql
-- Description: Row Level Security for public.documentation. Authenticated users read live docs; admins
--              write (and see soft-deleted docs). anon sees nothing (customer-facing text is in help_articles).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.documentation enable row level security;

drop policy if exists "Authenticated users can read documentation" on public.documentation;
drop policy if exists "Admins can manage documentation" on public.documentation;

create policy "Authenticated users can read documentation"
  on public.documentation for select to authenticated
  using (deleted_at is null);

create policy "Admins can manage documentation"
  on public.documentation for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
