-- Migration: 012_create_workflow_executions_table.sql
-- Description: Creates public.workflow_executions: one row per run of a workflow (who ran it, how
--              it was triggered, status, input/output, error, timing, tokens and cost).
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_executions (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  user_id uuid references public.users (id) on delete set null,
  status public.execution_status not null default 'pending',
  trigger_source text not null default 'manual' check (trigger_source in ('manual', 'schedule', 'webhook', 'api')),
  input_data jsonb not null default '{}'::jsonb,
  output_data jsonb,
  error_message text,
  started_at timestamptz,
  completed_at timestamptz,
  duration_ms integer check (duration_ms >= 0),
  tokens_used integer not null default 0 check (tokens_used >= 0),
  cost_usd numeric(12, 6) not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (completed_at is null or started_at is null or completed_at >= started_at)
);

drop trigger if exists set_updated_at on public.workflow_executions;
create trigger set_updated_at
before update on public.workflow_executions
for each row execute procedure public.update_timestamp();

-- "my recent runs" and "recent runs of this workflow"; both also serve the foreign keys
create index if not exists workflow_executions_user_id_created_at_idx on public.workflow_executions (user_id, created_at desc);
create index if not exists workflow_executions_workflow_id_created_at_idx on public.workflow_executions (workflow_id, created_at desc);
-- the execution engine's queue
create index if not exists workflow_executions_unfinished_idx on public.workflow_executions (created_at)
  where status in ('pending', 'running');

/*
-- Rollback for this migration
drop table if exists public.workflow_executions;
*/
