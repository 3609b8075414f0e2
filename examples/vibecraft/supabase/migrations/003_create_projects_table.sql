-- Migration: 003_create_projects_table.sql
-- Description: Creates public.projects, the workspaces of VibeCraft Studio. owner_id is the project's primary
--              owner. Soft delete: deleted_at set = in the owner's trash (members no longer see the project or its
--              data); a real delete removes the project and everything in it.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.users (id) on delete cascade,
  name text not null check (length(trim(name)) between 1 and 120),
  description text,
  framework text not null default 'react' check (framework in ('react', 'vue', 'svelte', 'nextjs', 'static')),
  status text not null default 'active' check (status in ('active', 'archived')),
  thumbnail_url text,
  last_opened_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.projects is 'Project workspaces; deleted_at marks a soft-deleted project (owner''s trash).';

drop trigger if exists set_updated_at on public.projects;
create trigger set_updated_at
before update on public.projects
for each row execute procedure public.update_timestamp();

create index if not exists projects_owner_id_idx on public.projects (owner_id);
-- The dashboard lists live projects, most recently changed first
create index if not exists projects_live_updated_at_idx on public.projects (updated_at desc) where deleted_at is null;

/*
-- Rollback for this migration
drop table if exists public.projects;
*/
