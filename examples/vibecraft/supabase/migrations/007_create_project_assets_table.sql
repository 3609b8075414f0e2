-- Migration: 007_create_project_assets_table.sql
-- Description: Creates public.project_assets, the metadata of files uploaded to a project (the bytes live in
--              object storage under storage_path). Soft delete as in project_knowledge.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.project_assets (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  uploaded_by uuid references public.users (id) on delete set null,
  file_name text not null check (length(trim(file_name)) between 1 and 255),
  storage_path text not null unique,
  mime_type text not null,
  size_bytes bigint not null check (size_bytes >= 0),
  checksum_sha256 text check (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  width integer check (width > 0),
  height integer check (height > 0),
  alt_text text,
  metadata jsonb not null default '{}'::jsonb,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.project_assets is 'Metadata of uploaded files; deleted_at marks a soft-deleted asset.';

drop trigger if exists set_updated_at on public.project_assets;
create trigger set_updated_at
before update on public.project_assets
for each row execute procedure public.update_timestamp();

create index if not exists project_assets_project_id_idx on public.project_assets (project_id);
create index if not exists project_assets_uploaded_by_idx on public.project_assets (uploaded_by);

/*
-- Rollback for this migration
drop table if exists public.project_assets;
*/
