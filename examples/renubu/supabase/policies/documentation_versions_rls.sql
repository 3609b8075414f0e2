-- Policies: documentation_versions_rls.sql
-- Description: Row Level Security for public.documentation_versions. Authenticated users read the snapshots
--              (of live docs); admins write them (create_release_snapshot runs with the caller's rights).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.documentation_versions enable row level security;

drop policy if exists "Authenticated users can read documentation versions" on public.documentation_versions;
drop policy if exists "Admins can manage documentation versions" on public.documentation_versions;

create policy "Authenticated users can read documentation versions"
  on public.documentation_versions for select to authenticated
  using (exists (
    select 1 from public.documentation d
    where d.id = doc_id and d.deleted_at is null
  ));

create policy "Admins can manage documentation versions"
  on public.documentation_versions for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
