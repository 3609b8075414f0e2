import type { Capabilities, Engine, QueryResult, Row, Transaction } from '../../engine.js';
import { Mutex } from '../../mutex.js';
import { chunked, collect } from '../chunks.js';
import { extensionModules } from '../extensions.js';
import { inFreshSession, inTransaction } from '../session-reset.js';
import type { HostConnection } from './connection.js';

/**
 * The embedded engine of a client process when an engine host serves the data dir: every call goes over the host's
 * socket to its one PGlite session. A single query is one call (the host runs it as acquire + call + release);
 * transaction() and session() hold the session for their whole callback, so no other client's statement runs inside.
 */
export class HostEngine implements Engine {
  readonly kind = 'pglite' as const;
  readonly capabilities: Capabilities = { advisoryLocks: false, concurrentIndexes: false, local: true, copy: 'blob' };
  private mutex = new Mutex();
  private closed = false;

  /**
   * @param held the connection already holds the session (a reset's build): calls run at once and close() leaves the
   * connection to its owner.
   */
  constructor(
    private conn: HostConnection,
    readonly target: string,
    private registered: string[],
    private held = false,
  ) {}

  canCreateExtensions(names: string[]): boolean {
    return extensionModules(names).every((m) => this.registered.includes(m));
  }

  /** The session as the holder uses it (inside transaction/session, or on a held connection). */
  private direct: Transaction = {
    query: <T = Row>(sql: string, params?: unknown[]) => this.conn.call<QueryResult<T>>({ op: 'query', sql, params }),
    exec: (sql: string) => this.conn.call<void>({ op: 'exec', sql }),
    copyOut: (source: string) => chunked(() => this.conn.call<Uint8Array>({ op: 'copyOut', source })),
    copyIn: async (target: string, data: AsyncIterable<Uint8Array>) =>
      this.conn.call<number>({ op: 'copyIn', target, data: await collect(data) }),
  };

  copyOut(source: string): AsyncIterable<Uint8Array> {
    return chunked(() => this.mutex.run(() => this.conn.call<Uint8Array>({ op: 'copyOut', source })));
  }

  async copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    const bytes = await collect(data);
    return this.mutex.run(() => this.conn.call<number>({ op: 'copyIn', target, data: bytes }));
  }

  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.mutex.run(() => this.direct.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(() => this.direct.exec(sql));
  }

  /** Holds the host's session for `fn` (the host rolls back and resets it should this process die meanwhile). */
  private holding<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      if (this.held) return fn();
      await this.conn.call({ op: 'acquire' });
      try {
        return await fn();
      } finally {
        await this.conn.call({ op: 'release' }).catch(() => undefined);
      }
    });
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.holding(() => inTransaction(this.direct, fn));
  }

  session<T>(fn: (s: Transaction) => Promise<T>): Promise<T> {
    return this.holding(() => inFreshSession(this.direct, fn));
  }

  async serverVersion(): Promise<number> {
    const { rows } = await this.query<{ v: string }>(`select current_setting('server_version_num') as v`);
    return Number(rows[0]?.v);
  }

  /** A gzipped tarball of the data dir (PGlite's dumpDataDir), made by the host. */
  dumpDataDir(): Promise<Uint8Array> {
    return this.mutex.run(() => this.conn.call<Uint8Array>({ op: 'dump' }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.held) return;
    await this.mutex.run(async () => this.conn.close());
  }
}
