/**
 * Test helpers for the real PostgreSQL server started by test/support/global-setup.ts.
 *
 * @example
 * describe.each(engineNames)('%s engine', (engine) => { ... });
 *
 * const db = await createTestDatabase('migrate');
 * // ... use db.url ...
 * await db.drop();
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type {} from './global-setup.js'; // the ProvidedContext augmentation (types only)

/** The test server's superuser URL, or null when no server is available (never under CI). */
export function pgAdminUrl(): string | null {
  return inject('pgAdminUrl') ?? null;
}

/** Engines to run engine-agnostic tests against: both normally, only PGlite when no server is available. */
export const engineNames: ('pglite' | 'postgres')[] = pgAdminUrl() ? ['pglite', 'postgres'] : ['pglite'];

/** A database created for one test (or file); `drop()` disconnects everyone and removes it. */
export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>; // a property: callers pass `db.drop` around unbound
}

/**
 * Creates a uniquely named database on the test server (empty, or a copy of `template`, which must have no sessions)
 * and returns its URL. Throws when there is no server;
 * guard with `pgAdminUrl()` or `engineNames`.
 *
 * @example
 * const db = await createTestDatabase('rls');
 * const client = new pg.Client(db.url);
 */
export async function createTestDatabase(prefix = 'keel', opts: { template?: string } = {}): Promise<TestDatabase> {
  const adminUrl = pgAdminUrl();
  if (!adminUrl) throw new Error('no PostgreSQL test server (see test/support/global-setup.ts)');
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const name = `${safePrefix}_${process.pid}_${randomBytes(5).toString('hex')}`;
  const template = opts.template ? ` template ${quoteIdent(opts.template)}` : '';
  await withAdmin(adminUrl, (client) => client.query(`create database ${quoteIdent(name)}${template}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= withAdmin(adminUrl, async (client) => {
      const { rows } = await client.query<{ num: number }>(`select current_setting('server_version_num')::int as num`);
      await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      const force = (rows[0]?.num ?? 0) >= 130000 ? ' with (force)' : '';
      await client.query(`drop database if exists ${quoteIdent(name)}${force}`);
    }));
  return { name, url: url.toString(), drop };
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
