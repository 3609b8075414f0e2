/**
 * The real extension wins wherever the server has it: pg_cron on a server that loads it (its own throwaway server,
 * started with shared_preload_libraries = pg_cron and cron.database_name set to the project's database). PGlite has
 * no pg_cron; its stand-in is covered by extensions.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/index.js';
import { startLocalServer, type LocalServer } from '../../src/db/postgres/local-server.js';
import { pgAdminUrl } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

const admin = pgAdminUrl();
const hasCron = admin ? (await query(admin, `select 1 from pg_available_extensions where name = 'pg_cron'`)).length > 0 : false;

describe.runIf(hasCron)('the real pg_cron on a server that loads it', () => {
  let server: LocalServer;
  let url: string;
  const DB = 'keel_cron';

  beforeAll(async () => {
    server = await startLocalServer({ settings: { shared_preload_libraries: 'pg_cron', 'cron.database_name': DB } });
    await query(server.url, `create database ${DB}`);
    const u = new URL(server.url);
    u.pathname = `/${DB}`;
    url = u.toString();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('is created by the project line (twice, IF NOT EXISTS), with no stand-in and no announcement; cron.schedule records the job', async () => {
    const p = makeProject({
      'migrations/001_cron.sql':
        'create extension if not exists pg_cron with schema extensions;\ncreate extension if not exists pg_cron with schema extensions;',
      'migrations/002_job.sql': `select cron.schedule('nightly', '0 3 * * *', $$select 1$$);`,
    });
    const r = await migrate({ cwd: p.root, dbUrl: url, env: {}, noBackup: true });
    expect(r.migrations.map((m) => m.status)).toEqual(['applied', 'applied']);
    expect(r.warnings.filter((w) => w.includes('pg_cron'))).toEqual([]);
    const ext = await query<{ v: string }>(url, `select extversion as v from pg_extension where extname = 'pg_cron'`);
    expect(ext).toHaveLength(1);
    expect(await query(url, `select to_regclass('keel.stand_ins') is null as none`)).toEqual([{ none: true }]);
    expect(await query(url, `select jobname, schedule, command from cron.job`)).toEqual([
      { jobname: 'nightly', schedule: '0 3 * * *', command: 'select 1' },
    ]);
  });
});
