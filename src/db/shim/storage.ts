/**
 * Schema `storage` as the storage service's migrations leave it (supabase/storage v1.70.6): buckets, objects (with the
 * generated path_tokens), the S3 multipart, analytics and vector tables, the helpers policies call (foldername, filename,
 * extension, search, operation…), its triggers (updated_at, bucket name length, the guard against direct deletes), RLS on
 * every table and the platform's grants. Storage's own listing internals (search_v2, list_objects_with_delimiter…) are
 * left out: the storage API calls them, projects do not. `storage.search()` is Keel's: one level below the prefix, folders
 * and files, filtered, sorted and paged as the old search did.
 */

const TABLES = `
create schema if not exists storage;
do $keel$ begin
  if to_regtype('storage.buckettype') is null then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  end if;
end $keel$;
create table if not exists storage.migrations (
  id integer primary key,
  name varchar(100) not null unique,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp);
create table if not exists storage.buckets (
  id text not null primary key,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD',
  versioning_status text not null default 'DISABLED',
  constraint buckets_versioning_status_check check (versioning_status = any (array['DISABLED', 'ENABLED', 'SUSPENDED'])),
  constraint buckets_versioning_dark_check check (versioning_status = 'DISABLED'),
  constraint buckets_versioning_standard_only_check check (type = 'STANDARD' or versioning_status = 'DISABLED'));
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
create unique index if not exists bname on storage.buckets (name);
create table if not exists storage.objects (
  id uuid not null default gen_random_uuid() primary key,
  bucket_id text constraint "objects_bucketId_fkey" references storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb,
  archived_at timestamptz,
  is_delete_marker boolean not null default false,
  is_versioned boolean not null default false);
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index if not exists idx_objects_bucket_id_name_lower on storage.objects (bucket_id, lower(name) collate "C");
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
create table if not exists storage.s3_multipart_uploads (
  id text not null primary key,
  in_progress_size bigint not null default 0,
  upload_signature text not null,
  bucket_id text not null references storage.buckets (id),
  key text not null collate "C",
  version text not null,
  owner_id text,
  created_at timestamptz not null default now(),
  user_metadata jsonb,
  metadata jsonb);
create index if not exists idx_multipart_uploads_list on storage.s3_multipart_uploads (bucket_id, key, created_at);
create table if not exists storage.s3_multipart_uploads_parts (
  id uuid not null default gen_random_uuid() primary key,
  upload_id text not null references storage.s3_multipart_uploads (id) on delete cascade,
  size bigint not null default 0,
  part_number integer not null,
  bucket_id text not null references storage.buckets (id),
  key text not null collate "C",
  etag text not null,
  owner_id text,
  version text not null,
  created_at timestamptz not null default now());
create table if not exists storage.buckets_analytics (
  name text not null,
  type storage.buckettype not null default 'ANALYTICS',
  format text not null default 'ICEBERG',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  id uuid not null default gen_random_uuid() primary key,
  deleted_at timestamptz);
create unique index if not exists buckets_analytics_unique_name_idx on storage.buckets_analytics (name) where deleted_at is null;
create table if not exists storage.buckets_vectors (
  id text not null primary key,
  type storage.buckettype not null default 'VECTOR',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now());
create table if not exists storage.vector_indexes (
  id text not null default gen_random_uuid() primary key,
  name text not null collate "C",
  bucket_id text not null references storage.buckets_vectors (id),
  data_type text not null,
  dimension integer not null,
  distance_metric text not null,
  metadata_configuration jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now());
create unique index if not exists vector_indexes_name_bucket_id_idx on storage.vector_indexes (name, bucket_id);
create table if not exists storage.iceberg_namespaces (
  id uuid not null default gen_random_uuid() primary key,
  bucket_name text not null,
  name text not null collate "C",
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  metadata jsonb not null default '{}'::jsonb,
  catalog_id uuid not null references storage.buckets_analytics (id) on delete cascade);
create unique index if not exists idx_iceberg_namespaces_bucket_id on storage.iceberg_namespaces (catalog_id, name);
create table if not exists storage.iceberg_tables (
  id uuid not null default gen_random_uuid() primary key,
  namespace_id uuid not null references storage.iceberg_namespaces (id) on delete cascade,
  bucket_name text not null,
  name text not null collate "C",
  location text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  remote_table_id text,
  shard_key text,
  shard_id text,
  catalog_id uuid not null references storage.buckets_analytics (id) on delete cascade);
create unique index if not exists idx_iceberg_tables_location on storage.iceberg_tables (location);
create unique index if not exists idx_iceberg_tables_namespace_id on storage.iceberg_tables (catalog_id, namespace_id, name);`;

const FUNCTIONS = `
create or replace function storage.foldername(name text) returns text[] language plpgsql immutable as $keel$
declare parts text[] := string_to_array(name, '/');
begin
  return parts[1 : array_length(parts, 1) - 1];
end $keel$;
create or replace function storage.filename(name text) returns text language plpgsql immutable as $keel$
declare parts text[] := string_to_array(name, '/');
begin
  return parts[array_length(parts, 1)];
end $keel$;
create or replace function storage.extension(name text) returns text language plpgsql immutable as $keel$
declare parts text[] := string_to_array(name, '/');
begin
  -- the text after the last dot of the last segment ('' when it has none)
  return reverse(split_part(reverse(parts[array_length(parts, 1)]), '.', 1));
end $keel$;
create or replace function storage.get_size_by_bucket() returns table (size bigint, bucket_id text) language plpgsql stable as $keel$
begin
  return query select sum((o.metadata ->> 'size')::bigint)::bigint, o.bucket_id from storage.objects o group by o.bucket_id;
end $keel$;
create or replace function storage.operation() returns text language plpgsql stable as $keel$
begin
  return current_setting('storage.operation', true);
end $keel$;
create or replace function storage.allow_only_operation(expected_operation text) returns boolean language sql stable as $keel$
  select coalesce(nullif(expected_operation, '') is not null
    and regexp_replace(storage.operation(), '^storage\\.', '') = regexp_replace(expected_operation, '^storage\\.', ''), false)
$keel$;
create or replace function storage.allow_any_operation(expected_operations text[]) returns boolean language sql stable as $keel$
  select exists (select from unnest(expected_operations) e
                  where nullif(e, '') is not null
                    and regexp_replace(storage.operation(), '^storage\\.', '') = regexp_replace(e, '^storage\\.', ''))
$keel$;
create or replace function storage.get_common_prefix(p_key text, p_prefix text, p_delimiter text) returns text language sql immutable as $keel$
  select case when position(p_delimiter in substring(p_key from length(p_prefix) + 1)) > 0
              then left(p_key, length(p_prefix) + position(p_delimiter in substring(p_key from length(p_prefix) + 1))) end
$keel$;
create or replace function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb) returns void language plpgsql as $keel$
begin
  insert into storage.objects (bucket_id, name, owner, metadata) values (bucketid, name, owner, metadata);
  -- undo the insert: the caller only wanted to know whether the policies allow it
  raise sqlstate 'PT200' using message = 'ROLLBACK', detail = 'rollback successful insert';
end $keel$;
create or replace function storage.search(prefix text, bucketname text, limits integer default 100, levels integer default 1,
    offsets integer default 0, search text default '', sortcolumn text default 'name', sortorder text default 'asc')
  returns table (name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz, metadata jsonb)
  language plpgsql stable as $keel$
declare
  folder text := case when coalesce(prefix, '') = '' or right(prefix, 1) = '/' then coalesce(prefix, '') else prefix || '/' end;
  col text := case when lower(sortcolumn) in ('name', 'updated_at', 'created_at', 'last_accessed_at') then lower(sortcolumn) else 'name' end;
  dir text := case when lower(sortorder) = 'desc' then 'desc' else 'asc' end;
begin
  return query execute format($q$
    with below as (
      select split_part(substr(o.name, length($1) + 1), '/', 1) as entry,
             strpos(substr(o.name, length($1) + 1), '/') > 0 as is_folder, o.*
        from storage.objects o
       where o.bucket_id = $2 and left(o.name, length($1)) = $1 and length(o.name) > length($1)
    ), entries as (
      select distinct on (b.entry, b.is_folder) b.entry as name,
             case when b.is_folder then null else b.id end as id,
             case when b.is_folder then null else b.updated_at end as updated_at,
             case when b.is_folder then null else b.created_at end as created_at,
             case when b.is_folder then null else b.last_accessed_at end as last_accessed_at,
             case when b.is_folder then null else b.metadata end as metadata
        from below b
       where b.entry ilike $3 || '%%'
       order by b.entry, b.is_folder
    )
    select * from entries e order by e.%I %s nulls first, e.name %s limit $4 offset $5$q$, col, dir, dir)
  using folder, bucketname, coalesce(search, ''), limits, offsets;
end $keel$;
create or replace function storage.update_updated_at_column() returns trigger language plpgsql as $keel$
begin
  new.updated_at = now();
  return new;
end $keel$;
create or replace function storage.enforce_bucket_name_length() returns trigger language plpgsql as $keel$
begin
  if length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.', new.name, length(new.name);
  end if;
  return new;
end $keel$;
create or replace function storage.protect_delete() returns trigger language plpgsql as $keel$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end $keel$;
create or replace trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();
create or replace trigger enforce_bucket_name_length_trigger before insert or update of name on storage.buckets
  for each row execute function storage.enforce_bucket_name_length();
create or replace trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create or replace trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();`;

/** `{postgres}` is replaced with the grantee list for the server's `postgres` role (empty where it has none). */
const ACCESS = `
do $keel$
declare t text;
begin
  foreach t in array array['migrations', 'buckets', 'objects', 's3_multipart_uploads', 's3_multipart_uploads_parts',
      'buckets_analytics', 'buckets_vectors', 'vector_indexes', 'iceberg_namespaces', 'iceberg_tables'] loop
    execute format('alter table storage.%I enable row level security', t);
  end loop;
end $keel$;
grant usage on schema storage to {postgres}anon, authenticated, service_role;
grant all on schema storage to {postgres}supabase_storage_admin, dashboard_user;
grant all on storage.buckets, storage.objects, storage.migrations to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to {postgres}supabase_storage_admin with grant option;
grant all on storage.migrations to {postgres}supabase_storage_admin;
grant all on storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts, storage.buckets_analytics,
  storage.iceberg_namespaces, storage.iceberg_tables to service_role;
grant all on storage.buckets_analytics to anon, authenticated;
grant select on storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts, storage.iceberg_namespaces,
  storage.iceberg_tables, storage.buckets_vectors, storage.vector_indexes to anon, authenticated, service_role;
grant all on all sequences in schema storage to dashboard_user;
grant execute on all functions in schema storage to {postgres}anon, authenticated, service_role, dashboard_user;
do $keel$ begin
  alter default privileges for role supabase_admin in schema storage grant all on tables to {postgres}anon, authenticated, service_role;
  alter default privileges for role supabase_admin in schema storage grant all on functions to {postgres}anon, authenticated, service_role;
  alter default privileges for role supabase_admin in schema storage grant all on sequences to {postgres}anon, authenticated, service_role;
exception when insufficient_privilege then null; -- the connecting user may not act for supabase_admin
end $keel$;`;

export const STORAGE_SQL = `${TABLES}\n${FUNCTIONS}\n${ACCESS}`;
