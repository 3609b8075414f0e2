-- Migration: 011_create_workflow_versions_table.sql
-- Description: Creates public.workflow_versions with the seed document's auto-increment pattern: every update of a
--              row bumps its version by one (clients cannot set it) and refreshes updated_at.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_versions (
  id uuid primary key default extensions.uuid_generate_v4(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  version integer not null default 1 check (version > 0),
  content jsonb not null default '{}'::jsonb,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now()
);

comment on table public.workflow_versions is 'Versioned content of a workflow; version increments on every update.';

create or replace function public.increment_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.version = old.version + 1;
  new.updated_at = now();
  return new;
end;
$$;

drop trigger if exists workflow_versions_increment_version on public.workflow_versions;
create trigger workflow_versions_increment_version
before update on public.workflow_versions
for each row execute procedure public.increment_version();

-- Same updated_at trigger as every other table (increment_version also sets it; both are harmless together)
drop trigger if exists set_updated_at on public.workflow_versions;
create trigger set_updated_at
before update on public.workflow_versions
for each row execute procedure public.update_timestamp();

create index if not exists workflow_versions_workflow_id_idx on public.workflow_versions (workflow_id);

/*
-- Rollback for this migration
drop table if exists public.workflow_versions;
drop function if exists public.increment_version();
*/
