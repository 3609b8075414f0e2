/**
 * Keel through a transaction-mode pooler (PgBouncer, pool_mode = transaction, like Supabase's port 6543): consecutive
 * transactions of one client may run on different server sessions, and a session keeps whatever state the previous
 * client left on it. Keel must assume no session state across transactions.
 *
 * Needs the `pgbouncer` binary. Without it the file is skipped locally; it fails when pgbouncer is expected:
 * KEEL_EXPECT_PGBOUNCER=1 (.ci/run sets it when pgbouncer is installed), or CI set and KEEL_EXPECT_PGBOUNCER
 * not 0 (.ci/run sets 0, with KEEL_NO_PGBOUNCER_REASON, when apt-get is missing or could not install it).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, reset, status } from '../../src/index.js';
import { findPgbouncer, POOL_SIZE, startPgbouncer, type Pgbouncer } from '../support/pgbouncer.js';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';

const bin = findPgbouncer();
const expectation = process.env.KEEL_EXPECT_PGBOUNCER;
const required = expectation === '1' || (Boolean(process.env.CI) && expectation !== '0');
const skipReason = !pgAdminUrl()
  ? 'no PostgreSQL test server'
  : !bin && !required
    ? `pgbouncer is not installed${process.env.KEEL_NO_PGBOUNCER_REASON ? ` (${process.env.KEEL_NO_PGBOUNCER_REASON})` : ''}; apt-get install pgbouncer to run them`
    : undefined;
if (skipReason) console.warn(`[keel tests] pooler tests skipped: ${skipReason}`);

/** A project like the ones users push through Supabase's pooler: tables, a function, RLS policy, seed. */
const PROJECT = {
  'migrations/20240101000000_teams.sql': `-- Description: teams and a trace of which server session ran each file
create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  owner_id uuid references auth.users(id)
);
create table public.trace (file text not null, backend_pid int not null);
insert into public.trace values ('teams', pg_backend_pid());`,
  'migrations/20240102000000_functions.sql': `create or replace function public.team_count() returns bigint
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select count(*) from public.teams);
end;
$$;
create function public.touch_name() returns trigger language plpgsql as $$
begin
  new.name := trim(new.name);
  return new;
end;
$$;
create trigger teams_touch_name before insert or update on public.teams for each row execute function public.touch_name();
insert into public.trace values ('functions', pg_backend_pid());`,
  'policies/teams.sql': `alter table public.teams enable row level security;
drop policy if exists "owners read their teams" on public.teams;
create policy "owners read their teams" on public.teams for select to authenticated
  using (owner_id = (select auth.uid()));`,
  'seed/001_teams.sql': `insert into auth.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'owner@example.com');
insert into public.teams (name, owner_id) values ('  Core  ', '00000000-0000-0000-0000-000000000001');
insert into public.trace values ('seed', pg_backend_pid());`,
};

/** Runs one query on a fresh connection (the pooler's URL or the server's) and closes it. */
async function query<T = Record<string, unknown>>(url: string, sql: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function count(url: string, sql: string): Promise<number> {
  const rows = await query<{ n: number }>(url, `select (${sql})::int as n`);
  return rows[0]!.n;
}

describe.skipIf(skipReason !== undefined)('keel through PgBouncer in transaction mode', () => {
  let pooler: Pgbouncer;
  let db: TestDatabase | undefined;
  /** The test database, reached through the pooler (same user and database name). */
  let viaPooler: string;

  beforeAll(async () => {
    if (!bin) {
      throw new Error(
        'pgbouncer is required here but not installed (looked on PATH and at /usr/sbin/pgbouncer): ' +
          (expectation === '1'
            ? 'KEEL_EXPECT_PGBOUNCER=1 (.ci/run sets it when apt-get is there to install pgbouncer; its output says why that failed). '
            : 'CI is set and KEEL_EXPECT_PGBOUNCER is not 0. ') +
          'Install it with `apt-get install pgbouncer`, or set KEEL_EXPECT_PGBOUNCER=0 (and KEEL_NO_PGBOUNCER_REASON) where it cannot be installed.',
      );
    }
    pooler = await startPgbouncer(pgAdminUrl()!);
  });
  afterAll(async () => {
    await pooler?.stop();
  });

  async function freshDatabase(prefix: string): Promise<TestDatabase> {
    db = await createTestDatabase(prefix);
    const url = new URL(pooler.url);
    url.pathname = `/${db.name}`;
    viaPooler = url.toString();
    return db;
  }
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  /** What PgBouncer saw for this database: transactions it relayed, and the server backends it holds. */
  async function poolerView(name: string): Promise<{ xacts: number; mode: string | undefined; backendPids: number[] }> {
    const stats = await pooler.admin<{ database: string; total_xact_count: string }>('show stats');
    const pools = await pooler.admin<{ database: string; pool_mode: string }>('show pools');
    const servers = await pooler.admin<{ database: string; remote_pid: number }>('show servers');
    return {
      xacts: Number(stats.find((s) => s.database === name)?.total_xact_count ?? 0),
      mode: pools.find((p) => p.database === name)?.pool_mode,
      backendPids: servers.filter((s) => s.database === name).map((s) => Number(s.remote_pid)),
    };
  }

  /**
   * Leaves `search_path = public` as session state on every server session of the pool, as another client of a
   * transaction-mode pooler may: POOL_SIZE transactions held open at once get one server session each.
   */
  async function poisonSearchPath(): Promise<number[]> {
    const clients = await Promise.all(
      Array.from({ length: POOL_SIZE }, async () => {
        const c = new pg.Client({ connectionString: viaPooler });
        c.on('error', () => undefined);
        await c.connect();
        return c;
      }),
    );
    try {
      const pids = await Promise.all(
        clients.map(async (c) => {
          await c.query('begin');
          await c.query('set search_path = public'); // not LOCAL: stays on the server session after commit
          return (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
        }),
      );
      await Promise.all(clients.map((c) => c.query('commit')));
      return pids;
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    }
  }

  it('reset builds a project with a function, a policy and a seed; status shows every migration applied', async () => {
    const { name, url } = await freshDatabase('pooler_reset');
    expect(new URL(viaPooler).port).not.toBe(new URL(url).port);
    const p = makeProject(PROJECT);
    const before = await poolerView(name);

    const r = await reset({ cwd: p.root, dbUrl: viaPooler, yes: true, env: {} });
    expect(r.migrations.map((m) => [m.version, m.status])).toEqual([
      ['20240101000000', 'applied'],
      ['20240102000000', 'applied'],
    ]);
    expect(r.policies.map((x) => x.status)).toEqual(['applied']);
    expect(r.seeds.map((x) => [x.file, x.status])).toEqual([['supabase/seed/001_teams.sql', 'applied']]);
    expect(await count(url, `select public.team_count()`)).toBe(1);
    expect(await query(url, `select name from public.teams`)).toEqual([{ name: 'Core' }]); // the trigger ran
    expect(await count(url, `select count(*) from pg_policies where tablename = 'teams'`)).toBe(1);

    // A second reset through the pooler rebuilds the same database.
    await reset({ cwd: p.root, dbUrl: viaPooler, yes: true, env: {} });
    expect(await count(url, 'select count(*) from public.teams')).toBe(1);
    expect(await count(url, 'select count(*) from auth.users')).toBe(1);

    const s = await status({ cwd: p.root, dbUrl: viaPooler, env: {} });
    expect(s).toMatchObject({ applied: 2, pending: 0, changed: [], missing: [], upToDate: true, engine: 'postgres' });

    // It really went through PgBouncer: it relayed the transactions, and the migrations ran on its server sessions.
    const after = await poolerView(name);
    expect(after.mode).toBe('transaction');
    expect(after.xacts - before.xacts).toBeGreaterThanOrEqual(6);
    const pids = (await query<{ backend_pid: number }>(url, 'select distinct backend_pid from public.trace')).map((t) => t.backend_pid);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(after.backendPids).toContain(pid);
  });

  it('a second migrate applies only the new file', async () => {
    const { name, url } = await freshDatabase('pooler_migrate');
    const p = makeProject({ 'migrations/20240101000000_teams.sql': PROJECT['migrations/20240101000000_teams.sql'] });
    const first = await migrate({ cwd: p.root, dbUrl: viaPooler, env: {} });
    expect(first.migrations.map((m) => [m.version, m.status])).toEqual([['20240101000000', 'applied']]);

    p.write(
      'migrations/20240103000000_team_slug.sql',
      `alter table public.teams add column slug text unique;
insert into public.trace values ('slug', pg_backend_pid());`,
    );
    const second = await migrate({ cwd: p.root, dbUrl: viaPooler, env: {} });
    expect(second.migrations.map((m) => [m.version, m.status])).toEqual([['20240103000000', 'applied']]);
    const third = await migrate({ cwd: p.root, dbUrl: viaPooler, env: {} });
    expect(third.migrations).toEqual([]);

    expect(await status({ cwd: p.root, dbUrl: viaPooler, env: {} })).toMatchObject({ applied: 2, pending: 0, upToDate: true });
    expect(await count(url, `select count(*) from information_schema.columns where table_name = 'teams' and column_name = 'slug'`)).toBe(1);
    expect(await count(url, 'select count(*) from supabase_migrations.schema_migrations')).toBe(2);
    const view = await poolerView(name);
    for (const { backend_pid } of await query<{ backend_pid: number }>(url, 'select backend_pid from public.trace')) {
      expect(view.backendPids).toContain(backend_pid);
    }
  });

  /** Six files that each log the server session that applied them and take 0.1 s, so migrators overlap. */
  function raceProject() {
    const files: Record<string, string> = {
      'migrations/001_log.sql': `create table public.apply_log (version text not null, backend_pid int not null);
insert into public.apply_log values ('001', pg_backend_pid());
select pg_sleep(0.1);`,
    };
    for (let i = 2; i <= 6; i++) {
      files[`migrations/00${i}_t${i}.sql`] = `create table public.t${i} (id int);
insert into public.apply_log values ('00${i}', pg_backend_pid());
select pg_sleep(0.1);`;
    }
    return makeProject(files);
  }

  async function expectEachFileAppliedOnce(name: string, url: string, outcomes: { version?: string; status: string }[]): Promise<void> {
    const applied = outcomes.filter((m) => m.status === 'applied').map((m) => m.version);
    expect(applied.sort()).toEqual(['001', '002', '003', '004', '005', '006']);
    expect(outcomes.filter((m) => m.status !== 'applied').every((m) => m.status === 'skipped')).toBe(true);
    expect(await count(url, 'select count(*) from supabase_migrations.schema_migrations')).toBe(6);
    expect(await count(url, 'select count(*) from supabase_migrations.keel_migrations')).toBe(6);
    expect(await query(url, 'select version, count(*)::int as n from public.apply_log group by 1 order by 1')).toEqual(
      ['001', '002', '003', '004', '005', '006'].map((version) => ({ version, n: 1 })),
    );
    const view = await poolerView(name);
    expect(view.mode).toBe('transaction');
    expect(view.backendPids.length).toBeLessThanOrEqual(POOL_SIZE);
    for (const { backend_pid } of await query<{ backend_pid: number }>(url, 'select backend_pid from public.apply_log')) {
      expect(view.backendPids).toContain(backend_pid);
    }
  }

  it('two overlapping migrators apply each file exactly once (advisory lock per transaction)', async () => {
    const { name, url } = await freshDatabase('pooler_race');
    const p = raceProject();
    // The second starts once the first has applied a file, i.e. is past its setup and in the middle of the files.
    let second: Promise<Awaited<ReturnType<typeof migrate>>> | undefined;
    let started!: () => void;
    const secondStarted = new Promise<void>((resolve) => (started = resolve));
    const first = migrate({
      cwd: p.root,
      dbUrl: viaPooler,
      env: {},
      onFile: () => {
        if (second) return;
        second = migrate({ cwd: p.root, dbUrl: viaPooler, env: {} });
        started();
      },
    });
    await secondStarted;
    const runs = await Promise.allSettled([first, second!]);
    expect(runs.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.stack ?? r.reason)] : []))).toEqual([]);
    const [a, b] = runs.map((r) => (r.status === 'fulfilled' ? r.value.migrations : []));
    expect(b!.length).toBeGreaterThan(0); // the second found pending files: the two really ran at the same time
    const outcomes = [...a!, ...b!];
    expect(outcomes.filter((m) => m.status === 'skipped').length).toBeGreaterThan(0); // and met under the lock
    await expectEachFileAppliedOnce(name, url, outcomes);
  });

  // Both start at the same moment: the shim and history set-up must serialise too (advisory lock), not only the files.
  it('two migrators started at once apply each file exactly once, without error', async () => {
    const { name, url } = await freshDatabase('pooler_race_at_once');
    const p = raceProject();
    const runs = await Promise.allSettled([0, 1].map(() => migrate({ cwd: p.root, dbUrl: viaPooler, env: {} })));
    expect(runs.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []))).toEqual([]);
    await expectEachFileAppliedOnce(
      name,
      url,
      runs.flatMap((r) => (r.status === 'fulfilled' ? r.value.migrations : [])),
    );
  });

  it("sets the shim's search_path in every transaction, whatever session state the pooler hands it", async () => {
    const { url } = await freshDatabase('pooler_search_path');
    // Every server session of the pool starts out with search_path = public left by "another client"; that this
    // sticks across clients shows the pool really is shared per transaction.
    const pids = await poisonSearchPath();
    expect(new Set(pids).size).toBe(POOL_SIZE);
    expect(await query(viaPooler, 'show search_path')).toEqual([{ search_path: 'public' }]);

    const p = makeProject({
      // pg_dump / `supabase db dump` style: clears search_path for the rest of the session, not just this transaction.
      'migrations/001_dump_style.sql': `select pg_catalog.set_config('search_path', '', false);
create table public.things (id int);`,
      // uuid_generate_v4() lives in schema extensions (the shim's uuid-ossp): found only through the shim's search_path.
      'migrations/002_uuid.sql': `create table public.tokens (id uuid primary key default uuid_generate_v4(), note text);
insert into public.tokens (note) values ('first');
select uuid_generate_v4();`,
    });
    const r = await migrate({ cwd: p.root, dbUrl: viaPooler, env: {} });
    expect(r.migrations.map((m) => [m.version, m.status])).toEqual([
      ['001', 'applied'],
      ['002', 'applied'],
    ]);
    expect(await count(url, `select count(*) from public.tokens where id is not null`)).toBe(1);
    expect(
      await query(
        url,
        `select n.nspname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.proname = 'uuid_generate_v4'`,
      ),
    ).toEqual([{ nspname: 'extensions' }]);
    // New sessions get the shim's search_path from the database's default.
    expect(await query(url, 'show search_path')).toEqual([{ search_path: '"$user", public, extensions' }]);
  });
});
