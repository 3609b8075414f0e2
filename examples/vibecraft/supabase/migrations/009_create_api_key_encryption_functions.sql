-- Migration: 009_create_api_key_encryption_functions.sql
-- Description: encrypt_api_key(text) -> bytea and decrypt_api_key(bytea) -> text, with pgcrypto's
--              pgp_sym_encrypt/pgp_sym_decrypt (AES-256). The key is never stored in the schema: both functions read
--              it at call time from the setting app.settings.encryption_key and raise a clear error (SQLSTATE 55000)
--              when it is unset. A wrong key raises a clear error too (SQLSTATE 39000), never garbage. Provide the
--              key per deployment, never in a migration, e.g.
--                alter database postgres set app.settings.encryption_key = '<secret from your vault>';
--              or per transaction: select set_config('app.settings.encryption_key', '<secret>', true);
-- Encryption: Keel's keel.encrypt_secret()/keel.decrypt_secret() (pgcrypto pgp_sym_*, AES-256). Keel sets
--              app.settings.encryption_key in every transaction from KEEL_ENCRYPTION_KEY.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.encrypt_api_key(p_api_key text)
returns bytea
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'encrypt_api_key: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_api_key is null then
    return null;
  end if;
  return keel.encrypt_secret(p_api_key);
end;
$$;

create or replace function public.decrypt_api_key(p_api_key_encrypted bytea)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text := current_setting('app.settings.encryption_key', true);
begin
  if v_key is null or v_key = '' then
    raise exception 'decrypt_api_key: the setting app.settings.encryption_key is not set'
      using errcode = '55000',
            hint = 'Set the key for the database or session (never in a migration): select set_config(''app.settings.encryption_key'', ''<secret>'', false);';
  end if;
  if p_api_key_encrypted is null then
    return null;
  end if;
  begin
    return keel.decrypt_secret(p_api_key_encrypted);
  exception
    when external_routine_invocation_exception then
      raise exception 'decrypt_api_key: cannot decrypt the API key: app.settings.encryption_key is not the key it was encrypted with, or the data is corrupt'
        using errcode = '39000',
              hint = 'Check that app.settings.encryption_key is the key of this database.';
  end;
end;
$$;

comment on function public.encrypt_api_key(text) is 'Encrypts an AI provider API key with the key in app.settings.encryption_key.';
comment on function public.decrypt_api_key(bytea) is 'Decrypts an API key written by encrypt_api_key(); needs app.settings.encryption_key.';

revoke execute on function public.encrypt_api_key(text) from public, anon;
revoke execute on function public.decrypt_api_key(bytea) from public, anon;
grant execute on function public.encrypt_api_key(text) to authenticated, service_role;
grant execute on function public.decrypt_api_key(bytea) to authenticated, service_role;

/*
-- Rollback for this migration
drop function if exists public.decrypt_api_key(bytea);
drop function if exists public.encrypt_api_key(text);
*/
