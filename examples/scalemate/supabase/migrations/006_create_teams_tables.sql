-- Migration: 006_create_teams_tables.sql
-- Description: Creates public.teams and the public.team_members junction table (one row per user per team, with a
--              team_role). Foreign keys are indexed.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.teams (
  id uuid primary key default extensions.uuid_generate_v4(),
  name varchar(255) not null,
  description text,
  owner_id uuid references public.users (id) on delete set null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  is_active boolean not null default true
);

comment on table public.teams is 'Teams that own workflows; owner_id is the creating user.';

create table if not exists public.team_members (
  id uuid primary key default extensions.uuid_generate_v4(),
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role public.team_role not null default 'member',
  permissions jsonb not null default '{}'::jsonb,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  unique (team_id, user_id)
);

comment on table public.team_members is 'Membership of users in teams, with their team_role and fine-grained permissions.';

drop trigger if exists set_updated_at on public.teams;
create trigger set_updated_at
before update on public.teams
for each row execute procedure public.update_timestamp();

drop trigger if exists set_updated_at on public.team_members;
create trigger set_updated_at
before update on public.team_members
for each row execute procedure public.update_timestamp();

create index if not exists teams_owner_id_idx on public.teams (owner_id);
-- team_members.team_id is served by the unique (team_id, user_id) index; a second index on it would be redundant
create index if not exists team_members_user_id_idx on public.team_members (user_id);

/*
-- Rollback for this migration
drop table if exists public.team_members;
drop table if exists public.teams;
*/
