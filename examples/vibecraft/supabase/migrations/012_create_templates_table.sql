-- Migration: 012_create_templates_table.sql
-- Description: Creates public.templates, reusable project starters, prompt recipes and components. Official
--              templates (is_official, created_by null) are published by the service role. Public templates are
--              readable by everyone, anon included; private ones only by their creator.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.templates (
  id uuid primary key default gen_random_uuid(),
  created_by uuid references public.users (id) on delete set null,
  source_project_id uuid references public.projects (id) on delete set null,
  name text not null check (length(trim(name)) between 1 and 120),
  description text,
  kind text not null default 'project' check (kind in ('project', 'prompt', 'component')),
  category text,
  content jsonb not null default '{}'::jsonb,
  is_public boolean not null default false,
  is_official boolean not null default false,
  use_count integer not null default 0 check (use_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.templates is 'Reusable templates; public ones are readable by everyone, private ones by their creator.';

drop trigger if exists set_updated_at on public.templates;
create trigger set_updated_at
before update on public.templates
for each row execute procedure public.update_timestamp();

create index if not exists templates_created_by_idx on public.templates (created_by);
create index if not exists templates_source_project_id_idx on public.templates (source_project_id);
-- The gallery lists public templates by popularity
create index if not exists templates_public_use_count_idx on public.templates (use_count desc) where is_public;

/*
-- Rollback for this migration
drop table if exists public.templates;
*/
