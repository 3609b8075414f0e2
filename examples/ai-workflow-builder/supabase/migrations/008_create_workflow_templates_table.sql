-- Migration: 008_create_workflow_templates_table.sql
-- Description: Creates public.workflow_templates: pre-built workflows (nodes and connections as
--              JSON) that users start from. Official templates come from the service role; users may publish their
--              own (is_public) or keep them private.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_templates (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  category text not null default 'automation',
  template_data jsonb not null default '{"nodes": [], "connections": []}'::jsonb,
  tags text[] not null default '{}',
  created_by uuid references public.users (id) on delete set null,
  is_official boolean not null default false,
  is_public boolean not null default true,
  use_count integer not null default 0 check (use_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

drop trigger if exists set_updated_at on public.workflow_templates;
create trigger set_updated_at
before update on public.workflow_templates
for each row execute procedure public.update_timestamp();

create index if not exists workflow_templates_created_by_idx on public.workflow_templates (created_by);
create index if not exists workflow_templates_category_idx on public.workflow_templates (category);

/*
-- Rollback for this migration
drop table if exists public.workflow_templates;
*/
