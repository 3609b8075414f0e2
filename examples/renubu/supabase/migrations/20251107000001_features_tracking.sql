-- Migration: 20251107000001_features_tracking.sql
-- Description: Feature tracking (phase 0.1):
--              - features: the product feature registry (status active | planned | backlog | deferred | shipped,
--                phase, priority 1 = highest … 5), soft delete; authenticated users read, admins and PMs write;
--              - feature_updates: the change log; a trigger records every status, phase or priority change;
--              - can_manage_features(): the caller is an admin or a PM.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.features (
  id uuid primary key default extensions.uuid_generate_v4(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null,
  description text,
  status text not null default 'backlog'
    check (status in ('active', 'planned', 'backlog', 'deferred', 'shipped')),
  phase text,
  priority integer not null default 3 check (priority between 1 and 5),
  owner_id uuid references auth.users (id) on delete set null,
  release_id uuid references public.releases (id) on delete set null,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.features is 'Product feature registry. Authenticated users read; admins and PMs write.';

alter table public.features enable row level security;

create index if not exists idx_features_owner_id on public.features (owner_id);
create index if not exists idx_features_release_id on public.features (release_id);
create index if not exists idx_features_phase_priority on public.features (phase, priority) where deleted_at is null;

drop trigger if exists features_updated_at on public.features;
create trigger features_updated_at
  before update on public.features
  for each row execute function public.update_updated_at_column();

create table if not exists public.feature_updates (
  id uuid primary key default extensions.uuid_generate_v4(),
  feature_id uuid not null references public.features (id) on delete cascade,
  update_type text not null check (update_type in ('status_change', 'phase_change', 'priority_change', 'note')),
  old_value text,
  new_value text,
  note text,
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.feature_updates is 'Change log of features. Authenticated users read.';

alter table public.feature_updates enable row level security;

create index if not exists idx_feature_updates_feature_id on public.feature_updates (feature_id, created_at desc);
create index if not exists idx_feature_updates_updated_by on public.feature_updates (updated_by);

drop trigger if exists feature_updates_updated_at on public.feature_updates;
create trigger feature_updates_updated_at
  before update on public.feature_updates
  for each row execute function public.update_updated_at_column();

-- can_manage_features(): admins and PMs write the registry
create or replace function public.can_manage_features()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select public.has_role(array['admin', 'pm']);
$$;

-- Log status / phase / priority changes. security definer: the log entry is written whoever changed the feature
-- (RLS on features has already decided that they may).
create or replace function public.log_feature_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    insert into public.feature_updates (feature_id, update_type, old_value, new_value, updated_by)
    values (new.id, 'status_change', old.status, new.status, (select auth.uid()));
  end if;
  if new.phase is distinct from old.phase then
    insert into public.feature_updates (feature_id, update_type, old_value, new_value, updated_by)
    values (new.id, 'phase_change', old.phase, new.phase, (select auth.uid()));
  end if;
  if new.priority is distinct from old.priority then
    insert into public.feature_updates (feature_id, update_type, old_value, new_value, updated_by)
    values (new.id, 'priority_change', old.priority::text, new.priority::text, (select auth.uid()));
  end if;
  return new;
end;
$$;

drop trigger if exists features_log_update on public.features;
create trigger features_log_update
  after update of status, phase, priority on public.features
  for each row execute function public.log_feature_update();

/*
-- Rollback for this migration
drop trigger if exists features_log_update on public.features;
drop function if exists public.log_feature_update();
drop function if exists public.can_manage_features();
drop table if exists public.feature_updates;
drop table if exists public.features;
*/
