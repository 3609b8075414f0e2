-- Migration: 001_create_extensions.sql
-- Description: Installs uuid-ossp and pgcrypto (API key encryption) in the `extensions` schema, as on Supabase,
--              and creates update_timestamp(), the trigger function behind the set_updated_at trigger of every
--              table.
-- Author: Keel examples
-- Date: 2026-11-22

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
-- Rollback for this migration (drops every set_updated_at trigger too)
drop function if exists public.update_timestamp() cascade;
-- the extensions are shared with Supabase itself: leave them installed
*/
