-- Migration: 010_create_ai_providers_table.sql
-- Description: Creates public.ai_providers, each user's AI provider configurations. There is no plain-text key
--              column: api_key_encrypted is written by encrypt_api_key() (migration 009); api_key_hint keeps the
--              last four characters for the settings screen. Local providers (ollama) have no key. Also adds the
--              foreign key project_prompts.ai_provider_id -> ai_providers.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.ai_providers (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  provider text not null check (provider in ('openai', 'anthropic', 'google', 'mistral', 'groq', 'ollama', 'openrouter')),
  name text not null default 'default',
  api_key_encrypted bytea,
  api_key_hint text check (api_key_hint is null or length(api_key_hint) <= 8),
  base_url text,
  default_model text,
  is_default boolean not null default false,
  is_active boolean not null default true,
  settings jsonb not null default '{}'::jsonb,
  last_used_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, provider, name)
);

comment on table public.ai_providers is 'Per-user AI provider configuration; API keys are stored encrypted (pgcrypto).';
comment on column public.ai_providers.api_key_encrypted is 'pgp_sym_encrypt(api key) with app.settings.encryption_key; see encrypt_api_key().';

drop trigger if exists set_updated_at on public.ai_providers;
create trigger set_updated_at
before update on public.ai_providers
for each row execute procedure public.update_timestamp();

-- ai_providers.user_id is served by the unique (user_id, provider, name) index
-- At most one default provider per user
create unique index if not exists ai_providers_one_default_per_user_idx on public.ai_providers (user_id) where is_default;

do $$ begin
  alter table public.project_prompts
    add constraint project_prompts_ai_provider_id_fkey
    foreign key (ai_provider_id) references public.ai_providers (id) on delete set null;
exception
  when duplicate_object then null;
end $$;

/*
-- Rollback for this migration
alter table public.project_prompts drop constraint if exists project_prompts_ai_provider_id_fkey;
drop table if exists public.ai_providers;
*/
