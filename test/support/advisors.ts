/**
 * The fixture database of the catalog lint rules, and the Supabase CLI's advisors (splinter) as a peer.
 *
 * One schema plants, for every catalog rule, objects that must be reported ("bad") next to objects that must not
 * ("good"); test/integration/lint-catalog.test.ts asserts both on each engine, and
 * test/integration/lint-splinter-peer.test.ts runs `supabase db advisors` on the same database.
 *
 * @example
 * const fx = await openLintFixture('pglite');
 * const findings = catalogRules.check({ catalog: fx.catalog, exposedSchemas: ['public'] });
 * await fx.close();
 */
import type { Finding } from '../../src/features/lint/finding.js';
import { openFixtureDb, type FixtureDb } from './fixture-db.js';
import type { CliRun, SupabaseCli } from './supabase-cli.js';

/**
 * Good and bad objects side by side. `public` is exposed (the shim's default privileges grant anon and authenticated
 * everything on new tables, views and functions there); `private` is not.
 */
export const LINT_FIXTURE = String.raw`
create schema private;

-- extension_in_public: citext in public (bad); the shim's pgcrypto and uuid-ossp are in extensions (good).
create extension citext with schema public;

-- rls_disabled_in_public / sensitive_columns_exposed
create table public.open_notes (id bigint primary key, body text, token_count int);          -- RLS off: bad; no sensitive column
create table public.api_clients (id bigint primary key, name text, api_key text, password_hash text); -- RLS off + sensitive: bad, bad
create table public.secured_clients (id bigint primary key, owner_id uuid, api_key text);    -- RLS on + policy: good, good
alter table public.secured_clients enable row level security;
create policy "clients read own" on public.secured_clients for select to authenticated using (owner_id = (select auth.uid()));
create table public.internal_tokens (id bigint primary key, token text);                     -- RLS off, not granted: good, good
revoke all on public.internal_tokens from anon, authenticated;
create table private.audit_log (id bigint primary key, secret text);                         -- not exposed: good, good

-- policy_exists_rls_disabled: drafts (bad; also rls_disabled_in_public); secured_clients (good)
create table public.drafts (id bigint primary key, owner_id uuid);
create policy "drafts owner read" on public.drafts for select to authenticated using (owner_id = (select auth.uid()));

-- rls_enabled_no_policy: locked (bad), private.jobs (bad: any user schema); secured_clients (good)
create table public.locked (id bigint primary key);
alter table public.locked enable row level security;
create table private.jobs (id bigint primary key);
alter table private.jobs enable row level security;

-- multiple_permissive_policies
create table public.posts (id bigint primary key, author_id uuid, published boolean not null default false);
alter table public.posts enable row level security;
create policy "posts public read" on public.posts for select to anon, authenticated using (published);
create policy "posts author all" on public.posts for all to authenticated using (author_id = (select auth.uid()));
create policy "posts author insert" on public.posts for insert to authenticated with check (author_id = (select auth.uid()));
create policy "posts no spam" on public.posts as restrictive for insert to authenticated with check (published = false);
create table public.feeds (id bigint primary key, member_id uuid);                            -- PUBLIC + authenticated overlap: bad
alter table public.feeds enable row level security;
create policy "feeds everyone" on public.feeds for select using (true);
create policy "feeds members" on public.feeds for select to authenticated using (member_id = (select auth.uid()));
create table public.comments (id bigint primary key, author_id uuid);                         -- different roles/commands: good
alter table public.comments enable row level security;
create policy "comments read" on public.comments for select to anon using (true);
create policy "comments write" on public.comments for insert to authenticated with check (author_id = (select auth.uid()));
create policy "comments anon limit" on public.comments as restrictive for select to anon using (true);

-- unindexed_foreign_keys
create table public.projects (id bigint primary key, org_id bigint not null, code text not null, constraint projects_org_code_key unique (org_id, code));
alter table public.projects enable row level security;
create policy "projects read" on public.projects for select to authenticated using (true);
create table public.tasks (
  id bigint primary key,
  project_id bigint,
  assignee_id bigint,
  reviewer_id bigint,
  watcher_id bigint,
  org_id bigint,
  code text,
  constraint tasks_project_fk foreign key (project_id) references public.projects (id),          -- no index: bad
  constraint tasks_assignee_fk foreign key (assignee_id) references public.projects (id),        -- (assignee_id, id): good
  constraint tasks_reviewer_fk foreign key (reviewer_id) references public.projects (id),        -- partial index only: bad
  constraint tasks_watcher_fk foreign key (watcher_id) references public.projects (id),          -- hash index only: bad
  constraint tasks_org_code_fk foreign key (org_id, code) references public.projects (org_id, code) -- (code, org_id): bad
);
alter table public.tasks enable row level security;
create policy "tasks read" on public.tasks for select to authenticated using (true);
create index tasks_assignee_id_idx on public.tasks (assignee_id, id);
create index tasks_reviewer_open_idx on public.tasks (reviewer_id) where reviewer_id is not null;
create index tasks_watcher_hash_idx on public.tasks using hash (watcher_id);
create index tasks_code_org_idx on public.tasks (code, org_id);
create table public.milestones (
  id bigint primary key,
  org_id bigint not null,
  code text not null,
  constraint milestones_project_fk foreign key (org_id, code) references public.projects (org_id, code) -- (org_id, code, id): good
);
alter table public.milestones enable row level security;
create policy "milestones read" on public.milestones for select to authenticated using (true);
create index milestones_org_code_idx on public.milestones (org_id, code, id);

create table public.reviews (id bigint primary key, "user" bigint constraint reviews_user_fk references public.projects (id)); -- quoted in the fix: bad
alter table public.reviews enable row level security;
create policy "reviews read" on public.reviews for select to authenticated using (true);

-- duplicate_index: tags_name_b duplicates tags_name_a, tags_id_key duplicates tags_pkey (bad); the rest differ (good)
create table public.tags (id bigint primary key, name text, slug text);
alter table public.tags enable row level security;
create policy "tags read" on public.tags for select to anon, authenticated using (true);
create index tags_name_a on public.tags (name);
create index tags_name_b on public.tags (name);
create unique index tags_id_key on public.tags (id);
create index tags_slug on public.tags (slug);
create index tags_slug_desc on public.tags (slug desc);
create index tags_slug_partial on public.tags (slug) where slug is not null;
create unique index tags_slug_unique on public.tags (slug);
create index tags_slug_include on public.tags (slug) include (name);
create index tags_name_lower on public.tags (lower(name));

-- no_primary_key: event_log (bad, though it has a unique column); every other table has one (good)
create table public.event_log (at timestamptz not null default now(), kind text not null unique);
alter table public.event_log enable row level security;
create policy "event log read" on public.event_log for select to authenticated using (true);

-- function_search_path_mutable (warn; error when security definer)
create function public.add_one(i int) returns int language sql immutable as $$ select i + 1 $$;               -- bad (warn)
create function public.add_two(i int) returns int language sql immutable set search_path = '' as $$ select i + 2 $$; -- good
create function private.make_admin(uid uuid) returns void language sql security definer
  as $$ update public.drafts set owner_id = uid where false $$;                                                  -- bad (error)

-- anon/authenticated_security_definer_function_executable
create function public.purge_notes() returns void language sql security definer set search_path = ''
  as $$ delete from public.open_notes where id < 0 $$;                                          -- anon: bad, authenticated: bad
create function public.post_count() returns bigint language sql stable security definer set search_path = ''
  as $$ select count(*) from public.posts $$;
revoke execute on function public.post_count() from public, anon;                                -- anon: good, authenticated: bad
create function public.legacy_export() returns bigint language sql stable security definer set search_path = ''
  as $$ select count(*) from public.api_clients $$;
revoke execute on function public.legacy_export() from anon, authenticated;                     -- still PUBLIC: bad, bad
create function public.admin_only() returns void language sql security definer set search_path = ''
  as $$ select $$;
revoke execute on function public.admin_only() from public, anon, authenticated;                 -- good, good
create function public.touch_row() returns trigger language plpgsql security definer set search_path = ''
  as $$ begin return new; end $$;                                                                -- trigger function: good, good
create procedure public.reset_counts() language sql security definer set search_path = ''
  as $$ select $$;                                                                               -- a procedure (no RPC): good, good
create function public.invoker_count() returns bigint language sql stable set search_path = ''
  as $$ select count(*) from public.posts $$;                                                   -- security invoker: good, good
create function private.rotate_keys() returns void language sql security definer set search_path = ''
  as $$ select $$;                                                                               -- not exposed (PUBLIC may execute): good, good

-- security_definer_view / auth_users_exposed
create table public.profiles (id uuid primary key references auth.users (id), display_name text);
alter table public.profiles enable row level security;
create policy "profiles read" on public.profiles for select to anon, authenticated using (true);
create view public.profile_cards as select id, display_name from public.profiles;                        -- definer: bad
create view public.profile_cards_safe with (security_invoker = on) as select id, display_name from public.profiles; -- good
create view public.user_emails as select u.id, u.email from auth.users u;                              -- definer: bad, bad
create view public.user_emails_invoker with (security_invoker = on) as select u.id, u.email from auth.users u; -- anon cannot select auth.users: good, good
create view public.revoked_emails as select u.email from auth.users u;                                 -- not selectable: good, good
revoke all on public.revoked_emails from anon, authenticated;
create view private.user_directory as select id, email from auth.users;                                -- not exposed: good, good
grant select on private.user_directory to anon, authenticated;
create view public.directory_cards with (security_invoker = on) as
  select d.id from private.user_directory d;                                                           -- auth.users via a definer view: good, bad
create materialized view public.user_stats as select count(*) as n, max(u.created_at) as latest from auth.users u; -- bad (auth_users_exposed)
create materialized view public.post_stats as select count(*) as n from public.posts;                 -- good
`;

export type LintFixture = FixtureDb;

/** Opens a fresh database on one engine, installs the shim and the fixture, and reads its catalog. */
export function openLintFixture(kind: 'pglite' | 'postgres'): Promise<LintFixture> {
  return openFixtureDb(kind, LINT_FIXTURE, { prefix: 'lint', extensions: ['citext'] });
}

/** Objects one rule reported, sorted. */
export function objectsOf(findings: Finding[], rule: string): string[] {
  return [...new Set(findings.filter((f) => f.rule === rule).map((f) => f.object))].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// splinter, through `supabase db advisors`

/** One row of `supabase db advisors --output-format json`. */
export interface AdvisorResult {
  name: string;
  level: string;
  detail: string;
  metadata: Record<string, unknown>;
}

/** A splinter finding reduced to what Keel can be compared on: the rule and the objects it names. */
export interface AdvisorFinding {
  rule: string;
  /** Keel-style object names: `public.tasks`, `public.tasks.tasks_project_fk`, `public.add_one`, `citext`, and for duplicate_index every index of the group. */
  objects: string[];
  detail: string;
}

/**
 * Runs every advisor (all types, every level) on a database. The CLI connects with `--remote=<url>`: no Docker, no
 * login; it sets `pgrst.db_schemas` to `public,graphql_public` itself.
 */
export async function runAdvisors(cli: SupabaseCli, url: string, workdir: string): Promise<{ run: CliRun; results: AdvisorResult[] }> {
  const run = await cli.run(['db', 'advisors', ...cli.dbArgs(url), '--type', 'all', '--level', 'info', '--output-format', 'json'], {
    workdir,
  });
  if (run.code !== 0) return { run, results: [] };
  const start = run.stdout.indexOf('{');
  const parsed = JSON.parse(run.stdout.slice(start)) as { results?: AdvisorResult[] };
  return { run, results: parsed.results ?? [] };
}

/** splinter's metadata mapped to Keel's object names (functions without their argument list). */
export function advisorFinding(r: AdvisorResult): AdvisorFinding {
  const m = r.metadata;
  const schema = typeof m.schema === 'string' ? m.schema : '';
  const name = typeof m.name === 'string' ? m.name : '';
  let objects: string[];
  if (r.name === 'unindexed_foreign_keys') objects = [`${schema}.${name}.${String(m.fkey_name)}`];
  else if (r.name === 'duplicate_index') objects = ((m.indexes as string[] | undefined) ?? []).map((i) => `${schema}.${i}`);
  else if (r.name === 'extension_in_public') objects = [name];
  else if (schema && name) objects = [`${schema}.${name}`];
  else objects = [];
  return { rule: r.name, objects, detail: r.detail };
}

/** A Keel finding's object without a function's argument list (`public.add_one(integer)` → `public.add_one`). */
export function withoutArgs(object: string): string {
  const paren = object.indexOf('(');
  return paren < 0 ? object : object.slice(0, paren);
}
