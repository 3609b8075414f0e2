-- Migration: 003_create_users_table.sql
-- Description: Creates public.users, the profile of each Supabase Auth user (id = auth.users.id,
--              on delete cascade), with subscription tier and monthly execution limit.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text unique,
  full_name text,
  avatar_url text,
  subscription_tier text not null default 'free'
    check (subscription_tier in ('free', 'pro', 'team', 'enterprise')),
  monthly_execution_limit integer not null default 100 check (monthly_execution_limit >= 0),
  preferences jsonb not null default '{}'::jsonb,
  onboarding_completed boolean not null default false,
  last_active_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.users is 'Profile of a Supabase Auth user; created by the on_auth_user_created trigger.';

drop trigger if exists set_updated_at on public.users;
create trigger set_updated_at
before update on public.users
for each row execute procedure public.update_timestamp();

/*
-- Rollback for this migration
drop table if exists public.users;
*/
