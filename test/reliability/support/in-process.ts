/**
 * Running Keel's CLI in this process (`main(argv, io)`) and judging what it printed; database fingerprints; scratch
 * databases made from a template on the test server.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/cli/print.js';
import { catalogFingerprint, readCatalog } from '../../../src/core/catalog/index.js';
import { scrub } from '../../../src/core/redact.js';
import type { Queryable } from '../../../src/db/engine.js';
import { openEngine } from '../../../src/db/open.js';

export interface CliRun {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** main() itself threw (it must not): the error. */
  threw?: string;
}

/**
 * `keel <argv>` in this process through a capturing Io. Output goes through `scrub`, as the real Io (defaultIo)
 * sends it, so what is judged is what a user would see.
 */
export async function runMain(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(scrub(t)), err: (t) => err.push(scrub(t)), color: false };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const started = Date.now();
  let code = -1;
  let threw: string | undefined;
  try {
    code = await main(argv, io);
  } catch (e) {
    threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { argv, code, stdout: out.join('\n'), stderr: err.join('\n'), ms: Date.now() - started, threw };
}

export const STACK_TRACE = /\n\s+at .+\(|\bat (async )?[\w.<>]+ \(/;

export interface Expectation {
  /** 'fail': non-zero; 'ok': 0; 'usage': 2; a number: exactly that. */
  exit: 'fail' | 'ok' | 'usage' | number;
  /** Each must appear in the output (case-insensitive); a list inside means any one of them. */
  names?: (string | string[])[];
  /** Must appear nowhere in the output (passwords). */
  secrets?: string[];
}

/** What is wrong with a run, in words (empty when nothing is). */
export function judge(run: CliRun, want: Expectation): string[] {
  const problems: string[] = [];
  const all = `${run.stdout}\n${run.stderr}`;
  if (run.threw) problems.push(`main() threw: ${run.threw.split('\n').slice(0, 3).join(' | ')}`);
  const exitOk =
    want.exit === 'fail'
      ? run.code !== 0
      : want.exit === 'ok'
        ? run.code === 0
        : want.exit === 'usage'
          ? run.code === 2
          : run.code === want.exit;
  if (!exitOk)
    problems.push(
      `exit ${run.code}, expected ${want.exit === 'fail' ? 'non-zero' : want.exit === 'ok' ? '0' : want.exit === 'usage' ? '2 (usage)' : want.exit}`,
    );
  if (STACK_TRACE.test(all)) problems.push('stack trace in the output');
  if (/internal error|KEEL_INTERNAL/i.test(all)) problems.push('"internal error" in the output');
  if (run.code !== 0 && all.trim() === '') problems.push('failed with no output at all');
  for (const name of want.names ?? []) {
    const any = Array.isArray(name) ? name : [name];
    if (!any.some((n) => all.toLowerCase().includes(n.toLowerCase())))
      problems.push(`output does not name ${any.map((n) => JSON.stringify(n)).join(' or ')}`);
  }
  for (const s of want.secrets ?? []) if (s && all.includes(s)) problems.push(`output shows the password ${JSON.stringify(s)}`);
  return problems;
}

/** The output, shortened, for a failure report. */
export function describe(run: CliRun): string {
  const clip = (s: string) => (s.length > 1200 ? `${s.slice(0, 1200)}… (${s.length} chars)` : s);
  const argv = run.argv
    .map((a) => (a.length > 80 ? `${a.slice(0, 80)}…` : a))
    .map((a) => (/^[\w./:=@-]+$/.test(a) ? a : JSON.stringify(a)))
    .join(' ');
  return `$ keel ${argv}\nexit ${run.code} in ${run.ms} ms\nstdout: ${clip(run.stdout.trim()) || '(empty)'}\nstderr: ${clip(run.stderr.trim()) || '(empty)'}`;
}

/**
 * A fingerprint of a database's state: sha256 over the catalog (src/core/catalog: tables, columns, types, policies,
 * functions, grants…), the row count of every table, and Keel's history tables.
 */
export async function fingerprint(db: Queryable): Promise<string> {
  const catalog = await readCatalog(db);
  const counts: string[] = [];
  for (const t of catalog.tables) {
    const q = `select count(*)::int as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const { rows } = await db.query<{ n: number }>(q);
    counts.push(`${t.schema}.${t.name}=${rows[0]?.n}`);
  }
  const history: string[] = [];
  for (const table of ['schema_migrations', 'keel_migrations', 'seed_files']) {
    const exists = await db.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [`supabase_migrations.${table}`]);
    if (!exists.rows[0]?.ok) continue;
    const { rows } = await db.query(`select row_to_json(h)::text as j from supabase_migrations.${table} h order by 1`);
    history.push(`${table}:${rows.map((r) => String(r.j)).join('\n')}`);
  }
  return createHash('sha256').update(catalogFingerprint(catalog)).update(counts.join('\n')).update(history.join('\n')).digest('hex');
}

/** Fingerprint of an embedded data dir (opens it, takes its lock, closes it). */
export async function dataDirFingerprint(dataDir: string): Promise<string> {
  const engine = await openEngine({ kind: 'pglite', dataDir }, { command: 'reliability fingerprint', flavour: 'supabase' });
  try {
    return await fingerprint(engine);
  } finally {
    await engine.close();
  }
}

/** Fingerprint of a database on a server. */
export async function urlFingerprint(url: string): Promise<string> {
  const engine = await openEngine({ kind: 'postgres', url });
  try {
    return await fingerprint(engine);
  } finally {
    await engine.close();
  }
}

/**
 * A cheap pre-check for an embedded data dir: sha256 over every file but those a read-only open and close rewrite
 * (pg_control, the WAL, statistics, lock and pid files). Equal hashes mean the relation files are byte-identical
 * (PGlite checkpoints on close); when they differ, {@link dataDirFingerprint} decides.
 */
export function dataDirFilesHash(dataDir: string): string {
  const h = createHash('sha256');
  const skip =
    /^(global\/pg_control|pg_wal\/|pg_stat|pg_stat_tmp\/|pg_logical\/|pg_subtrans\/|postmaster\.|pg_notify\/|pg_multixact\/|pg_xact\/)/;
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.test(r)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile()) h.update(r).update('\0').update(fs.readFileSync(p));
    }
  };
  walk(dataDir, '');
  return h.digest('hex');
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Databases on the test server: one template, and copies of it (or empty ones) made and dropped as cases need. */
export class ScratchServer {
  private made = new Set<string>();
  constructor(
    readonly adminUrl: string,
    private prefix: string,
  ) {}

  url(name: string): string {
    return withDatabase(this.adminUrl, name);
  }

  /** A new database, empty (template0-like: the server's template1) or a copy of `template`. */
  async create(label: string, template?: string): Promise<{ name: string; url: string }> {
    const name = `${this.prefix}_${label}_${process.pid}_${randomBytes(3).toString('hex')}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 63);
    await withClient(this.adminUrl, (c) =>
      c.query(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`),
    );
    this.made.add(name);
    return { name, url: this.url(name) };
  }

  async drop(name: string): Promise<void> {
    await withClient(this.adminUrl, async (c) => {
      // the database and any scratch database a reset left beside it
      const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname = $1 or datname like $2', [
        name,
        `${name.replace(/_/g, '\\_')}\\_%`,
      ]);
      for (const r of rows) {
        await c
          .query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [r.datname])
          .catch(() => undefined);
        await c.query(`drop database if exists ${quoteIdent(r.datname)}`).catch(() => undefined);
      }
    });
    this.made.delete(name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.made]) await this.drop(name).catch(() => undefined);
  }
}
