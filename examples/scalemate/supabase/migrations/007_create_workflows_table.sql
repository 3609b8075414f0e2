-- Migration: 007_create_workflows_table.sql
-- Description: Creates public.workflows. A workflow belongs to a team (team_id) or, when team_id is null, is a
--              personal workflow of its creator.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflows (
  id uuid primary key default extensions.uuid_generate_v4(),
  name varchar(255) not null,
  description text,
  team_id uuid references public.teams (id) on delete cascade,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  is_active boolean not null default true
);

comment on table public.workflows is 'Workflows of a team, or personal ones when team_id is null.';

drop trigger if exists set_updated_at on public.workflows;
create trigger set_updated_at
before update on public.workflows
for each row execute procedure public.update_timestamp();

create index if not exists workflows_team_id_idx on public.workflows (team_id);
create index if not exists workflows_created_by_idx on public.workflows (created_by);

/*
-- Rollback for this migration
drop table if exists public.workflows;
*/
