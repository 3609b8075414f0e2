-- Migration: 20240907000000_create_user_roles.sql
-- Description: Creates public.user_roles(user_id, role), the seed's admin model, and public.is_admin(). The seed's
--              admin policy reads `auth.uid() in (select user_id from user_roles where role = 'admin')`; written
--              inline, the policy on user_roles itself would query user_roles again (infinite recursion), and every
--              other table's policy would depend on user_roles' RLS. is_admin() is security definer with
--              search_path = '', so it reads user_roles as its owner, once per statement when called as
--              (select public.is_admin()). Only the role 'admin' grants anything; other role names are allowed for
--              the application's own use.
-- Author: Keel examples
-- Date: 2024-09-07

create table if not exists public.user_roles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role ~ '^[a-z][a-z_]*$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_roles_user_id_role_key unique (user_id, role)
);

comment on table public.user_roles is 'Application roles of users; role = ''admin'' gives full access to every table.';

drop trigger if exists set_updated_at on public.user_roles;
create trigger set_updated_at
before update on public.user_roles
for each row execute procedure public.update_timestamp();

-- user_id: covered by the leading column of user_roles_user_id_role_key

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

comment on function public.is_admin() is 'True when the caller (auth.uid()) has the admin role in public.user_roles.';

revoke execute on function public.is_admin() from public;
grant execute on function public.is_admin() to anon, authenticated, service_role;

alter table public.user_roles enable row level security;

drop policy if exists "Users can view own roles" on public.user_roles;
create policy "Users can view own roles"
  on public.user_roles
  for select
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop function if exists public.is_admin();
drop table if exists public.user_roles;
*/
