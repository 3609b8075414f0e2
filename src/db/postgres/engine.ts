import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { KeelError, toDbError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { checkDatabaseUrl } from '../url.js';
import type { Capabilities, Engine, QueryResult, Row, Transaction } from '../engine.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** Pool clients given an 'error' listener (once each: the pool hands the same client out many times). */
const listening = new WeakSet<PoolClient>();

/** True when the URL names this machine (loopback or a unix socket): destructive commands need no confirmation there. */
export function isLocalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') ?? u.hostname;
    return LOCAL_HOSTS.has(host) || host.startsWith('/');
  } catch {
    return false;
  }
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return redact(url);
  }
}

/** Turns connection failures into one clear line; database errors keep their SQLSTATE and fields. */
function connectionError(err: unknown, target: string): unknown {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const reach = (why: string, hint: string) =>
    new KeelError('KEEL_DB_UNREACHABLE', `cannot connect to ${target}: ${why}`, { hint, cause: err });
  switch (e?.code) {
    case 'ECONNREFUSED':
      return reach('connection refused', 'is the server running, and are the host and port right?');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return reach('host not found', 'check the host name in --db-url / DATABASE_URL');
    case 'ETIMEDOUT':
      return reach('timed out', 'check the network path (firewall, VPN) to the server');
    case '28P01':
    case '28000':
      return new KeelError('KEEL_DB_AUTH', `cannot connect to ${target}: ${redact(e.message)}`, {
        hint: 'check the user and password in --db-url / DATABASE_URL',
        sqlState: e.code,
      });
    case '3D000':
      return new KeelError('KEEL_DB_MISSING', `cannot connect to ${target}: ${e.message}`, {
        hint: 'create the database first, or fix its name in the URL',
        sqlState: e.code,
      });
  }
  if (e?.message && /timeout/i.test(e.message) && !e.code)
    return reach('timed out', 'check the network path (firewall, VPN) to the server');
  const message = String(e?.message ?? '');
  if (/does not support SSL/i.test(message)) {
    return reach(
      'the server does not support SSL, and the URL asks for it (sslmode)',
      'use sslmode=disable (or prefer) for a server without SSL, or enable SSL on the server',
    );
  }
  if (/certificate|self[- ]signed/i.test(message) || /CERT|SSL/.test(e?.code ?? '')) {
    return reach(
      `the server's SSL certificate was not accepted (${message})`,
      'use sslmode=require (encrypt without verifying), or give the CA with sslrootcert=',
    );
  }
  if (
    /Connection terminated|connection ended|ECONNRESET|EPIPE|socket hang up/i.test(message) ||
    e?.code === 'ECONNRESET' ||
    e?.code === 'EPIPE'
  ) {
    return new KeelError('KEEL_DB_CONNECTION_LOST', `the connection to ${target} was lost: ${redact(message)}`, {
      hint: 'the server ended the session (restart, pg_terminate_backend, network); the transaction in flight was rolled back, so run the command again',
      cause: err,
    });
  }
  if (e?.code === '57P01' || e?.code === '57P02' || e?.code === '57P03') {
    return new KeelError('KEEL_DB_CONNECTION_LOST', `the connection to ${target} was ended by the server: ${redact(message)}`, {
      sqlState: e.code,
      hint: 'the server was shut down or the session terminated; the transaction in flight was rolled back, so run the command again',
      cause: err,
    });
  }
  return toDbError(err);
}

function toResult<T>(r: {
  rows: unknown[];
  rowCount: number | null;
  command: string;
  fields?: { name: string; dataTypeID: number }[];
}): QueryResult<T> {
  const counts = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'SELECT'].includes(r.command);
  return {
    rows: r.rows as T[],
    affectedRows: counts && r.command !== 'SELECT' ? (r.rowCount ?? undefined) : undefined,
    fields: (r.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
  };
}

class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  readonly capabilities: Capabilities;

  constructor(
    private pool: Pool,
    readonly target: string,
    local: boolean,
  ) {
    this.capabilities = { advisoryLocks: true, concurrentIndexes: true, local, copy: 'stream' };
  }

  /**
   * The statement handle for a pool (each statement on any connection) or one client (a transaction). Copies always need
   * one client: on the pool they borrow one for the copy's length.
   */
  private wrap(q: Pool | PoolClient): Transaction {
    const isPool = q === this.pool;
    return {
      copyOut: (source: string) =>
        isPool ? this.onClient((c) => this.streamOut(c, source, true)) : this.streamOut(q as PoolClient, source, false),
      copyIn: async (target: string, data: AsyncIterable<Uint8Array>) => {
        if (!isPool) return this.streamIn(q as PoolClient, target, data);
        const client = await this.connect();
        let broken: Error | undefined;
        try {
          return await this.streamIn(client, target, data);
        } catch (err) {
          if (!(err instanceof KeelError) && !(err as { code?: unknown }).code) broken = err as Error;
          throw err;
        } finally {
          client.release(broken);
        }
      },
      query: async <T = Row>(sql: string, params?: unknown[]) => {
        try {
          return toResult<T>(await q.query({ text: sql, values: params }));
        } catch (err) {
          throw connectionError(err, this.target);
        }
      },
      exec: async (sql: string) => {
        try {
          await q.query(sql); // no parameters: the simple protocol runs many statements at once
        } catch (err) {
          throw connectionError(err, this.target);
        }
      },
    };
  }

  private async connect(): Promise<PoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectionError(err, this.target);
    }
    // A connection lost while checked out (server restart, pg_terminate_backend) is also an 'error' event on the
    // client, which with no listener crashes the process with a stack trace; the statement in flight rejects with the
    // reason anyway, and the pool drops the client on release.
    if (!listening.has(client)) {
      client.on('error', () => undefined);
      listening.add(client);
    }
    return client;
  }

  /** Borrows a client for as long as the generator runs; a copy left half-read breaks the connection (not reused). */
  private async *onClient(gen: (c: PoolClient) => AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
    const client = await this.connect();
    let done = false;
    try {
      yield* gen(client);
      done = true;
    } catch (err) {
      done = !!(err as { code?: unknown }).code; // a database error ends the copy cleanly; anything else may not have
      throw err;
    } finally {
      client.release(done ? undefined : new Error('copy abandoned'));
    }
  }

  /**
   * `COPY … TO STDOUT` streamed from the server (the socket pauses while the caller is busy: memory stays flat). Inside a
   * transaction, a caller that stops early still drains the rest so the session stays usable; on the pool the borrowed
   * connection is thrown away instead.
   */
  private async *streamOut(client: PoolClient, source: string, disposable: boolean): AsyncGenerator<Uint8Array> {
    const stream = client.query(copyTo(`copy ${source} to stdout`));
    let finished = false;
    try {
      // destroyOnReturn false: an early stop must not destroy the stream (and leave pg waiting on a COPY nobody reads)
      for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) yield chunk;
      finished = true;
    } catch (err) {
      finished = true;
      throw connectionError(err, this.target);
    } finally {
      if (!finished && !disposable) {
        // the consumer returned early: read the rest so the connection leaves COPY mode
        stream.resume();
        await once(stream, 'end').catch(() => undefined);
      } else if (!finished) {
        stream.on('error', () => undefined); // the connection is dropped next ("Connection terminated"): expected
        stream.destroy();
      }
    }
  }

  /**
   * `COPY … FROM STDIN` fed from `data`, honouring backpressure (write() false → wait for drain). When `data` throws, the
   * copy is failed (CopyFail), the server answers with an error and the session stays usable (the transaction aborted).
   */
  private async streamIn(client: PoolClient, target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    const stream = client.query(copyFrom(`copy ${target} from stdin`));
    let serverError: unknown;
    const failed = new Promise<never>((_, reject) => {
      stream.on('error', (err) => {
        serverError = err;
        reject(err);
      });
    });
    failed.catch(() => undefined);
    const finished = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
    try {
      for await (const chunk of data) {
        if (serverError) break;
        if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
      }
      if (!serverError) stream.end();
      await Promise.race([finished, failed]);
      return stream.rowCount;
    } catch (err) {
      if (serverError) throw connectionError(serverError, this.target);
      // the source failed: abort the COPY and wait for the server to acknowledge it before handing the client back
      await new Promise<void>((resolve) => {
        stream.once('close', resolve);
        stream.destroy(err as Error);
      });
      throw err;
    }
  }

  copyOut(source: string): AsyncIterable<Uint8Array> {
    return this.wrap(this.pool).copyOut(source);
  }

  copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    return this.wrap(this.pool).copyIn(target, data);
  }

  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.wrap(this.pool).query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.wrap(this.pool).exec(sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const tx = this.wrap(client);
    try {
      await tx.exec('begin');
      const out = await fn(tx);
      await tx.exec('commit');
      return out;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** A connection of its own, not from the pool (whose connections carry what earlier transactions set). */
  async session<T>(fn: (s: Transaction) => Promise<T>): Promise<T> {
    const Client = (this.pool as Pool & { Client: new (options: unknown) => PoolClient }).Client;
    const client = new Client(this.pool.options);
    client.on('error', () => undefined); // the server dropped it: the next statement fails with the reason
    try {
      await client.connect();
    } catch (err) {
      throw connectionError(err, this.target);
    }
    try {
      return await fn(this.wrap(client));
    } finally {
      // what psql does at the end of a file: disconnect, which rolls back a transaction left open
      await (client as unknown as { end(): Promise<void> }).end().catch(() => undefined);
    }
  }

  async serverVersion(): Promise<number> {
    const { rows } = await this.query<{ v: string }>(`select current_setting('server_version_num') as v`);
    return Number(rows[0]?.v);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Connects to a server by URL through `pg`, loaded only now. Session state is never assumed across transactions, so a
 * transaction-mode pooler (Supabase port 6543) works. Fails fast with one clear line when the server cannot be reached.
 *
 * @example
 * const engine = await openPostgres(process.env.DATABASE_URL!);
 */
export async function openPostgres(url: string, opts: { connectTimeoutMs?: number } = {}): Promise<Engine> {
  const target = describe(url);
  checkDatabaseUrl(url, 'the connection URL'); // registers the password for scrubbing; library callers skip the CLI's check
  const pg = (await import('pg')).default;
  // int8 and numeric stay strings (exact); dates stay text so both engines return the same shapes.
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      [1082, 1114, 1184].includes(oid) ? (v: string) => v : (pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 5_000,
    application_name: 'keel',
    types,
  } as ConstructorParameters<typeof pg.Pool>[0]);
  pool.on('error', () => undefined); // an idle client dropped by the server: the next query reconnects
  const engine = new PostgresEngine(pool, target, isLocalUrl(url));
  try {
    await engine.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return engine;
}
