import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { DbError, KeelError } from '../../core/errors.js';
import type { Capabilities, Engine, Queryable, QueryResult, Row } from '../engine.js';
import { Mutex } from '../mutex.js';
import { acquireDataDirLock } from './lock.js';
import type { Call, Response, WorkerInit } from './protocol.js';
import { cachedTemplate } from './template.js';

/** Contrib extensions PGlite ships, by SQL name → module name. Each one registered costs ~100 ms at open. */
export const PGLITE_CONTRIB: Record<string, string> = Object.fromEntries(
  ['amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'earthdistance', 'fuzzystrmatch', 'hstore',
    'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_buffercache', 'pg_stat_statements', 'pg_trgm', 'pg_visibility', 'pgcrypto',
    'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp'].map((m) => [m.replace('uuid_ossp', 'uuid-ossp'), m]),
);

/** What the Supabase shim installs; always registered. */
const BASE_EXTENSIONS = ['uuid-ossp', 'pgcrypto'];

/**
 * The extensions to register, by module name (pg_trgm first, which the PGlite notes advise; see trigramsWork for why
 * that alone is not enough); unknown names dropped (CREATE EXTENSION then fails with Postgres's message).
 */
export function extensionModules(sqlNames: Iterable<string>): string[] {
  const names = [...new Set([...BASE_EXTENSIONS, ...sqlNames])].sort((a, b) => Number(b === 'pg_trgm') - Number(a === 'pg_trgm'));
  return names.map((n) => PGLITE_CONTRIB[n]).filter((m): m is string => m !== undefined);
}

export interface PgliteOptions {
  /** File-backed data dir; omit for an in-memory instance. */
  dataDir?: string;
  /** Named in the lock file so a second process can say who holds the database. */
  command?: string;
  /** SQL names of extensions the project creates (from its migrations); those a data dir used before are remembered. */
  extensions?: string[];
  /** Watchdog: a statement running longer than this stops the instance. Default 10 min or KEEL_PGLITE_TIMEOUT_MS. */
  timeoutMs?: number;
}

function spawnWorker(init: WorkerInit): Worker {
  if (!fileURLToPath(import.meta.url).endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  // Running from TypeScript sources (tests, tsx): register tsx inside the worker before loading it.
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

class PgliteWorker {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; timer?: NodeJS.Timeout }>();
  private dead: Error | undefined;

  constructor(init: WorkerInit, private timeoutMs: number) {
    this.worker = spawnWorker(init);
    this.worker.on('message', (res: Response) => this.settle(res));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the PGlite worker exited (code ${code})`)));
  }

  /** Resolves when PGlite has opened (request id 0 is the start-up handshake). */
  ready(startTimeoutMs: number): Promise<void> {
    return this.wait(0, startTimeoutMs, 'opening the database') as Promise<void>;
  }

  call<T>(req: Call, timeoutMs = this.timeoutMs): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const p = this.wait(id, timeoutMs, 'sql' in req ? `running: ${oneLine(req.sql)}` : req.op);
    this.worker.postMessage({ ...req, id });
    return p as Promise<T>;
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('the PGlite engine is closed');
    await this.worker.terminate();
  }

  private wait(id: number, timeoutMs: number, doing: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new KeelError('KEEL_PGLITE_TIMEOUT', `the embedded database did not answer within ${Math.round(timeoutMs / 1000)} s while ${doing}; Keel stopped it`, {
          hint: 'PGlite can hang on some extension combinations (pg_trgm after pgcrypto); raise KEEL_PGLITE_TIMEOUT_MS for long statements, or use --db-url with a real server',
        });
        this.fail(err);
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  private settle(res: Response): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    clearTimeout(p.timer);
    if (res.ok) p.resolve(res.result);
    else if (res.error.internal) p.reject(new KeelError('KEEL_PGLITE', `embedded database failed: ${res.error.message}`, { detail: res.error.stack }));
    else p.reject(new DbError(res.error));
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Starts a throwaway in-memory instance to produce the cached template. */
async function buildTemplate(): Promise<Uint8Array> {
  const w = new PgliteWorker({ extensions: [] }, 120_000);
  try {
    await w.ready(120_000);
    const bytes = await w.call<Uint8Array>({ op: 'dump' });
    await w.call({ op: 'close' });
    return bytes;
  } finally {
    await w.terminate();
  }
}

class PgliteEngine implements Engine {
  readonly kind = 'pglite' as const;
  readonly capabilities: Capabilities = { advisoryLocks: false, concurrentIndexes: false, local: true, copy: 'blob' };
  private mutex = new Mutex();
  private closed = false;

  constructor(
    private w: PgliteWorker,
    readonly target: string,
    private release: () => void,
    private registered: string[],
  ) {}

  canCreateExtensions(names: string[]): boolean {
    return extensionModules(names).every((m) => this.registered.includes(m));
  }

  private direct: Queryable = {
    query: <T = Row>(sql: string, params?: unknown[]) => this.w.call<QueryResult<T>>({ op: 'query', sql, params }),
    exec: (sql: string) => this.w.call<void>({ op: 'exec', sql }),
  };

  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.mutex.run(() => this.direct.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(() => this.direct.exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      await this.direct.exec('begin');
      try {
        const out = await fn(this.direct);
        await this.direct.exec('commit');
        return out;
      } catch (err) {
        await this.direct.exec('rollback').catch(() => undefined);
        throw err;
      }
    });
  }

  async serverVersion(): Promise<number> {
    const { rows } = await this.query<{ v: string }>(`select current_setting('server_version_num') as v`);
    return Number(rows[0]?.v);
  }

  /** A gzipped tarball of the data dir (PGlite's dumpDataDir). */
  dumpDataDir(): Promise<Uint8Array> {
    return this.mutex.run(() => this.w.call<Uint8Array>({ op: 'dump' }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.mutex.run(() => this.w.call({ op: 'close' }, 30_000));
    } catch {
      /* a dead worker has nothing to close */
    } finally {
      await this.w.terminate();
      this.release();
    }
  }
}

/** Extensions registered for a data dir are kept beside it: a later open must register them again to use them. */
function rememberExtensions(dataDir: string | undefined, wanted: string[]): string[] {
  if (!dataDir) return wanted;
  const file = `${dataDir}.extensions.json`;
  let known: string[] = [];
  try {
    if (!isEmptyDir(dataDir)) known = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } catch {
    known = [];
  }
  const all = [...new Set([...known, ...wanted])].sort();
  if (all.join() !== known.join()) fs.writeFileSync(file, JSON.stringify(all));
  return all;
}

function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

/**
 * Opens PGlite on a worker thread: file-backed (locked against other processes) or in memory. New data dirs and
 * in-memory instances start from a cached initialised template.
 *
 * @example
 * const engine = await openPglite({ dataDir: 'supabase/.keel/pglite', command: 'keel db migrate' });
 */
export async function openPglite(opts: PgliteOptions = {}): Promise<Engine & { dumpDataDir(): Promise<Uint8Array> }> {
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.KEEL_PGLITE_TIMEOUT_MS) || 600_000);
  const dataDir = opts.dataDir && path.resolve(opts.dataDir);
  const release = dataDir ? acquireDataDirLock(dataDir, opts.command ?? 'keel') : () => undefined;
  try {
    const fresh = !dataDir || isEmptyDir(dataDir);
    const template = fresh ? await cachedTemplate(buildTemplate) : undefined;
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const modules = extensionModules(rememberExtensions(dataDir, opts.extensions ?? []));
    const init: WorkerInit = { dataDir, template, extensions: modules };
    let w = await startWorker(init, timeoutMs);
    // See trigramsWork: an instance where pg_trgm is broken is thrown away before anything touches it.
    for (let attempt = 1; modules.includes('pg_trgm') && !(await trigramsWork(w)); attempt++) {
      await w.terminate();
      if (attempt >= TRIGRAM_ATTEMPTS) {
        throw new KeelError('KEEL_PGLITE_SELFTEST', `the embedded database failed its pg_trgm self-test ${TRIGRAM_ATTEMPTS} times in a row`, {
          hint: 'a known PGlite fault with pg_trgm and pgcrypto in one instance; run the project against a real server with --db-url',
        });
      }
      w = await startWorker(init, timeoutMs);
    }
    return new PgliteEngine(w, dataDir ? `pglite:${dataDir}` : 'pglite:memory', release, modules);
  } catch (err) {
    release();
    throw err;
  }
}

async function startWorker(init: WorkerInit, timeoutMs: number): Promise<PgliteWorker> {
  const w = new PgliteWorker(init, timeoutMs);
  try {
    await w.ready(120_000);
    return w;
  } catch (err) {
    await w.terminate();
    if (err instanceof DbError || err instanceof KeelError) throw err;
    throw new KeelError('KEEL_PGLITE_OPEN', `could not open the embedded database${init.dataDir ? ` at ${init.dataDir}` : ''}: ${(err as Error).message}`, {
      hint: init.dataDir ? 'if the folder is damaged, move it away (keel recreates it) or restore a backup' : undefined,
    });
  }
}

const TRIGRAM_ATTEMPTS = 8;

/**
 * With pg_trgm and pgcrypto registered in one PGlite 0.5.16 instance, some instances (about half, measured) answer
 * `'keel' % 'keel'` with no row and then spin forever on the next query — whichever library is loaded first, even
 * when pgcrypto is never called. The state is fixed at start-up, so each instance is probed once, in a transaction
 * that is rolled back (pg_trgm may not be installed yet), before anything else runs on it. A broken instance is
 * never queried again: it is terminated and a new one started.
 */
async function trigramsWork(w: PgliteWorker): Promise<boolean> {
  try {
    await w.call({ op: 'exec', sql: 'begin; create schema keel_probe; create extension if not exists pg_trgm with schema keel_probe' }, 30_000);
    const { rows } = await w.call<QueryResult<{ schema: string }>>(
      { op: 'query', sql: `select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'` },
      30_000,
    );
    const schema = rows[0]!.schema.replace(/"/g, '""');
    const probe = await w.call<QueryResult<{ ok: boolean }>>({ op: 'query', sql: `select 'keel'::text operator("${schema}".%) 'keel'::text as ok` }, 30_000);
    if (probe.rows[0]?.ok !== true) return false;
    await w.call({ op: 'exec', sql: 'rollback' }, 30_000);
    return true;
  } catch {
    return false; // a timeout (the spin) or an error: either way this instance is not to be trusted
  }
}
