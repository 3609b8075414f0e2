/**
 * Keel and the real Supabase CLI (npm `supabase`, v3) on one database: each reads the migration history
 * (`supabase_migrations.schema_migrations`) the other wrote. The CLI runs without Docker or login, against the test
 * server through `--remote=<db-url>`; see test/support/supabase-cli.ts.
 *
 * Skipped only when the CLI is not installed and not required (see supabaseCliRequired: under CI with `supabase` in
 * devDependencies a missing binary fails) or, locally, when there is no PostgreSQL test server.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, repair, status } from '../../src/index.js';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../support/postgres.js';
import { makeProject, type TempProject } from '../support/projects.js';
import { openSupabaseCli, parseMigrationList, supabaseCliRequired, type CliRun } from '../support/supabase-cli.js';

const cli = await openSupabaseCli();
const required = supabaseCliRequired();
const runnable = pgAdminUrl() !== null && (cli !== undefined || required);

const A = '20240101000000';
const B = '20240102000000';
const C = '20240103000000';
const FILES: Record<string, string> = {
  [`migrations/${A}_a.sql`]: 'create table a (id int primary key);\n',
  [`migrations/${B}_b.sql`]: '-- two statements\ncreate table b (id int primary key references a (id));\ninsert into a (id) values (1);\n',
  [`migrations/${C}_c.sql`]: 'create table c (id int primary key);\ninsert into b (id) values (1);\n',
};
const files = (...versions: string[]) => Object.fromEntries(Object.entries(FILES).filter(([f]) => versions.some((v) => f.includes(v))));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

interface HistoryRow {
  version: string;
  name: string | null;
  statements: string[] | null;
}
const history = (url: string) =>
  query<HistoryRow>(url, 'select version, name, statements from supabase_migrations.schema_migrations order by version');

/** A history row with the comments before each statement removed, and comment-only statements dropped. */
const withoutComments = (r: HistoryRow): HistoryRow => ({
  ...r,
  statements: (r.statements ?? []).map((st) => st.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '')).filter((st) => st !== ''),
});

/** Everything `db push` could change: history, Keel's side table, and the tables and rows of public. */
async function snapshot(url: string): Promise<unknown> {
  return {
    history: await history(url),
    keel: await query(url, 'select version, sha256, applied_at::text from supabase_migrations.keel_migrations order by version'),
    tables: await query(
      url,
      `select table_schema, table_name from information_schema.tables where table_schema in ('public', 'supabase_migrations') order by 1, 2`,
    ),
    rows: await query(
      url,
      `select (select count(*) from a)::int as a, (select count(*) from b)::int as b, (select count(*) from c)::int as c`,
    ),
  };
}

/** The whole output, for assertion messages. */
const shown = (run: CliRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

describe.skipIf(!runnable)(`Supabase CLI ${cli?.version ?? '(not installed)'} and Keel share one history`, () => {
  let db: TestDatabase;
  let project: TempProject;

  /** `supabase <args> --remote=<db> --workdir <project>`, asserting exit 0. */
  async function supabase(...args: string[]): Promise<CliRun> {
    const run = await cli!.run([...args, ...cli!.dbArgs(db.url)], { workdir: project.root });
    expect(run.code, shown(run)).toBe(0);
    return run;
  }
  const keel = () => ({ cwd: project.root, dbUrl: db.url, env: {} });

  beforeAll(() => {
    if (!cli)
      throw new Error(
        'the Supabase CLI is required here but not installed: run `npm ci` (devDependency `supabase`) or set KEEL_SUPABASE_CLI',
      );
    expect(cli.major, `supabase ${cli.version}: these tests use v3 flags`).toBeGreaterThanOrEqual(3);
  });
  afterEach(async () => {
    await db?.drop();
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it('(a) Keel reads a history pushed by the CLI, and migrates only a file added afterwards', async () => {
    db = await createTestDatabase('sbcli_a');
    project = makeProject(files(A, B));

    const push = await supabase('db', 'push', '--yes');
    expect(push.stdout + push.stderr).toMatch(new RegExp(`Applying migration ${A}_a\\.sql[\\s\\S]*Applying migration ${B}_b\\.sql`));

    // What the CLI writes: exactly the three-column table, one row per file, statements split and without `;`.
    expect(
      await query(
        db.url,
        `select column_name, data_type from information_schema.columns where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position`,
      ),
    ).toEqual([
      { column_name: 'version', data_type: 'text' },
      { column_name: 'statements', data_type: 'ARRAY' },
      { column_name: 'name', data_type: 'text' },
    ]);
    expect(await query(db.url, `select table_name from information_schema.tables where table_schema = 'supabase_migrations'`)).toEqual([
      { table_name: 'schema_migrations' },
    ]);
    const pushed = await history(db.url);
    expect(pushed.map((r) => [r.version, r.name, r.statements?.length])).toEqual([
      [A, 'a', 1],
      [B, 'b', 2],
    ]);

    const before = await status(keel());
    expect(before).toMatchObject({ applied: 2, pending: 0, changed: [], missing: [], newerInDb: [], upToDate: true });
    expect(before.migrations.map((m) => [m.version, m.state])).toEqual([
      [A, 'applied'],
      [B, 'applied'],
    ]);

    project.write(`migrations/${C}_c.sql`, FILES[`migrations/${C}_c.sql`]!);
    expect(await status(keel())).toMatchObject({ applied: 2, pending: 1, upToDate: false });
    const result = await migrate(keel());
    expect(result.migrations.filter((m) => m.status === 'applied').map((m) => m.version)).toEqual([C]);
    expect(await query(db.url, 'select (select count(*) from a)::int as a, (select count(*) from b)::int as b')).toEqual([{ a: 1, b: 1 }]);

    const after = await history(db.url);
    expect(after.slice(0, 2)).toEqual(pushed); // the CLI's rows are left as they were
    expect(after.map((r) => r.version)).toEqual([A, B, C]);
    expect(await status(keel())).toMatchObject({ applied: 3, pending: 0, upToDate: true });
  });

  it('(b) the CLI sees a history written by Keel as applied and has nothing to push', async () => {
    db = await createTestDatabase('sbcli_b');
    project = makeProject(files(A, B, C));
    const result = await migrate(keel());
    expect(result.migrations.filter((m) => m.status === 'applied').map((m) => m.version)).toEqual([A, B, C]);

    const list = await supabase('migration', 'list');
    const rows = parseMigrationList(list.stdout);
    for (const v of [A, B, C]) {
      expect(
        rows.find((r) => r.local === v),
        shown(list),
      ).toMatchObject({ local: v, remote: v });
    }
    expect(rows, shown(list)).toHaveLength(3);

    const before = await snapshot(db.url);
    const push = await supabase('db', 'push', '--yes');
    expect(push.stdout + push.stderr).toMatch(/up to date/i);
    expect(push.stdout + push.stderr).not.toMatch(/Applying migration/);
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('(b) Keel records the same name and statements as the CLI for the same files (comments aside)', async () => {
    db = await createTestDatabase('sbcli_b2');
    project = makeProject(files(A, B, C));
    await migrate(keel());
    const byKeel = await history(db.url);
    // `repair --status applied` makes the CLI (re)write each row from the local file, without running it.
    await supabase('migration', 'repair', A, B, C, '--status', 'applied', '--yes');
    const byCli = await history(db.url);
    // Measured with 3.1.0: the CLI keeps the comments before a statement as part of it (and a trailing comment-only
    // chunk as a statement of its own); Keel drops comments outside statements. Statement text is otherwise identical.
    expect(byCli.find((r) => r.version === B)?.statements?.[0]).toMatch(/^-- two statements\n/);
    expect(byCli.map(withoutComments)).toEqual(byKeel.map(withoutComments));
    expect(await status(keel())).toMatchObject({ applied: 3, pending: 0, changed: [], upToDate: true });
  });

  it('(c) a version the CLI marks reverted is pending for Keel', async () => {
    db = await createTestDatabase('sbcli_c');
    project = makeProject(files(A, B, C));
    await migrate(keel());

    const run = await supabase('migration', 'repair', B, '--status', 'reverted', '--yes');
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${B}.*reverted`));
    expect((await history(db.url)).map((r) => r.version)).toEqual([A, C]);
    // The CLI only deletes from its own table; Keel's side row stays and must not count as applied.
    expect(await query(db.url, `select version from supabase_migrations.keel_migrations where version = '${B}'`)).toHaveLength(1);

    const s = await status(keel());
    expect(s).toMatchObject({ applied: 2, pending: 1, upToDate: false });
    expect(s.migrations.map((m) => [m.version, m.state])).toEqual([
      [A, 'applied'],
      [B, 'pending'],
      [C, 'applied'],
    ]);
    expect(s.migrations.find((m) => m.version === B)?.outOfOrder).toBe(true);

    // And back: Keel's own repair marks it applied again, and the CLI agrees.
    await repair([B], { ...keel(), status: 'applied' });
    const rows = parseMigrationList((await supabase('migration', 'list')).stdout);
    expect(rows.map((r) => [r.local, r.remote])).toEqual([
      [A, A],
      [B, B],
      [C, C],
    ]);
  });
});
