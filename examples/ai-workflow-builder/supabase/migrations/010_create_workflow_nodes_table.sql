-- Migration: 010_create_workflow_nodes_table.sql
-- Description: Creates public.workflow_nodes: the steps of a workflow as drawn in the builder
--              (node_key is the client-side id, position_x/y the canvas position). AI nodes reference an ai_model,
--              integration nodes an integration. unique (workflow_id, id) lets connections check that both ends
--              belong to the same workflow.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_nodes (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  node_key text not null,
  node_type public.node_type not null,
  name text not null,
  config jsonb not null default '{}'::jsonb,
  position_x numeric(10, 2) not null default 0,
  position_y numeric(10, 2) not null default 0,
  ai_model_id uuid references public.ai_models (id) on delete set null,
  integration_id uuid references public.integrations (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workflow_id, node_key),
  unique (workflow_id, id)
);

drop trigger if exists set_updated_at on public.workflow_nodes;
create trigger set_updated_at
before update on public.workflow_nodes
for each row execute procedure public.update_timestamp();

-- workflow_id is served by the unique (workflow_id, node_key) index
create index if not exists workflow_nodes_ai_model_id_idx on public.workflow_nodes (ai_model_id);
create index if not exists workflow_nodes_integration_id_idx on public.workflow_nodes (integration_id);

/*
-- Rollback for this migration
drop table if exists public.workflow_nodes;
*/
