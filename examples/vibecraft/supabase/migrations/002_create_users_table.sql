-- Migration: 002_create_users_table.sql
-- Description: Creates public.users, the profile of each Supabase Auth user (id = auth.users.id, on delete
--              cascade), and the on_auth_user_created trigger that makes the profile at sign-up, taking full_name
--              and avatar_url from raw_user_meta_data.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text unique,
  full_name text,
  avatar_url text,
  bio text,
  plan text not null default 'free' check (plan in ('free', 'creator', 'studio')),
  preferences jsonb not null default '{}'::jsonb,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.users is 'Profile of a Supabase Auth user; created by the on_auth_user_created trigger.';

drop trigger if exists set_updated_at on public.users;
create trigger set_updated_at
before update on public.users
for each row execute procedure public.update_timestamp();

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
drop table if exists public.users;
*/
