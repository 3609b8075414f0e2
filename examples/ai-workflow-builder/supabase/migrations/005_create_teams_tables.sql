-- Migration: 005_create_teams_tables.sql
-- Description: Creates public.teams (with plan and usage limits) and public.team_members (one row
--              per user per team, with a team_role).
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
  description text,
  owner_id uuid references public.users (id) on delete set null,
  plan text not null default 'team' check (plan in ('team', 'business', 'enterprise')),
  max_members integer not null default 10 check (max_members > 0),
  monthly_execution_limit integer not null default 5000 check (monthly_execution_limit >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists public.team_members (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role public.team_role not null default 'viewer',
  invited_by uuid references public.users (id) on delete set null,
  joined_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, user_id)
);

drop trigger if exists set_updated_at on public.teams;
create trigger set_updated_at
before update on public.teams
for each row execute procedure public.update_timestamp();

drop trigger if exists set_updated_at on public.team_members;
create trigger set_updated_at
before update on public.team_members
for each row execute procedure public.update_timestamp();

create index if not exists teams_owner_id_idx on public.teams (owner_id);
-- team_members.team_id is served by the unique (team_id, user_id) index
create index if not exists team_members_user_id_idx on public.team_members (user_id);
create index if not exists team_members_invited_by_idx on public.team_members (invited_by);

/*
-- Rollback for this migration
drop table if exists public.team_members;
drop table if exists public.teams;
*/
