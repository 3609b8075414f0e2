import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { Capabilities, Engine, QueryResult, Row, Transaction } from '../engine.js';
import { Mutex } from '../mutex.js';
import { extensionModules, isEmptyDir, rememberExtensions } from './extensions.js';
import { acquireDataDirLock } from './lock.js';
import { inFreshSession, inTransaction } from './session-reset.js';
import type { WorkerInit } from './protocol.js';
import { templateTarball, type TemplateFlavour } from './flavour.js';
import { TRIGRAM_ATTEMPTS, trigramsWork } from './trigram-probe.js';
import { startWorker, type PgliteWorker } from './worker-client.js';
import { makeDirs } from '../../core/fs.js';
import { chunked, collect } from './chunks.js';

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
  /** What a new data dir or in-memory instance starts as (default 'bare'; commands use 'supabase'). */
  flavour?: TemplateFlavour;
  /**
   * Internal: set by the engine host for its own PGlite (no looking for a host, and the host's lock covers the data
   * dir and a reset's build).
   */
  inHost?: boolean;
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

  /** The one session, used without the mutex: by a transaction that holds it, or by a method that took it. */
  private direct: Transaction = {
    query: <T = Row>(sql: string, params?: unknown[]) => this.w.call<QueryResult<T>>({ op: 'query', sql, params }),
    exec: (sql: string) => this.w.call<void>({ op: 'exec', sql }),
    copyOut: (source: string) => chunked(() => this.w.call<Uint8Array>({ op: 'copyOut', source })),
    copyIn: async (target: string, data: AsyncIterable<Uint8Array>) => {
      const bytes = await collect(data);
      return this.w.call<number>({ op: 'copyIn', target, data: bytes }, undefined, [bytes.buffer as ArrayBuffer]);
    },
  };

  /** The whole COPY runs under the mutex (one statement); the caller then reads the bytes at its own pace. */
  copyOut(source: string): AsyncIterable<Uint8Array> {
    return chunked(() => this.mutex.run(() => this.w.call<Uint8Array>({ op: 'copyOut', source })));
  }

  async copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    // the data is gathered before the mutex is taken, so a slow source never holds up other work
    const bytes = await collect(data);
    return this.mutex.run(() => this.w.call<number>({ op: 'copyIn', target, data: bytes }, undefined, [bytes.buffer as ArrayBuffer]));
  }

  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.mutex.run(() => this.direct.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(() => this.direct.exec(sql));
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.mutex.run(() => inTransaction(this.direct, fn));
  }

  session<T>(fn: (s: Transaction) => Promise<T>): Promise<T> {
    return this.mutex.run(() => inFreshSession(this.direct, fn));
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
  if (dataDir && !opts.inHost) {
    // an engine host serving this data dir: talk to it instead of opening PGlite here (see host/)
    const { hostEngineFor } = await import('./host/connect.js');
    const hosted = await hostEngineFor(dataDir, { extensions: opts.extensions });
    if (hosted) return hosted;
  }
  const release = dataDir && !opts.inHost ? acquireDataDirLock(dataDir, opts.command ?? 'keel') : () => undefined;
  try {
    const fresh = !dataDir || isEmptyDir(dataDir);
    const template = fresh ? await templateTarball(opts.flavour ?? 'bare') : undefined;
    if (dataDir) makeDirs(dataDir);
    const modules = extensionModules(rememberExtensions(dataDir, opts.extensions ?? []));
    const init: WorkerInit = { dataDir, template, extensions: modules };
    let w = await startWorker(init, timeoutMs);
    // See trigramsWork: an instance where pg_trgm is broken is thrown away before anything touches it.
    for (let attempt = 1; modules.includes('pg_trgm') && !(await trigramsWork(w)); attempt++) {
      await w.terminate();
      if (attempt >= TRIGRAM_ATTEMPTS) {
        throw new KeelError(
          'KEEL_PGLITE_SELFTEST',
          `the embedded database failed its pg_trgm self-test ${TRIGRAM_ATTEMPTS} times in a row`,
          {
            hint: 'a known PGlite fault with pg_trgm and pgcrypto in one instance; run the project against a real server with --db-url',
          },
        );
      }
      w = await startWorker(init, timeoutMs);
    }
    return new PgliteEngine(w, dataDir ? `pglite:${dataDir}` : 'pglite:memory', release, modules);
  } catch (err) {
    release();
    throw err;
  }
}
