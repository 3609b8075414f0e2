-- Migration: 009_create_workflows_table.sql
-- Description: Creates public.workflows: owned by a user (user_id), optionally shared with a team
--              (team_id) and optionally public (is_public). search_vector is a generated column over name (weight A)
--              and description (weight B) with a GIN index for full-text search:
--                where search_vector @@ websearch_to_tsquery('english', 'invoice email')
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflows (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  team_id uuid references public.teams (id) on delete set null,
  template_id uuid references public.workflow_templates (id) on delete set null,
  name text not null,
  description text,
  status public.workflow_status not null default 'draft',
  is_public boolean not null default false,
  version integer not null default 1 check (version > 0),
  trigger_type text not null default 'manual' check (trigger_type in ('manual', 'schedule', 'webhook', 'event')),
  trigger_config jsonb not null default '{}'::jsonb,
  settings jsonb not null default '{}'::jsonb,
  tags text[] not null default '{}',
  ai_prompt text,
  execution_count integer not null default 0 check (execution_count >= 0),
  last_executed_at timestamptz,
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on column public.workflows.ai_prompt is 'Natural-language request the workflow was generated from, if any.';

drop trigger if exists set_updated_at on public.workflows;
create trigger set_updated_at
before update on public.workflows
for each row execute procedure public.update_timestamp();

create index if not exists workflows_user_id_updated_at_idx on public.workflows (user_id, updated_at desc);
create index if not exists workflows_team_id_idx on public.workflows (team_id);
create index if not exists workflows_template_id_idx on public.workflows (template_id);
create index if not exists workflows_search_idx on public.workflows using gin (search_vector);
create index if not exists workflows_public_idx on public.workflows (updated_at desc) where is_public;

/*
-- Rollback for this migration
drop table if exists public.workflows;
*/
