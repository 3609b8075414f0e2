import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { Capabilities, Engine, Queryable, QueryResult, Row } from '../engine.js';
import { Mutex } from '../mutex.js';
import { extensionModules, isEmptyDir, rememberExtensions } from './extensions.js';
import { acquireDataDirLock } from './lock.js';
import type { WorkerInit } from './protocol.js';
import { cachedTemplate } from './template.js';
import { TRIGRAM_ATTEMPTS, trigramsWork } from './trigram-probe.js';
import { buildTemplate, startWorker, type PgliteWorker } from './worker-client.js';

export { PGLITE_CONTRIB, extensionModules } from './extensions.js';

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

