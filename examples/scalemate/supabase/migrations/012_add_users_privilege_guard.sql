-- Migration: 012_add_users_privilege_guard.sql
-- Description: Users may update their own profile (policies/users_rls.sql), but not their own role or is_active
--              flag: a BEFORE UPDATE trigger rejects such changes unless the caller is an admin. Changes made by
--              the service role, by migrations and by security definer functions (current_user is then not an
--              API role) are not affected.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.guard_user_privileges()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and (new.role is distinct from old.role or new.is_active is distinct from old.is_active)
     and not public.is_admin() then
    raise exception 'only an admin can change a user''s role or is_active'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

drop trigger if exists guard_user_privileges on public.users;
create trigger guard_user_privileges
before update on public.users
for each row execute procedure public.guard_user_privileges();

/*
-- Rollback for this migration
drop trigger if exists guard_user_privileges on public.users;
drop function if exists public.guard_user_privileges();
*/
