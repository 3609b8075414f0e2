import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { diffCatalogs, readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import type { Engine } from '../../src/db/engine.js';
import { installShim } from '../../src/db/shim/supabase-shim.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import { renderSchemaSql } from '../../src/features/backup/schema-sql.js';
import { createTestDatabase, engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
const EXAMPLES = ['scalemate', 'ai-workflow-builder', 'srvc-crm', 'renubu', 'vibecraft'];
const SCHEMAS = ['public'];
/** The fixture has a schema of its own too. */
const FIXTURE_SCHEMAS = ['app', 'public'];

/** The kinds a plain migration rarely has: views over views, NOT VALID, identity and generated columns, … */
const FIXTURE = String.raw`
create type public.task_status as enum ('todo', 'doing', 'done');
create domain public.positive_int as integer not null default 1 constraint positive check (value > 0);
create type public.money_amount as (currency char(3), amount numeric(12,2));
-- Named so that alphabetical order is the wrong order: a domain over a composite type over a domain.
create domain public.b_small as integer check (value < 100);
create type public.a_pair as (price public.money_amount, qty public.b_small);
create domain public.a_checked_pair as public.a_pair check ((value).qty > 0);
create extension if not exists btree_gist with schema extensions;

create function public.is_owner(p_owner uuid) returns boolean language sql stable
  as $$ select p_owner = auth.uid() $$;

create table public.projects (
  id bigint generated always as identity (start with 100 increment by 10) primary key,
  name text not null constraint projects_name_key unique,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);
create table public."Order Items" (
  id serial primary key,
  "user" text collate "C",
  qty public.positive_int,
  price public.money_amount,
  total numeric generated always as (((price).amount * qty)) stored,
  status public.task_status not null default 'todo',
  project_id bigint,
  during tstzrange,
  constraint no_overlap exclude using gist (project_id with =, during with &&)
);
-- NOT VALID only sticks in ALTER TABLE (CREATE TABLE validates its constraints: the table is empty).
alter table public."Order Items" add constraint order_items_project_fk foreign key (project_id) references public.projects (id) not valid;
alter table public."Order Items" add constraint qty_small check (qty < 1000) not valid;
create index order_items_open on public."Order Items" (project_id) where status <> 'done';
comment on table public."Order Items" is 'It''s a table';
comment on column public."Order Items"."user" is 'who';
comment on constraint qty_small on public."Order Items" is 'small orders';
comment on index public.order_items_open is 'open items';

create table public.events (id bigint not null, at timestamptz not null default now(), kind text, primary key (id, at)) partition by range (at);
create index events_kind on public.events (kind);
create table public.events_2024 partition of public.events for values from ('2024-01-01 00:00:00+00') to ('2025-01-01 00:00:00+00');
create table public.events_other partition of public.events default;
comment on table public.events_2024 is 'one year';
alter table public.events add constraint events_kind_known check (kind <> '');
create index events_2024_at on public.events_2024 (at);

create schema app;
comment on schema app is 'the app''s own schema';
create type app.level as enum ('low', 'high');
create table app.settings (key text primary key, level app.level not null default 'low', project_id bigint references public.projects (id));
create view app.high_settings as select key from app.settings where level = 'high';

create sequence public.invoice_numbers as integer start 1000 increment 5 minvalue 1000 maxvalue 999999 cycle;
comment on sequence public.invoice_numbers is 'numbers';

create view public.project_names with (security_invoker = true) as select id, name from public.projects;
create view public.project_names_upper as select id, upper(name) as name from public.project_names;
create view public.a_view_over_two as select n.id from public.project_names_upper n join public.project_names p using (id);
create materialized view public.project_counts as select owner_id, count(*) as n from public.projects group by owner_id;
create unique index project_counts_owner on public.project_counts (owner_id);
comment on view public.project_names is 'names';

create function public.projects_named(p_name text) returns setof public.projects language sql stable
  as $$ select * from public.projects where name = p_name $$;
create function public.touch() returns trigger language plpgsql security definer set search_path = ''
  as $$ begin new.created_at := now(); return new; end $$;
create function public.shout(t text) returns text language sql immutable return upper(t);
comment on function public.shout(text) is 'loud';
create trigger projects_touch before update on public.projects for each row execute function public.touch();
alter table public.projects disable trigger projects_touch;
create trigger projects_touch_replica before insert on public.projects for each row execute function public.touch();
alter table public.projects enable replica trigger projects_touch_replica;

alter table public.projects enable row level security;
alter table public.projects force row level security;
create policy "owners read" on public.projects for select to authenticated using (public.is_owner(owner_id));
create policy "only owners" on public.projects as restrictive for all to authenticated, anon
  using (owner_id = auth.uid()) with check (owner_id = auth.uid());
comment on policy "owners read" on public.projects is 'read own';

revoke all on public.projects from anon;
grant select on public.projects to anon;
revoke execute on function public.touch() from public, anon, authenticated;
grant execute on function public.touch() to service_role;
revoke all on function public.shout(text) from public;
grant execute on function public.shout(text) to authenticated with grant option;
`;

function copyExample(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(EXAMPLES_DIR, name, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  return p.root;
}

/** A fresh database of the engine with only the Supabase shim; `drop` closes and removes it. */
async function freshEngine(kind: 'pglite' | 'postgres', extensions: string[] = []): Promise<{ engine: Engine; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const engine = await openEngine({ kind: 'pglite', memory: true }, { extensions });
    await engine.transaction((tx) => installShim(tx));
    return { engine, drop: () => engine.close() };
  }
  const db = await createTestDatabase('backup');
  const engine = await openEngine({ kind: 'postgres', url: db.url });
  await engine.transaction((tx) => installShim(tx));
  return {
    engine,
    drop: async () => {
      await engine.close();
      await db.drop();
    },
  };
}

/** Renders the source's schema, applies it to a fresh database of `kind`, and returns the restored catalog. */
/** `schemas`: null for renderSchemaSql's default (every user schema) and readCatalog's. */
async function roundTrip(
  source: Catalog,
  kind: 'pglite' | 'postgres',
  only: string[] | null = SCHEMAS,
): Promise<{ restored: Catalog; sql: string }> {
  const schemas = only ?? undefined;
  await ensureParser();
  const fresh = await freshEngine(
    kind,
    source.extensions.map((e) => e.name),
  );
  try {
    const { rows } = await fresh.engine.query<{ num: number }>(`select current_setting('server_version_num')::int as num`);
    const sql = renderSchemaSql(source, { schemas, targetVersion: rows[0]?.num });
    await fresh.engine.transaction((tx) => tx.exec(sql));
    // Nothing the catalog does not model is left half-made: every index valid (a partitioned table's too).
    const invalid = await fresh.engine.query<{ name: string }>(
      `select indexrelid::regclass::text as name from pg_index where not indisvalid`,
    );
    expect(invalid.rows.map((r) => r.name)).toEqual([]);
    return { restored: await readCatalog(fresh.engine, { schemas }), sql };
  } finally {
    await fresh.drop();
  }
}

/**
 * What legitimately differs between PG 15 and PG 18 for the same SQL (as in catalog.test.ts "catalog across
 * engines"): the MAINTAIN privilege (PG 17+), extension versions, and column qualifiers in deparsed view definitions
 * (PG 16+ drops them when one relation is in scope).
 */
function acrossVersions(c: Catalog): Catalog {
  const grants = <T extends { grants: { privilege: string }[] }>(o: T): T => ({
    ...o,
    grants: o.grants.filter((g) => g.privilege !== 'MAINTAIN'),
  });
  const unqualify = (sql: string) => sql.replace(/\b(?!(?:public|auth|extensions|pg_catalog|app)\.)[a-z_][a-z0-9_]*\.(?=[a-z_])/g, '');
  return {
    ...c,
    extensions: c.extensions.map((e) => ({ ...e, version: '(server)' })),
    tables: c.tables.map(grants),
    views: c.views.map((v) => grants({ ...v, definition: unqualify(v.definition) })),
    materializedViews: c.materializedViews.map((v) => grants({ ...v, definition: unqualify(v.definition) })),
    sequences: c.sequences.map(grants),
  };
}

/** The other engine, for the cross-engine round trip (null when only PGlite runs). */
function otherEngine(kind: 'pglite' | 'postgres'): 'pglite' | 'postgres' | null {
  const other = kind === 'pglite' ? 'postgres' : 'pglite';
  return engineNames.includes(other) ? other : null;
}

describe.each(engineNames)('schema SQL from the catalog on %s', (engineName) => {
  let target: TestTarget | undefined;
  afterEach(async () => {
    await target?.drop();
    target = undefined;
  });

  it.each(EXAMPLES)('%s: the rendered schema recreates the same catalog, on this engine and on the other', async (example) => {
    target = await targetFor(engineName);
    const root = copyExample(example);
    await reset({ cwd: root, ...target.options, yes: true, noSeed: true });
    const engine = await openEngine(databaseOf(root, target));
    let source: Catalog;
    try {
      source = await readCatalog(engine, { schemas: SCHEMAS });
    } finally {
      await engine.close();
    }
    expect(source.tables.length).toBeGreaterThan(0);
    const { restored } = await roundTrip(source, engineName);
    expect(diffCatalogs(source, restored)).toEqual([]);
    const other = otherEngine(engineName);
    if (other) {
      const across = await roundTrip(source, other);
      expect(diffCatalogs(acrossVersions(source), acrossVersions(across.restored))).toEqual([]);
    }
  });

  it('the trickier kinds round-trip too (view over view, NOT VALID, identity, generated, partial index, restrictive policy, disabled trigger, comments, grants)', async () => {
    const src = await freshEngine(engineName, ['btree_gist']);
    let source: Catalog;
    let everything: Catalog;
    try {
      await src.engine.exec(FIXTURE);
      source = await readCatalog(src.engine, { schemas: FIXTURE_SCHEMAS });
      everything = await readCatalog(src.engine);
    } finally {
      await src.drop();
    }
    const { restored, sql } = await roundTrip(source, engineName, FIXTURE_SCHEMAS);
    expect(diffCatalogs(source, restored)).toEqual([]);
    // The orders that matter: a view after the view it reads, a NOT VALID constraint kept as such.
    expect(sql.indexOf('create view public.project_names_upper')).toBeGreaterThan(sql.indexOf('create view public.project_names '));
    expect(sql.indexOf('create view public.a_view_over_two')).toBeGreaterThan(sql.indexOf('create view public.project_names_upper'));
    expect(sql).toMatch(/add constraint order_items_project_fk FOREIGN KEY .* NOT VALID;/);
    // Without `schemas`: every user schema, and none of the shim's (auth.users is already there).
    expect(everything.tables.some((t) => t.schema === 'auth')).toBe(true);
    const all = await roundTrip(everything, engineName, null);
    expect(all.sql).not.toContain('auth.users (');
    expect(diffCatalogs(everything, all.restored)).toEqual([]);
    const other = otherEngine(engineName);
    if (other) {
      const across = await roundTrip(source, other, FIXTURE_SCHEMAS);
      expect(diffCatalogs(acrossVersions(source), acrossVersions(across.restored))).toEqual([]);
    }
    expect(sql).toMatch(/add constraint qty_small CHECK .* NOT VALID;/);
    const items = source.tables.find((t) => t.name === 'Order Items');
    expect(items?.constraints.filter((c) => !c.validated).map((c) => c.name)).toEqual(['order_items_project_fk', 'qty_small']);
    expect(source.triggers.map((t) => t.enabled)).toEqual(['disabled', 'replica']);
    // A partitioned table's index is created without ONLY, so it is valid and its partitions' indexes are attached.
    expect(sql).toContain('CREATE INDEX events_kind ON public.events USING btree (kind);');
    expect(sql.indexOf('CREATE INDEX events_kind ON')).toBeGreaterThan(sql.indexOf('CREATE INDEX events_2024_kind_idx ON'));
  });
});
