-- Migration: 001_create_extensions_and_enums.sql
-- Description: Installs the extensions ScaleMate relies on (uuid-ossp, pgcrypto, in the `extensions` schema as on
--              Supabase) and creates the four enums of the data model: user_role, team_role, task_status,
--              trigger_type. Enums use the do/exception pattern so the file can be re-run safely.
-- Author: Keel examples
-- Date: 2026-11-22

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- UserRole: application-wide role stored on public.users
do $$ begin
  create type public.user_role as enum ('admin', 'manager', 'member');
exception
  when duplicate_object then null;
end $$;

-- TeamRole: role of a member inside one team
do $$ begin
  create type public.team_role as enum ('owner', 'admin', 'member');
exception
  when duplicate_object then null;
end $$;

-- TaskStatus: lifecycle of a task
do $$ begin
  create type public.task_status as enum ('todo', 'in_progress', 'review', 'done');
exception
  when duplicate_object then null;
end $$;

-- TriggerType: what fires an automation rule
do $$ begin
  create type public.trigger_type as enum ('schedule', 'event', 'condition');
exception
  when duplicate_object then null;
end $$;

/*
-- Rollback for this migration
drop type if exists public.trigger_type;
drop type if exists public.task_status;
drop type if exists public.team_role;
drop type if exists public.user_role;
-- the extensions are shared with Supabase itself: leave them installed
*/
