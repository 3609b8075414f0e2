-- Migration: 008_create_project_settings_table.sql
-- Description: Creates public.project_settings: at most one row per project (unique project_id) with a few typed
--              columns the editor reads often and a flexible jsonb `settings` document for the rest (theme,
--              preview device, build options, ...). A project without a row uses the defaults.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.project_settings (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null unique references public.projects (id) on delete cascade,
  default_model text,
  temperature numeric(3, 2) not null default 0.70 check (temperature between 0 and 2),
  visibility text not null default 'private' check (visibility in ('private', 'team', 'unlisted')),
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.project_settings is 'Flexible per-project configuration: typed columns plus a jsonb settings document.';

drop trigger if exists set_updated_at on public.project_settings;
create trigger set_updated_at
before update on public.project_settings
for each row execute procedure public.update_timestamp();

-- project_settings.project_id is served by its unique index

/*
-- Rollback for this migration
drop table if exists public.project_settings;
*/
