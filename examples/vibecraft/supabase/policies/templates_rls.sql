-- Policies: templates_rls.sql
-- Description: Row Level Security for public.templates. Public templates are readable by everyone, anon
--              included; private ones by their creator. Users create, edit and delete their own templates but cannot
--              mark them official (official templates are published by the service role).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.templates enable row level security;

drop policy if exists "Public templates are viewable by everyone" on public.templates;
drop policy if exists "Users can view their own templates" on public.templates;
drop policy if exists "Users can create templates" on public.templates;
drop policy if exists "Users can update their own templates" on public.templates;
drop policy if exists "Users can delete their own templates" on public.templates;

create policy "Public templates are viewable by everyone"
  on public.templates
  for select
  to anon, authenticated
  using (is_public);

create policy "Users can view their own templates"
  on public.templates
  for select
  to authenticated
  using (created_by = (select auth.uid()));

create policy "Users can create templates"
  on public.templates
  for insert
  to authenticated
  with check (created_by = (select auth.uid()) and not is_official);

create policy "Users can update their own templates"
  on public.templates
  for update
  to authenticated
  using (created_by = (select auth.uid()))
  with check (created_by = (select auth.uid()) and not is_official);

create policy "Users can delete their own templates"
  on public.templates
  for delete
  to authenticated
  using (created_by = (select auth.uid()));
