-- Migration: 007_create_integrations_table.sql
-- Description: Creates public.integrations, the catalogue of third-party services (name, category,
--              auth type, JSON schema of the config a user must supply). Readable by everyone.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.integrations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  display_name text not null,
  description text,
  category text not null,
  icon_url text,
  auth_type text not null default 'api_key' check (auth_type in ('api_key', 'oauth2', 'basic', 'none')),
  config_schema jsonb not null default '{}'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

drop trigger if exists set_updated_at on public.integrations;
create trigger set_updated_at
before update on public.integrations
for each row execute procedure public.update_timestamp();

create index if not exists integrations_category_idx on public.integrations (category);

/*
-- Rollback for this migration
drop table if exists public.integrations;
*/
