/**
 * The one small interface every feature talks to. PGlite, a real server by URL and a local server started from
 * binaries all implement it; differences between them live in {@link Capabilities}, never in `if (kind === …)`.
 *
 * @example
 * const engine = await openEngine({ cwd: 'examples/scalemate' });
 * const { rows } = await engine.query<{ n: number }>('select count(*)::int as n from public.tasks');
 * await engine.close();
 */
export type Row = Record<string, unknown>;

export interface QueryResult<T = Row> {
  rows: T[];
  /** Rows touched by INSERT/UPDATE/DELETE; undefined for statements that report none. */
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

/** What can run statements: an engine, or the handle a transaction callback receives. */
export interface Queryable {
  /** One statement, with `$1…` parameters. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** A script of any number of statements, without parameters. */
  exec(sql: string): Promise<void>;
}

/** Bulk data in and out with COPY (text format), on an engine or inside one of its transactions. */
export interface Copier {
  /**
   * `COPY <source> TO STDOUT` in text format: `source` is a quoted table with its columns (`"public"."tasks" ("id",
   * "title")`) or a parenthesised query. Yields the data in chunks; on a server it streams (memory stays flat), on
   * PGlite each call's data passes through `/dev/blob` whole, so callers page big tables. Inside a transaction,
   * call it on the `tx` handle.
   */
  copyOut(source: string): AsyncIterable<Uint8Array>;
  /** `COPY <target> FROM STDIN` in text format, fed from `data`; resolves to the number of rows copied. */
  copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number>;
}

/** The handle a `transaction` callback receives: one session. */
export interface Transaction extends Queryable, Copier {}

export type EngineKind = 'pglite' | 'postgres';

export interface Capabilities {
  /** pg_advisory_xact_lock is meaningful (several processes can reach the database). */
  advisoryLocks: boolean;
  /** CREATE INDEX CONCURRENTLY can run (outside a transaction). */
  concurrentIndexes: boolean;
  /** The database lives on this machine and belongs to this project: destructive commands need no confirmation. */
  local: boolean;
  /** COPY data moves through `/dev/blob` (PGlite) or a protocol stream (a server). */
  copy: 'blob' | 'stream';
}

export interface Engine extends Queryable, Copier {
  readonly kind: EngineKind;
  /** A description of the target that is safe to print: never contains a password. */
  readonly target: string;
  readonly capabilities: Capabilities;
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection; ROLLBACK when it throws. Nothing outside `fn` may run on the
   * engine meanwhile (PGlite has one session; a server transaction holds one pooled connection).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on a fresh session in autocommit, as psql runs a file: each statement commits as it runs unless `fn` sends
   * BEGIN itself. A server opens a new connection for it and closes it afterwards (which rolls back a transaction `fn`
   * left open or aborted). PGlite has one session: before and after `fn` it rolls back any open or aborted transaction
   * and returns the session to the state a new one starts in (see resetPgliteSession). Nothing else runs on the
   * engine meanwhile.
   */
  session<T>(fn: (s: Transaction) => Promise<T>): Promise<T>;
  /**
   * False when this engine could not create some of these extensions as opened (PGlite registers contrib extensions
   * at start-up); absent means any installed extension can be created (a server).
   */
  canCreateExtensions?(names: string[]): boolean;
  /** Server version number, e.g. 150018 or 180006. */
  serverVersion(): Promise<number>;
  close(): Promise<void>;
}

/** Where a command's database is: the project's embedded data dir, a throwaway in-memory one, or a server URL. */
export type Target =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; memory: true }
  /** `keelServer`: the project's own local server (`[db] engine = "local-server"`), which Keel may keep databases on. */
  | { kind: 'postgres'; url: string; keelServer?: boolean };
