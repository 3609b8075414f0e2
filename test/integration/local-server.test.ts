import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBinaries, startLocalServer, type LocalServer } from '../../src/db/postgres/local-server.js';
import { createTestDatabase, pgAdminUrl } from '../support/postgres.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const binaries = await findPostgresBinaries();
// Under CI a missing server must fail, never skip.
const canStart = binaries !== undefined || !!process.env.CI;

describe.skipIf(!canStart)('startLocalServer', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts a server that answers queries through pg', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const [row] = await query<{ version: string; su: boolean }>(
      server.url,
      `select version(), current_setting('is_superuser') = 'on' as su`,
    );
    expect(row?.version).toMatch(new RegExp(`^PostgreSQL ${server.version.replace('.', '\\.')}`));
    expect(row?.su).toBe(true);
  });

  it('listens on loopback only', async () => {
    const [row] = await query<{ listen: string }>(server.url, `select current_setting('listen_addresses') as listen`);
    expect(row?.listen).toBe('127.0.0.1');
  });

  it('stop() shuts the server down and removes its temp data dir', async () => {
    const other = await startLocalServer();
    const [row] = await query<{ dir: string }>(other.url, `select current_setting('data_directory') as dir`);
    const dataDir = row!.dir;
    await expect(stat(dataDir)).resolves.toBeTruthy();
    await other.stop();
    await expect(query(other.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
    await other.stop(); // idempotent
  });

  it('reuses an initialised data dir and keeps it on stop', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-reuse-test-'));
    try {
      const first = await startLocalServer({ dataDir });
      await query(first.url, 'create table kept (id int); insert into kept values (42)');
      await first.stop();
      const second = await startLocalServer({ dataDir });
      try {
        expect(await query(second.url, 'select id from kept')).toEqual([{ id: 42 }]);
      } finally {
        await second.stop();
      }
      await expect(stat(path.join(dataDir, 'PG_VERSION'))).resolves.toBeTruthy();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails with a clear error (and the server log) when the port is taken', async () => {
    const error = await startLocalServer({ port: server.port }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'KEEL_PG_START_FAILED' });
    expect((error as Error).message).toMatch(/could not bind|already in use/i);
  });
});

describe.skipIf(!pgAdminUrl())('createTestDatabase', () => {
  it('creates a usable database and drops it', async () => {
    const admin = pgAdminUrl()!;
    const db = await createTestDatabase('local_server');
    expect(db.url).toMatch(new RegExp(`/${db.name}$`));
    await query(db.url, 'create table t (x int); insert into t values (1), (2)');
    expect(await query(db.url, 'select sum(x)::int as s from t')).toEqual([{ s: 3 }]);
    // An open connection must not block the drop.
    const lingering = new pg.Client(db.url);
    lingering.on('error', () => undefined);
    await lingering.connect();
    await db.drop();
    await lingering.end().catch(() => undefined);
    expect(await query(admin, 'select 1 from pg_database where datname = $1', [db.name])).toEqual([]);
  });
});
