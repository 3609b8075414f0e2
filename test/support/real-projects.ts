/**
 * Real public Supabase projects kept in test/fixtures/real-projects/<name>/ (their files are not committed: see the
 * README there), built once per engine and shared by every assertion of test/integration/real-projects.test.ts.
 *
 * @example
 * for (const name of realProjectNames()) if (realProjectPresent(name)) {
 *   const built = await buildRealProject(name, 'postgres');
 *   built.resets[0].error; // undefined when the first reset worked
 *   await built.drop();
 * }
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openEngine, reset, type ResetResult } from '../../src/index.js';
import { readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import { userSchemas } from '../../src/features/migrate/reset.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from './projects.js';

export const REAL_PROJECTS_DIR = path.resolve(__dirname, '../fixtures/real-projects');
export const PG_PROVE = '/usr/bin/pg_prove';

/** Every fixture folder named in the repository (each has a committed SOURCE.md). */
export function realProjectNames(): string[] {
  return fs
    .readdirSync(REAL_PROJECTS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REAL_PROJECTS_DIR, d.name, 'SOURCE.md')))
    .map((d) => d.name)
    .sort();
}

/** Are the fixture's project files on this machine (they are not in git)? */
export function realProjectPresent(name: string): boolean {
  return fs.existsSync(path.join(REAL_PROJECTS_DIR, name, 'supabase', 'migrations'));
}

/** The fixture's pgTAP files, as `supabase test db` finds them: supabase/tests/**, .sql and .pg. */
export function hasSuites(name: string): boolean {
  const dir = path.join(REAL_PROJECTS_DIR, name, 'supabase', 'tests');
  return fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => /\.(sql|pg)$/.test(String(f)));
}

/** A temporary project holding a copy of the fixture's supabase/ folder (removed after the test file). */
export function copyRealProject(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(REAL_PROJECTS_DIR, name, 'supabase'), path.join(p.root, 'supabase'), { recursive: true });
  return p.root;
}

export interface Attempt<T> {
  value?: T;
  error?: Error;
  ms: number;
}

export async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  const t0 = performance.now();
  try {
    return { value: await fn(), ms: performance.now() - t0 };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)), ms: performance.now() - t0 };
  }
}

export interface BuiltProject {
  name: string;
  engine: 'pglite' | 'postgres';
  root: string;
  target: TestTarget;
  /** Options to spread into every command on this build. */
  options: { cwd: string; dbUrl?: string; env: NodeJS.ProcessEnv; yes: true };
  /** `keel db reset` run twice in a row on the same database. */
  resets: [Attempt<ResetResult>, Attempt<ResetResult>];
  /** Whether both resets worked. */
  built: boolean;
  drop(): Promise<void>;
}

/** Copies the fixture, resets it twice on the engine and keeps the database for the assertions that follow. */
export async function buildRealProject(name: string, engine: 'pglite' | 'postgres'): Promise<BuiltProject> {
  const root = copyRealProject(name);
  const target = await targetFor(engine);
  const options = { cwd: root, ...target.options, yes: true as const };
  const first = await attempt(() => reset(options));
  const second = first.error ? { error: new Error('not run: the first reset failed'), ms: 0 } : await attempt(() => reset(options));
  return { name, engine, root, target, options, resets: [first, second], built: !first.error && !second.error, drop: target.drop };
}

export interface DbSnapshot {
  /** The catalog of the user schemas. */
  catalog: Catalog;
  /** Every user table's rows as `count:md5`, and the facts below: what a round trip must carry. */
  facts: Record<string, string>;
}

/**
 * One look at a project's database (one engine open): the catalog of the user schemas, the rows of every user table,
 * and what the project put on the platform's side outside those schemas — publication members, triggers and policies
 * on auth.* and storage.* tables, and the row counts of the platform tables projects write to.
 */
export async function snapshot(root: string, target: TestTarget): Promise<DbSnapshot> {
  const engine = await openEngine(databaseOf(root, target));
  try {
    const catalog = await readCatalog(engine, { schemas: await userSchemas(engine) });
    const one = async (sql: string) => String((await engine.query<{ v: string | number | boolean | null }>(sql)).rows[0]?.v ?? '');
    const facts: Record<string, string> = {};
    const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
    for (const t of catalog.tables.filter((x) => x.kind === 'table')) {
      const name = `${q(t.schema)}.${q(t.name)}`;
      // The stored columns: a restore computes generated ones afresh, from the functions as they are now (as
      // pg_restore does), so a row written before a migration replaced such a function comes back with the new value.
      const stored = t.columns.filter((c) => c.generated === null).map((c) => `t.${q(c.name)}`);
      const row = stored.length > 0 ? `row(${stored.join(', ')})::text` : `''`;
      facts[`rows ${name}`] = await one(
        `select count(*)::int || ':' || coalesce(md5(string_agg(${row}, '|' order by ${row})), '') as v from ${name} t`,
      );
    }
    facts.publications = await one(
      `select string_agg(pubname || ':' || schemaname || '.' || tablename, ',' order by pubname, schemaname, tablename) as v from pg_publication_tables`,
    );
    facts['platform triggers'] =
      await one(`select string_agg(c.relnamespace::regnamespace || '.' || c.relname || ':' || t.tgname || ':' || t.tgfoid::regprocedure, ',' order by c.relnamespace::regnamespace::text, c.relname, t.tgname) as v
      from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and c.relnamespace::regnamespace::text in ('auth', 'storage')`);
    facts['platform policies'] = await one(
      `select string_agg(schemaname || '.' || tablename || ':' || policyname, ',' order by schemaname, tablename, policyname) as v from pg_policies where schemaname in ('auth', 'storage')`,
    );
    for (const table of ['auth.users', 'auth.identities', 'storage.buckets', 'storage.objects']) {
      if ((await one(`select to_regclass('${table}') is not null as v`)) === 'true')
        facts[`rows ${table}`] = await one(`select count(*)::int as v from ${table}`);
    }
    return { catalog, facts };
  } finally {
    await engine.close();
  }
}

/** Keys whose values differ between two snapshots' facts, as `key: before → after`. */
export function diffFacts(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? '(none)'} → ${b[k] ?? '(none)'}`);
}

export interface ProveCounts {
  /** `ok N` lines (skips and todos included, as pg_prove counts them). */
  ok: number;
  /** `not ok N` lines. */
  notOk: number;
  exit: number;
  output: string;
}

/**
 * pg_prove on one file against a database: its own psql session in autocommit, as `supabase test db` runs each
 * file. `--verbose` prints the TAP, from which the counts are read.
 */
export function pgProveFile(url: string, file: string): Promise<ProveCounts> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && k !== 'DATABASE_URL'));
  return new Promise((resolve) => {
    execFile(PG_PROVE, ['--verbose', '-d', url, file], { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const out = String(stdout);
      resolve({
        ok: (out.match(/^\s*ok \d+/gm) ?? []).length,
        notOk: (out.match(/^\s*not ok \d+/gm) ?? []).length,
        exit: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        output: `${out}${String(stderr)}`,
      });
    });
  });
}
