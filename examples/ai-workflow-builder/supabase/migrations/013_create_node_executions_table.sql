-- Migration: 013_create_node_executions_table.sql
-- Description: Creates public.node_executions: the result of each node within a workflow
--              execution (status, input/output, error, timing, tokens, retries).
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.node_executions (
  id uuid primary key default gen_random_uuid(),
  execution_id uuid not null references public.workflow_executions (id) on delete cascade,
  node_id uuid references public.workflow_nodes (id) on delete set null,
  status public.execution_status not null default 'pending',
  input_data jsonb not null default '{}'::jsonb,
  output_data jsonb,
  error_message text,
  started_at timestamptz,
  completed_at timestamptz,
  duration_ms integer check (duration_ms >= 0),
  tokens_used integer not null default 0 check (tokens_used >= 0),
  retry_count integer not null default 0 check (retry_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

drop trigger if exists set_updated_at on public.node_executions;
create trigger set_updated_at
before update on public.node_executions
for each row execute procedure public.update_timestamp();

create index if not exists node_executions_execution_id_started_at_idx on public.node_executions (execution_id, started_at);
create index if not exists node_executions_node_id_idx on public.node_executions (node_id);

/*
-- Rollback for this migration
drop table if exists public.node_executions;
*/
