-- Migration: 20251112000000_mcp_registry_infrastructure.sql
-- Description: MCP registry (phase 0.2):
--              - mcp_integrations: the marketplace registry (status disabled | enabled | deprecated; connection_type
--                oauth2 | api_key | webhook); authenticated users read enabled ones, admins manage all;
--              - user_integrations: which user installed which integration (status pending | active | error | revoked);
--              - oauth_tokens: access/refresh tokens encrypted at rest with pgcrypto (pgp_sym_encrypt, AES-256),
--                visible to their owner only;
--              - encrypt_oauth_token(text) -> bytea and decrypt_oauth_token(bytea) -> text. The key is NEVER stored
--                in the schema: both read it at call time from the setting app.settings.encryption_key and raise
--                SQLSTATE 55000 when it is unset. Provide it per deployment, e.g.
--                  alter database postgres set app.settings.encryption_key = '<secret from your vault>';
--                or per transaction: select set_config('app.settings.encryption_key', '<secret>', true);
--                Both functions are executable by service_role only (the server-side OAuth callback and MCP
--                client), never by anon or authenticated.
-- Encryption: Keel's keel.encrypt_secret()/keel.decrypt_secret() (pgcrypto pgp_sym_*, AES-256). Keel sets
--              app.settings.encryption_key in every transaction from KEEL_ENCRYPTION_KEY.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.mcp_integrations (
  id uuid primary key default extensions.uuid_generate_v4(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  description text,
  category text not null,
  connection_type text not null check (connection_type in ('oauth2', 'api_key', 'webhook')),
  status text not null default 'disabled' check (status in ('disabled', 'enabled', 'deprecated')),
  auth_config jsonb not null default '{}'::jsonb, -- public OAuth metadata (authorize URL, scopes); no secrets
  documentation_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.mcp_integrations is 'Registry of MCP integrations. Authenticated users read enabled ones; admins manage all.';

alter table public.mcp_integrations enable row level security;

create index if not exists idx_mcp_integrations_category on public.mcp_integrations (category);

drop trigger if exists mcp_integrations_updated_at on public.mcp_integrations;
create trigger mcp_integrations_updated_at
  before update on public.mcp_integrations
  for each row execute function public.update_updated_at_column();

create table if not exists public.user_integrations (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  integration_id uuid not null references public.mcp_integrations (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'active', 'error', 'revoked')),
  installed_at timestamptz not null default now(),
  last_synced_at timestamptz,
  error_message text,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_integrations_user_integration_key unique (user_id, integration_id)
);

comment on table public.user_integrations is 'Integrations installed by users. Users see their own; admins see all.';

alter table public.user_integrations enable row level security;

-- user_id is the leading column of the unique (user_id, integration_id) index
create index if not exists idx_user_integrations_integration_id on public.user_integrations (integration_id);

drop trigger if exists user_integrations_updated_at on public.user_integrations;
create trigger user_integrations_updated_at
  before update on public.user_integrations
  for each row execute function public.update_updated_at_column();

create table if not exists public.oauth_tokens (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_integration_id uuid not null references public.user_integrations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  access_token_encrypted bytea not null,
  refresh_token_encrypted bytea,
  token_type text not null default 'Bearer',
  scopes text[] not null default '{}',
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint oauth_tokens_user_integration_key unique (user_integration_id)
);

comment on table public.oauth_tokens is 'OAuth tokens encrypted with encrypt_oauth_token(). Only their owner sees them.';
comment on column public.oauth_tokens.access_token_encrypted is 'pgp_sym_encrypt(token, app.settings.encryption_key), AES-256';

alter table public.oauth_tokens enable row level security;

create index if not exists idx_oauth_tokens_user_id on public.oauth_tokens (user_id);
create index if not exists idx_oauth_tokens_scopes on public.oauth_tokens using gin (scopes);
create index if not exists idx_oauth_tokens_expires_at on public.oauth_tokens (expires_at);

drop trigger if exists oauth_tokens_updated_at on public.oauth_tokens;
create trigger oauth_tokens_updated_at
  before update on public.oauth_tokens
  for each row execute function public.update_updated_at_column();

-- encrypt_oauth_token / decrypt_oauth_token ----------------------------------------------------------------------
create or replace function public.encrypt_oauth_token(p_token text)
returns bytea
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'encrypt_oauth_token: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_token is null then
    return null;
  end if;
  return keel.encrypt_secret(p_token);
end;
$$;

create or replace function public.decrypt_oauth_token(p_encrypted bytea)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'decrypt_oauth_token: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_encrypted is null then
    return null;
  end if;
  return keel.decrypt_secret(p_encrypted);
exception
  when external_routine_invocation_exception or data_exception then
    raise exception 'decrypt_oauth_token: the token cannot be decrypted with the current key (%)', sqlerrm
      using errcode = '39000';
end;
$$;

comment on function public.encrypt_oauth_token(text) is 'Encrypts an OAuth token with the key in app.settings.encryption_key (AES-256).';
comment on function public.decrypt_oauth_token(bytea) is 'Decrypts a token written by encrypt_oauth_token(); needs app.settings.encryption_key.';

revoke execute on function public.encrypt_oauth_token(text) from public, anon, authenticated;
revoke execute on function public.decrypt_oauth_token(bytea) from public, anon, authenticated;
grant execute on function public.encrypt_oauth_token(text) to service_role;
grant execute on function public.decrypt_oauth_token(bytea) to service_role;

/*
-- Rollback for this migration
drop function if exists public.decrypt_oauth_token(bytea);
drop function if exists public.encrypt_oauth_token(text);
drop table if exists public.oauth_tokens;
drop table if exists public.user_integrations;
drop table if exists public.mcp_integrations;
*/
