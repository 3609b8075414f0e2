-- Migration: 004_create_auth_users_profile_trigger.sql
-- Description: On sign-up (insert into auth.users) create the matching public.users row, taking
--              full_name and avatar_url from raw_user_meta_data.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.handle_new_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.users (id, email, full_name, avatar_url)
  values (
    new.id,
    new.email,
    nullif(new.raw_user_meta_data ->> 'full_name', ''),
    nullif(new.raw_user_meta_data ->> 'avatar_url', '')
  )
  on conflict (id) do nothing;
  return new;
end;
$$;

drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created
after insert on auth.users
for each row execute procedure public.handle_new_auth_user();

/*
-- Rollback for this migration
drop trigger if exists on_auth_user_created on auth.users;
drop function if exists public.handle_new_auth_user();
*/
