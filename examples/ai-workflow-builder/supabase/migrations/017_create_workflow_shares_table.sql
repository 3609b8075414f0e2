-- Migration: 017_create_workflow_shares_table.sql
-- Description: Creates public.workflow_shares: a workflow shared by one user with another, with a
--              permission ('view' or 'edit') and an optional expiry.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_shares (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  shared_by uuid not null references public.users (id) on delete cascade,
  shared_with uuid not null references public.users (id) on delete cascade,
  permission public.share_permission not null default 'view',
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workflow_id, shared_with),
  check (shared_by <> shared_with)
);

drop trigger if exists set_updated_at on public.workflow_shares;
create trigger set_updated_at
before update on public.workflow_shares
for each row execute procedure public.update_timestamp();

-- workflow_id is served by the unique (workflow_id, shared_with) index
create index if not exists workflow_shares_shared_by_idx on public.workflow_shares (shared_by);
create index if not exists workflow_shares_shared_with_idx on public.workflow_shares (shared_with);

/*
-- Rollback for this migration
drop table if exists public.workflow_shares;
*/
