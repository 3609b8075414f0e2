-- Migration: 20240901000000_create_update_timestamp_function.sql
-- Description: Installs the extensions the CRM relies on (uuid-ossp, pgcrypto, in the `extensions` schema as on
--              Supabase) and creates update_timestamp(), the trigger function every table's set_updated_at trigger
--              calls to keep updated_at current (the seed's "Audit Trails - Created/updated timestamps").
-- Author: Keel examples
-- Date: 2024-09-01

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

create or replace function public.update_timestamp()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;

comment on function public.update_timestamp() is 'Trigger function: sets updated_at to now() before each update.';

/*
-- Rollback for this migration (drop the set_updated_at triggers first, or use cascade)
drop function if exists public.update_timestamp() cascade;
*/
