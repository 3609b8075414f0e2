-- Policies: shared_rls_functions.sql
-- Description: The shared RLS helper used by every *_rls.sql file in this folder. Migration
--              20240907000000_create_user_roles.sql creates it first; this file re-applies the same definition with
--              create or replace, so it is idempotent and is where the body is changed. Keep the signature identical
--              to the migration: a new or changed signature needs a new migration.
-- Author: Keel examples
-- Date: 2024-09-08

-- is_admin(): the caller has the 'admin' role in public.user_roles (the seed's
-- `auth.uid() in (select user_id from user_roles where role = 'admin')`). security definer + empty search_path:
-- reads user_roles as the function owner (no RLS recursion), every name schema-qualified.
create or replace function public.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.user_roles r
    where r.user_id = (select auth.uid())
      and r.role = 'admin'
  );
$$;

revoke execute on function public.is_admin() from public;
grant execute on function public.is_admin() to anon, authenticated, service_role;
