-- Migration: 016_create_user_integration_config_functions.sql
-- Description: API (RPC) functions for integration configs, so clients never handle ciphertext:
--              save_user_integration(integration, config, name) encrypts and upserts the caller's row and returns
--              its id; get_user_integration_config(id) returns the decrypted config of one of the caller's rows.
--              Both run as the caller (security invoker), so the user_integrations policies still apply.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.save_user_integration(
  p_integration_id uuid,
  p_config jsonb,
  p_name text default 'default'
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if auth.uid() is null then
    raise exception 'save_user_integration: not signed in' using errcode = '42501';
  end if;

  insert into public.user_integrations (user_id, integration_id, name, config_encrypted)
  values (auth.uid(), p_integration_id, coalesce(p_name, 'default'), public.encrypt_config(p_config))
  on conflict (user_id, integration_id, name) do update
    set config_encrypted = excluded.config_encrypted,
        is_active = true
  returning id into v_id;

  return v_id;
end;
$$;

create or replace function public.get_user_integration_config(p_user_integration_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select public.decrypt_config(ui.config_encrypted)
  from public.user_integrations ui
  where ui.id = p_user_integration_id;
$$;

revoke execute on function public.save_user_integration(uuid, jsonb, text) from public, anon;
revoke execute on function public.get_user_integration_config(uuid) from public, anon;
grant execute on function public.save_user_integration(uuid, jsonb, text) to authenticated, service_role;
grant execute on function public.get_user_integration_config(uuid) to authenticated, service_role;

/*
-- Rollback for this migration
drop function if exists public.get_user_integration_config(uuid);
drop function if exists public.save_user_integration(uuid, jsonb, text);
*/
