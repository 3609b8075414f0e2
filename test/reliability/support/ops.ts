/**
 * Helpers shared by the concurrency, crash and secrets checks (test/reliability/checks/{concurrency,crash,secrets}.ts):
 * the built CLI as a child process, scratch databases and projects, catalog fingerprints, a seeded PRNG and a result
 * accumulator. Nothing here imports vitest, so the checks run under plain tsx (`npm run test:reliability`).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { catalogFingerprint, readCatalog } from '../../../src/core/catalog/index.js';
import { openEngine } from '../../../src/db/open.js';
import type { Engine } from '../../../src/db/engine.js';
import { startCli } from '../../support/cli.js';
import type { CheckFailure, CheckResult } from '../check.js';

export type EngineName = 'pglite' | 'postgres';

export interface Run {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The built CLI (`bin/keel.js` → dist/) in a child process; `dist/` must exist (npm run build). */
export function spawnKeel(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const started = performance.now();
  const { child, done } = startCli(args, { cwd: opts.cwd, env: opts.env });
  let signal: NodeJS.Signals | null = null;
  child.on('exit', (_code, sig) => (signal = sig));
  const result: Promise<Run> = done.then((r) => ({ ...r, signal, ms: performance.now() - started }));
  return { child, result };
}

export function keel(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  const { child, result } = spawnKeel(args, opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return result.finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until(check: () => boolean | Promise<boolean>, ms = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** mulberry32: a small deterministic PRNG; `next()` in [0, 1). */
export function prng(seed: number): { next(): number; int(lo: number, hi: number): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

export async function query<T = Record<string, unknown>>(url: string, text: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface ScratchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new empty database on the server of `adminUrl`. */
export async function createDb(adminUrl: string, prefix: string): Promise<ScratchDb> {
  const name = `rel_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await query(adminUrl, `create database ${quoteIdent(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop: () =>
      (dropped ??= (async () => {
        // the database and any scratch database a killed reset left beside it
        const names = (
          await query<{ datname: string }>(adminUrl, `select datname from pg_database where datname = $1 or datname like $2`, [
            name,
            `${name}\\_%`,
          ])
        ).map((r) => r.datname);
        for (const n of names) {
          await query(adminUrl, 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
            n,
          ]).catch(() => undefined);
          await query(adminUrl, `drop database if exists ${quoteIdent(n)} with (force)`).catch(() => undefined);
        }
      })()),
  };
}

export interface Project {
  root: string;
  dataDir: string;
  write(rel: string, text: string): void;
  remove(rel: string): void;
}

/** A project folder under `tmpRoot` with `supabase/<rel>` files. */
export function makeProject(tmpRoot: string, prefix: string, files: Record<string, string>): Project {
  fs.mkdirSync(tmpRoot, { recursive: true });
  const root = fs.mkdtempSync(path.join(tmpRoot, `${prefix}-`));
  const write = (rel: string, text: string) => {
    const file = path.join(root, 'supabase', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  fs.mkdirSync(path.join(root, 'supabase', 'migrations'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return {
    root,
    dataDir: path.join(root, 'supabase', '.keel', 'pglite'),
    write,
    remove: (rel) => fs.rmSync(path.join(root, 'supabase', rel), { force: true }),
  };
}

/** Opens the database a check looks at: a server URL, or a project's embedded data dir (taking its lock). */
export async function openTarget(target: { url: string } | { dataDir: string }): Promise<Engine> {
  return 'url' in target
    ? openEngine({ kind: 'postgres', url: target.url })
    : openEngine({ kind: 'pglite', dataDir: target.dataDir }, { command: 'reliability check' });
}

export interface DbState {
  fingerprint: string;
  tables: string[];
  /** supabase_migrations.schema_migrations versions, sorted. */
  history: string[];
  /** supabase_migrations.keel_migrations versions, sorted (null: no such table). */
  keelHistory: string[] | null;
}

/** The catalog fingerprint of `schemas` plus the two history tables. */
export async function readState(db: Engine, schemas = ['public']): Promise<DbState> {
  const catalog = await readCatalog(db, { schemas });
  const reg = await db.query<{ sm: boolean; km: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as sm, to_regclass('supabase_migrations.keel_migrations') is not null as km`,
  );
  const history = reg.rows[0]!.sm
    ? (await db.query<{ v: string }>('select version as v from supabase_migrations.schema_migrations order by 1')).rows.map((r) => r.v)
    : [];
  const keelHistory = reg.rows[0]!.km
    ? (await db.query<{ v: string }>('select version as v from supabase_migrations.keel_migrations order by 1')).rows.map((r) => r.v)
    : null;
  return {
    fingerprint: catalogFingerprint(catalog),
    tables: catalog.tables.map((t) => `${t.schema}.${t.name}`).sort(),
    history,
    keelHistory,
  };
}

export async function stateOf(target: { url: string } | { dataDir: string }, schemas?: string[]): Promise<DbState> {
  const db = await openTarget(target);
  try {
    return await readState(db, schemas);
  } finally {
    await db.close();
  }
}

/** Collects trials and failures of one check × engine. */
export class Tally {
  trials = 0;
  worstMs = 0;
  failures: CheckFailure[] = [];
  constructor(
    readonly check: string,
    readonly engine: CheckResult['engine'],
  ) {}
  /** Runs one trial; a thrown error is a failure of `name`. Returns what fn returned, or undefined on a throw. */
  async trial<T>(name: string, fn: () => Promise<T>, seed?: number): Promise<T | undefined> {
    this.trials++;
    const started = performance.now();
    try {
      return await fn();
    } catch (err) {
      this.fail(name, err instanceof Error ? err.message : String(err), seed);
      return undefined;
    } finally {
      this.worstMs = Math.max(this.worstMs, performance.now() - started);
    }
  }
  fail(name: string, why: string, seed?: number): void {
    this.failures.push({ case: name, ...(seed === undefined ? {} : { seed }), why: why.length > 1500 ? `${why.slice(0, 1500)}…` : why });
  }
  result(): CheckResult {
    return { check: this.check, engine: this.engine, trials: this.trials, failures: this.failures, worstMs: Math.round(this.worstMs) };
  }
}

/** A short description of a CLI run for failure messages. */
export function describeRun(r: Run): string {
  const clip = (s: string) => (s.length > 600 ? `${s.slice(0, 600)}…` : s).trim();
  return `exit ${r.signal ?? r.code}; stdout: ${clip(r.stdout) || '(empty)'}; stderr: ${clip(r.stderr) || '(empty)'}`;
}

/** Throws with `why` when `ok` is false. */
export function expect(ok: boolean, why: string | (() => string)): asserts ok {
  if (!ok) throw new Error(typeof why === 'string' ? why : why());
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A stack trace line (`    at fn (file:1:2)`), which a user-facing error must not print without --debug. */
export const STACK_LINE = /^\s+at .+(\(|:\d+:\d+)/m;
