-- Migration: 005_create_auth_users_profile_trigger.sql
-- Description: Creates a public.users profile for every new auth.users row (sign-up), taking full_name from
--              raw_user_meta_data. New profiles always get the 'member' role.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.handle_new_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.users (id, email, full_name)
  values (
    new.id,
    coalesce(new.email, new.id::text || '@users.invalid'),
    coalesce(nullif(new.raw_user_meta_data ->> 'full_name', ''), split_part(coalesce(new.email, ''), '@', 1), '')
  )
  on conflict (id) do nothing;
  return new;
end;
$$;

comment on function public.handle_new_auth_user() is 'AFTER INSERT trigger on auth.users: creates the matching public.users profile.';

drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created
after insert on auth.users
for each row execute procedure public.handle_new_auth_user();

/*
-- Rollback for this migration
drop trigger if exists on_auth_user_created on auth.users;
drop function if exists public.handle_new_auth_user();
*/
