-- Migration: 014_create_user_integrations_table.sql
-- Description: Creates public.user_integrations: a user's connection to an integration. The
--              config (API keys, tokens) is stored only encrypted, in config_encrypted (pgp_sym_encrypt, see
--              015_create_config_encryption_functions.sql); there is no plain-text config column.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.user_integrations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  integration_id uuid not null references public.integrations (id) on delete cascade,
  name text not null default 'default',
  config_encrypted bytea,
  is_active boolean not null default true,
  usage_count integer not null default 0 check (usage_count >= 0),
  last_used_at timestamptz,
  last_tested_at timestamptz,
  last_test_status text check (last_test_status in ('ok', 'failed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, integration_id, name)
);

comment on column public.user_integrations.config_encrypted is
  'Integration config (JSON), encrypted with public.encrypt_config(); read it with public.decrypt_config().';

drop trigger if exists set_updated_at on public.user_integrations;
create trigger set_updated_at
before update on public.user_integrations
for each row execute procedure public.update_timestamp();

-- user_id is served by the unique (user_id, integration_id, name) index
create index if not exists user_integrations_integration_id_idx on public.user_integrations (integration_id);

/*
-- Rollback for this migration
drop table if exists public.user_integrations;
*/
