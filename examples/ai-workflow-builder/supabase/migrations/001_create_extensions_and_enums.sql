-- Migration: 001_create_extensions_and_enums.sql
-- Description: Installs pgcrypto (config encryption) and uuid-ossp in the `extensions` schema, as on
--              Supabase, and creates the enums of the schema. team_role and share_permission are declared from the
--              least to the most privileged value, so policies can compare them (role >= 'editor').
-- Author: Keel examples
-- Date: 2026-11-22

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

do $$ begin
  create type public.workflow_status as enum ('draft', 'active', 'paused', 'archived');
exception
  when duplicate_object then null;
end $$;

do $$ begin
  create type public.node_type as enum ('trigger', 'action', 'condition', 'ai', 'transform', 'integration', 'delay', 'output');
exception
  when duplicate_object then null;
end $$;

do $$ begin
  create type public.execution_status as enum ('pending', 'running', 'succeeded', 'failed', 'cancelled');
exception
  when duplicate_object then null;
end $$;

-- Ordered: viewer < editor < admin < owner
do $$ begin
  create type public.team_role as enum ('viewer', 'editor', 'admin', 'owner');
exception
  when duplicate_object then null;
end $$;

-- Ordered: view < edit
do $$ begin
  create type public.share_permission as enum ('view', 'edit');
exception
  when duplicate_object then null;
end $$;

/*
-- Rollback for this migration
drop type if exists public.share_permission;
drop type if exists public.team_role;
drop type if exists public.execution_status;
drop type if exists public.node_type;
drop type if exists public.workflow_status;
-- the extensions are shared with Supabase itself: leave them installed
*/
