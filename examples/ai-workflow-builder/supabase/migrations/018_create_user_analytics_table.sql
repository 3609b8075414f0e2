-- Migration: 018_create_user_analytics_table.sql
-- Description: Creates public.user_analytics: product events per user (logins, page views,
--              workflow and template actions) for usage analytics and billing.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.user_analytics (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  workflow_id uuid references public.workflows (id) on delete set null,
  event_type text not null,
  event_data jsonb not null default '{}'::jsonb,
  session_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

drop trigger if exists set_updated_at on public.user_analytics;
create trigger set_updated_at
before update on public.user_analytics
for each row execute procedure public.update_timestamp();

-- "a user's activity over time" (also serves the user_id foreign key)
create index if not exists user_analytics_user_id_created_at_idx on public.user_analytics (user_id, created_at desc);
create index if not exists user_analytics_workflow_id_idx on public.user_analytics (workflow_id);
create index if not exists user_analytics_event_type_created_at_idx on public.user_analytics (event_type, created_at desc);

/*
-- Rollback for this migration
drop table if exists public.user_analytics;
*/
