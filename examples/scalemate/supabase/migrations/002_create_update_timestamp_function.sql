-- Migration: 002_create_update_timestamp_function.sql
-- Description: Creates update_timestamp(), the trigger function every table with an updated_at column uses
--              (trigger name: set_updated_at) to keep updated_at current on each update.
-- Author: Keel examples
-- Date: 2026-11-22

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
