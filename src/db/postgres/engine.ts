import type { Pool, PoolClient } from 'pg';
import { KeelError, toDbError } from '../../core/errors.js';
import { redact, registerSecret } from '../../core/redact.js';
import type { Capabilities, Engine, Queryable, QueryResult, Row } from '../engine.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

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
  const reach = (why: string, hint: string) => new KeelError('KEEL_DB_UNREACHABLE', `cannot connect to ${target}: ${why}`, { hint, cause: err });
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
      return new KeelError('KEEL_DB_MISSING', `cannot connect to ${target}: ${e.message}`, { hint: 'create the database first, or fix its name in the URL', sqlState: e.code });
  }
  if (e?.message && /timeout/i.test(e.message) && !e.code) return reach('timed out', 'check the network path (firewall, VPN) to the server');
  return toDbError(err);
}

function toResult<T>(r: { rows: unknown[]; rowCount: number | null; command: string; fields?: { name: string; dataTypeID: number }[] }): QueryResult<T> {
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

  private wrap(q: { query: PoolClient['query'] }): Queryable {
    return {
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

  query<T = Row>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.wrap(this.pool).query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.wrap(this.pool).exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectionError(err, this.target);
    }
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
  try {
    registerSecret(decodeURIComponent(new URL(url).password));
  } catch {
    throw new KeelError('KEEL_BAD_URL', `not a valid connection URL: ${redact(url)}`, { hint: 'use postgres://user:password@host:5432/database' });
  }
  const pg = (await import('pg')).default;
  // int8 and numeric stay strings (exact); dates stay text so both engines return the same shapes.
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      [1082, 1114, 1184].includes(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text'),
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
