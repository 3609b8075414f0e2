-- Migration: 015_create_config_encryption_functions.sql
-- Description: encrypt_config(jsonb) -> bytea and decrypt_config(bytea) -> jsonb, with pgcrypto's
--              pgp_sym_encrypt/pgp_sym_decrypt (AES-256). The key is never stored in the schema: both functions read
--              it at call time from the setting app.settings.encryption_key and raise a clear error (SQLSTATE 55000)
--              when it is unset. Provide it per deployment, never in a migration, e.g.
--                alter database postgres set app.settings.encryption_key = '<secret from your vault>';
--              or per session/transaction: select set_config('app.settings.encryption_key', '<secret>', true);
-- Encryption: Keel's keel.encrypt_secret()/keel.decrypt_secret() (pgcrypto pgp_sym_*, AES-256). Keel sets
--              app.settings.encryption_key in every transaction from KEEL_ENCRYPTION_KEY.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.encrypt_config(p_config jsonb)
returns bytea
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'encrypt_config: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_config is null then
    return null;
  end if;
  return keel.encrypt_secret(p_config::text);
end;
$$;

create or replace function public.decrypt_config(p_config_encrypted bytea)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'decrypt_config: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_config_encrypted is null then
    return null;
  end if;
  return keel.decrypt_secret(p_config_encrypted)::jsonb;
end;
$$;

comment on function public.encrypt_config(jsonb) is 'Encrypts an integration config with the key in app.settings.encryption_key.';
comment on function public.decrypt_config(bytea) is 'Decrypts a config written by encrypt_config(); needs app.settings.encryption_key.';

revoke execute on function public.encrypt_config(jsonb) from public, anon;
revoke execute on function public.decrypt_config(bytea) from public, anon;
grant execute on function public.encrypt_config(jsonb) to authenticated, service_role;
grant execute on function public.decrypt_config(bytea) to authenticated, service_role;

/*
-- Rollback for this migration
drop function if exists public.decrypt_config(bytea);
drop function if exists public.encrypt_config(jsonb);
*/
