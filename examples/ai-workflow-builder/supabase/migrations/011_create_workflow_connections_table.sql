-- Migration: 011_create_workflow_connections_table.sql
-- Description: Creates public.workflow_connections: directed edges between two nodes of the same
--              workflow (enforced by composite foreign keys), with optional handles and a branching condition.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_connections (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  source_node_id uuid not null,
  target_node_id uuid not null,
  source_handle text not null default 'out',
  target_handle text not null default 'in',
  label text,
  condition jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (workflow_id, source_node_id) references public.workflow_nodes (workflow_id, id) on delete cascade,
  foreign key (workflow_id, target_node_id) references public.workflow_nodes (workflow_id, id) on delete cascade,
  check (source_node_id <> target_node_id),
  unique (source_node_id, source_handle, target_node_id, target_handle)
);

drop trigger if exists set_updated_at on public.workflow_connections;
create trigger set_updated_at
before update on public.workflow_connections
for each row execute procedure public.update_timestamp();

-- These two also serve the workflow_id foreign key
create index if not exists workflow_connections_source_idx on public.workflow_connections (workflow_id, source_node_id);
create index if not exists workflow_connections_target_idx on public.workflow_connections (workflow_id, target_node_id);

/*
-- Rollback for this migration
drop table if exists public.workflow_connections;
*/
