-- Migration: 20251107000000_documentation_system.sql
-- Description: Documentation system (phase 0.1):
--              - releases: version, release_date, is_current; at most one current release (partial unique index);
--              - documentation: versioned internal docs, full-text search through search_vector (tsvector kept by a
--                trigger, title weighted A, content B) with a GIN index; soft delete;
--              - documentation_versions: the snapshot of a doc at each release;
--              - help_articles: customer-facing help, public read when published; soft delete;
--              - create_release_snapshot(version, date, doc_slugs) -> uuid of the release.
-- Author: Keel examples
-- Date: 2026-11-22

-- releases -------------------------------------------------------------------------------------------------------
create table if not exists public.releases (
  id uuid primary key default extensions.uuid_generate_v4(),
  version text not null unique,
  name text,
  release_date date not null,
  is_current boolean not null default false,
  notes text,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.releases is 'Release tracking; public read; only one release is current.';

alter table public.releases enable row level security;

-- Only one current release: every current row has the same key (true)
create unique index if not exists idx_releases_one_current on public.releases ((true)) where is_current;
create index if not exists idx_releases_release_date on public.releases (release_date desc);
create index if not exists idx_releases_created_by on public.releases (created_by);

drop trigger if exists releases_updated_at on public.releases;
create trigger releases_updated_at
  before update on public.releases
  for each row execute function public.update_updated_at_column();

-- documentation --------------------------------------------------------------------------------------------------
create table if not exists public.documentation (
  id uuid primary key default extensions.uuid_generate_v4(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null,
  content text not null default '',
  category text not null default 'general',
  version integer not null default 1 check (version > 0),
  release_date date,
  author_id uuid references auth.users (id) on delete set null,
  search_vector tsvector,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.documentation is 'Versioned internal documentation. Authenticated users read; admins write.';

alter table public.documentation enable row level security;

create index if not exists idx_documentation_author_id on public.documentation (author_id);
create index if not exists idx_documentation_category on public.documentation (category) where deleted_at is null;
create index if not exists idx_documentation_search_vector on public.documentation using gin (search_vector);

drop trigger if exists documentation_updated_at on public.documentation;
create trigger documentation_updated_at
  before update on public.documentation
  for each row execute function public.update_updated_at_column();

create or replace function public.documentation_search_vector_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(new.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(new.content, '')), 'B');
  return new;
end;
$$;

drop trigger if exists documentation_search_vector_trigger on public.documentation;
create trigger documentation_search_vector_trigger
  before insert or update of title, content on public.documentation
  for each row execute function public.documentation_search_vector_update();

-- Backfill rows written before the trigger existed (re-runs touch nothing)
update public.documentation
set search_vector =
  setweight(to_tsvector('pg_catalog.english', coalesce(title, '')), 'A') ||
  setweight(to_tsvector('pg_catalog.english', coalesce(content, '')), 'B')
where search_vector is null;

-- documentation_versions -----------------------------------------------------------------------------------------
create table if not exists public.documentation_versions (
  id uuid primary key default extensions.uuid_generate_v4(),
  doc_id uuid not null references public.documentation (id) on delete cascade,
  release_id uuid references public.releases (id) on delete set null,
  title text not null,
  content text not null,
  version_number integer not null check (version_number > 0),
  version_label text not null,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint documentation_versions_doc_version_key unique (doc_id, version_number)
);

comment on table public.documentation_versions is 'Snapshots of documentation at each release.';

alter table public.documentation_versions enable row level security;

-- doc_id is the leading column of the unique (doc_id, version_number) index
create index if not exists idx_documentation_versions_release_id on public.documentation_versions (release_id);
create index if not exists idx_documentation_versions_created_by on public.documentation_versions (created_by);

drop trigger if exists documentation_versions_updated_at on public.documentation_versions;
create trigger documentation_versions_updated_at
  before update on public.documentation_versions
  for each row execute function public.update_updated_at_column();

-- help_articles --------------------------------------------------------------------------------------------------
create table if not exists public.help_articles (
  id uuid primary key default extensions.uuid_generate_v4(),
  doc_id uuid references public.documentation (id) on delete set null,
  slug text not null unique,
  title text not null,
  body text not null default '',
  category text not null,
  difficulty text not null default 'beginner' check (difficulty in ('beginner', 'intermediate', 'advanced')),
  view_count integer not null default 0 check (view_count >= 0),
  is_published boolean not null default false,
  published_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.help_articles is 'Customer-facing help content. Anyone may read published articles; admins write.';

alter table public.help_articles enable row level security;

create index if not exists idx_help_articles_doc_id on public.help_articles (doc_id);
create index if not exists idx_help_articles_category on public.help_articles (category)
  where is_published and deleted_at is null;

drop trigger if exists help_articles_updated_at on public.help_articles;
create trigger help_articles_updated_at
  before update on public.help_articles
  for each row execute function public.update_updated_at_column();

-- create_release_snapshot(version, date, doc_slugs) --------------------------------------------------------------
-- Creates (or reuses) the release, makes it the current one, and snapshots each listed doc into
-- documentation_versions (version_number = the doc's next version, version_label = the release version), then
-- stamps the doc with that version and release date. Returns the release id. Runs with the caller's rights
-- (security invoker), so RLS decides: only admins can write releases and documentation. An unknown or deleted
-- slug raises an error and nothing is written.
create or replace function public.create_release_snapshot(
  p_version text,
  p_release_date date,
  p_doc_slugs text[]
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_release_id uuid;
  v_missing text[];
  v_doc record;
  v_next integer;
begin
  if p_version is null or btrim(p_version) = '' then
    raise exception 'create_release_snapshot: version is required' using errcode = '22023';
  end if;

  select array_agg(s) into v_missing
  from unnest(coalesce(p_doc_slugs, '{}'::text[])) as s
  where not exists (
    select 1 from public.documentation d where d.slug = s and d.deleted_at is null
  );
  if v_missing is not null then
    raise exception 'create_release_snapshot: unknown documentation slug(s): %', array_to_string(v_missing, ', ')
      using errcode = 'P0002';
  end if;

  update public.releases set is_current = false where is_current and version <> p_version;

  insert into public.releases (version, release_date, is_current, created_by)
  values (p_version, coalesce(p_release_date, current_date), true, (select auth.uid()))
  on conflict (version) do update
    set release_date = excluded.release_date, is_current = true
  returning id into v_release_id;

  for v_doc in
    select d.* from public.documentation d
    where d.slug = any (p_doc_slugs) and d.deleted_at is null
    order by d.slug
  loop
    select coalesce(max(v.version_number), 0) + 1 into v_next
    from public.documentation_versions v where v.doc_id = v_doc.id;

    insert into public.documentation_versions (doc_id, release_id, title, content, version_number, version_label, created_by)
    values (v_doc.id, v_release_id, v_doc.title, v_doc.content, v_next, p_version, (select auth.uid()));

    update public.documentation
    set version = v_next, release_date = coalesce(p_release_date, current_date)
    where id = v_doc.id;
  end loop;

  return v_release_id;
end;
$$;

comment on function public.create_release_snapshot(text, date, text[]) is
  'Creates the current release and snapshots the given docs into documentation_versions; returns the release id.';

/*
-- Rollback for this migration
drop function if exists public.create_release_snapshot(text, date, text[]);
drop table if exists public.help_articles;
drop table if exists public.documentation_versions;
drop function if exists public.documentation_search_vector_update() cascade;
drop table if exists public.documentation;
drop table if exists public.releases;
*/
