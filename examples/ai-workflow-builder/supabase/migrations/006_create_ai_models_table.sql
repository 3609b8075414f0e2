-- Migration: 006_create_ai_models_table.sql
-- Description: Creates public.ai_models, the catalogue of AI models nodes can use (provider, type,
--              limits, prices). Readable by everyone; maintained by the service role.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.ai_models (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  display_name text not null,
  provider text not null,
  model_type text not null,
  context_window integer check (context_window > 0),
  max_output_tokens integer check (max_output_tokens > 0),
  input_cost_per_1k numeric(10, 6) not null default 0,
  output_cost_per_1k numeric(10, 6) not null default 0,
  capabilities text[] not null default '{}',
  default_config jsonb not null default '{}'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

drop trigger if exists set_updated_at on public.ai_models;
create trigger set_updated_at
before update on public.ai_models
for each row execute procedure public.update_timestamp();

create index if not exists ai_models_provider_idx on public.ai_models (provider);

/*
-- Rollback for this migration
drop table if exists public.ai_models;
*/
