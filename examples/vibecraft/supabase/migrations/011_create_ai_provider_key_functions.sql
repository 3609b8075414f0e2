-- Migration: 011_create_ai_provider_key_functions.sql
-- Description: API (RPC) functions for provider keys, so clients never handle ciphertext:
--              save_ai_provider(provider, api_key, name, default_model, base_url) encrypts and upserts the caller's
--              row and returns its id; get_ai_provider_api_key(id) returns the decrypted key of one of the caller's
--              rows. Both run as the caller (security invoker), so the ai_providers policies still apply: nobody can
--              read another user's key, project collaborators included.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.save_ai_provider(
  p_provider text,
  p_api_key text,
  p_name text default 'default',
  p_default_model text default null,
  p_base_url text default null
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
    raise exception 'save_ai_provider: not signed in' using errcode = '42501';
  end if;

  insert into public.ai_providers (user_id, provider, name, api_key_encrypted, api_key_hint, default_model, base_url)
  values (
    auth.uid(), p_provider, coalesce(p_name, 'default'), public.encrypt_api_key(p_api_key),
    case when p_api_key is null then null else right(p_api_key, 4) end,
    p_default_model, p_base_url
  )
  on conflict (user_id, provider, name) do update
    set api_key_encrypted = excluded.api_key_encrypted,
        api_key_hint = excluded.api_key_hint,
        default_model = coalesce(excluded.default_model, public.ai_providers.default_model),
        base_url = coalesce(excluded.base_url, public.ai_providers.base_url),
        is_active = true
  returning id into v_id;

  return v_id;
end;
$$;

create or replace function public.get_ai_provider_api_key(p_ai_provider_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select public.decrypt_api_key(ap.api_key_encrypted)
  from public.ai_providers ap
  where ap.id = p_ai_provider_id;
$$;

revoke execute on function public.save_ai_provider(text, text, text, text, text) from public, anon;
revoke execute on function public.get_ai_provider_api_key(uuid) from public, anon;
grant execute on function public.save_ai_provider(text, text, text, text, text) to authenticated, service_role;
grant execute on function public.get_ai_provider_api_key(uuid) to authenticated, service_role;

/*
-- Rollback for this migration
drop function if exists public.get_ai_provider_api_key(uuid);
drop function if exists public.save_ai_provider(text, text, text, text, text);
*/
