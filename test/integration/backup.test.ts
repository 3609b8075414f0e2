import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate, openEngine, reset } from '../../src/index.js';
import { backup, backupPrune, restore, type BackupResult } from '../../src/commands/backup.js';
import { diffCatalogs, readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import type { Engine } from '../../src/db/engine.js';
import { userSchemas } from '../../src/features/migrate/reset.js';
import { createTestDatabase, engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';
import { runCli, startCli } from '../support/cli.js';

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
const EXAMPLES = ['scalemate', 'ai-workflow-builder', 'srvc-crm', 'renubu', 'vibecraft'];
type EngineName = 'pglite' | 'postgres';

function copyExample(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(EXAMPLES_DIR, name, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  return p.root;
}

/** A project's database: its own PGlite data dir, or the target's server database. */
async function open(root: string, target: TestTarget): Promise<Engine> {
  return openEngine(databaseOf(root, target));
}

/** The catalog of the user schemas, and a hash of every table's data (user tables, auth.users and the history). */
async function fingerprint(root: string, target: TestTarget): Promise<{ catalog: Catalog; data: Record<string, string> }> {
  const engine = await open(root, target);
  try {
    const schemas = await userSchemas(engine);
    const catalog = await readCatalog(engine, { schemas });
    const tables = [
      ...catalog.tables.filter((t) => t.kind === 'table').map((t) => `"${t.schema}"."${t.name}"`),
      'auth.users',
      'supabase_migrations.schema_migrations',
    ];
    const data: Record<string, string> = {};
    for (const t of tables) {
      const { rows } = await engine.query<{ n: number; h: string | null }>(
        `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${t} t`,
      );
      data[t] = `${rows[0]!.n}:${rows[0]!.h}`;
    }
    // Triggers the migrations put on auth.users (the catalog reads the user schemas only).
    const { rows: trig } = await engine.query<{ t: string | null }>(
      `select string_agg(tgname || ':' || tgenabled::text || ':' || tgfoid::regprocedure::text, ',' order by tgname) as t from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal`,
    );
    data['auth.users triggers'] = trig[0]!.t ?? '';
    return { catalog, data };
  } finally {
    await engine.close();
  }
}

async function rowCount(root: string, target: TestTarget, sql: string): Promise<number> {
  const engine = await open(root, target);
  try {
    const { rows } = await engine.query<{ n: number }>(`select (${sql})::int as n`);
    return rows[0]!.n;
  } finally {
    await engine.close();
  }
}

async function exec(root: string, target: TestTarget, sql: string): Promise<void> {
  const engine = await open(root, target);
  try {
    await engine.exec(sql);
  } finally {
    await engine.close();
  }
}

type BackedUp = { root: string; target: TestTarget; backup: BackupResult };
const pristine = new Map<string, Promise<BackedUp & { dbName?: string }>>();
afterAll(async () => {
  for (const p of pristine.values()) await (await p).target.drop();
});

/**
 * An example reset on `engine`, and a full backup of it: built once per example and engine, then handed to each test
 * as a copy of its own (the project folder with its data dir and backup; on a server, a database cloned from the
 * built one), so tests that change or damage it never meet.
 */
async function backedUpExample(example: string, engineName: EngineName, track: (t: TestTarget) => void): Promise<BackedUp> {
  const key = `${example}@${engineName}`;
  if (!pristine.has(key)) {
    pristine.set(
      key,
      (async () => {
        const db = engineName === 'postgres' ? await createTestDatabase('keel_pristine') : undefined;
        const target: TestTarget = db ? { options: { dbUrl: db.url, env: {} }, url: db.url, drop: db.drop } : await targetFor('pglite');
        const root = copyExample(example);
        await reset({ cwd: root, ...target.options, yes: true });
        const b = await backup({ cwd: root, ...target.options, pageRows: 7 }); // small pages: PGlite's keyset paging is exercised
        return { root, target, backup: b, dbName: db?.name };
      })(),
    );
  }
  const base = await pristine.get(key)!;
  const root = makeProject().root;
  fs.cpSync(base.root, root, { recursive: true, filter: (src) => !src.endsWith('.spare') });
  let target: TestTarget;
  if (base.dbName) {
    const db = await createTestDatabase('keel', { template: base.dbName });
    target = { options: { dbUrl: db.url, env: {} }, url: db.url, drop: db.drop };
  } else target = await targetFor('pglite');
  track(target);
  return { root, target, backup: { ...base.backup, path: path.join(root, path.relative(base.root, base.backup.path)) } };
}

/** A fresh project (its own PGlite data dir, or a new server database) to restore into. */
async function freshTarget(engineName: EngineName, track: (t: TestTarget) => void): Promise<{ root: string; target: TestTarget }> {
  const target = await targetFor(engineName);
  track(target);
  return { root: makeProject().root, target };
}

describe.each(engineNames)('backup and restore on %s', (engineName) => {
  const targets: TestTarget[] = [];
  const track = (t: TestTarget) => targets.push(t);
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.drop();
  });

  it.each(EXAMPLES)('%s: a full backup restored with --clean into a fresh database has the same catalog and data', async (example) => {
    const src = await backedUpExample(example, engineName, track);
    expect(src.backup.rows).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(src.backup.path, 'manifest.json'))).toBe(true);
    expect(fs.readdirSync(path.dirname(src.backup.path)).filter((f) => f.includes('.partial-'))).toEqual([]);
    const dst = await freshTarget(engineName, track);
    const r = await restore(src.backup.path, { cwd: dst.root, ...dst.target.options, clean: true });
    expect(r.schemaApplied).toBe(true);
    expect(r.rows).toBe(src.backup.rows);
    const before = await fingerprint(src.root, src.target);
    const after = await fingerprint(dst.root, dst.target);
    expect(diffCatalogs(before.catalog, after.catalog)).toEqual([]);
    expect(after.data).toEqual(before.data);
    // Sequences continue where the source's were.
    for (const s of src.backup.manifest.sequences.filter((q) => q.isCalled)) {
      expect(await rowCount(dst.root, dst.target, `select last_value from "${s.schema}"."${s.name}"`)).toBe(Number(s.lastValue));
    }
  });

  it('writes the manifest, schema.sql, gzip data files and a line in docs/backup-history.md', async () => {
    const src = await backedUpExample('scalemate', engineName, track);
    const m = JSON.parse(fs.readFileSync(path.join(src.backup.path, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'keel-backup', formatVersion: 1, engine: engineName, type: 'full', schemas: ['public'] });
    expect(m.migrationVersion).toBe('012');
    expect(m.schemaSql.file).toBe('schema.sql');
    expect(m.tables[0]).toMatchObject({ schema: 'auth', name: 'users', role: 'auth' });
    expect(m.tables.filter((t: { role: string }) => t.role === 'history').map((t: { name: string }) => t.name)).toContain(
      'schema_migrations',
    );
    // Parents before children: teams before team_members, workflows before tasks.
    const order = m.tables.map((t: { name: string }) => t.name);
    expect(order.indexOf('teams')).toBeLessThan(order.indexOf('team_members'));
    expect(order.indexOf('workflows')).toBeLessThan(order.indexOf('tasks'));
    const gz = fs.readFileSync(path.join(src.backup.path, m.tables[0].file));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(path.basename(src.backup.path)).toMatch(/^\d{8}T\d{6}Z_full\.keel$/);
    const history = fs.readFileSync(path.join(src.root, 'docs/backup-history.md'), 'utf8');
    expect(history).toContain('| Date (UTC) | Type | Objects | Size | Reference |');
    expect(history).toContain(`supabase/backups/${path.basename(src.backup.path)}`);
    expect(history).toMatch(/\| Full \| \d+ table\(s\) in public, \d+ row\(s\), migration 012 \|/);
    // Another one at once gets its own folder (a counter when the second is the same), and its own history line.
    const again = await backup({ cwd: src.root, ...src.target.options, now: new Date(src.backup.manifest.createdAt) });
    expect(again.path).not.toBe(src.backup.path);
    expect(fs.readFileSync(path.join(src.root, 'docs/backup-history.md'), 'utf8').match(/\| Full \|/g)).toHaveLength(2);
  });

  it.each([
    [
      'a flipped byte',
      (dir: string, m: { tables: { file: string; bytes: number }[] }) => {
        const f = path.join(dir, m.tables[1]!.file);
        const buf = fs.readFileSync(f);
        const at = Math.floor(buf.length / 2);
        buf[at] = buf[at]! ^ 0x01;
        fs.writeFileSync(f, buf);
        return m.tables[1]!.file;
      },
    ],
    [
      'a truncated file',
      (dir: string, m: { tables: { file: string; bytes: number }[] }) => {
        const f = path.join(dir, m.tables[1]!.file);
        fs.truncateSync(f, m.tables[1]!.bytes - 5);
        return m.tables[1]!.file;
      },
    ],
    [
      'a wrong format version',
      (dir: string) => {
        const f = path.join(dir, 'manifest.json');
        fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"formatVersion": 1', '"formatVersion": 2'));
        return 'manifest.json';
      },
    ],
  ])('%s is refused and changes nothing', async (_what, damage) => {
    const src = await backedUpExample('scalemate', engineName, track);
    const named = damage(src.backup.path, src.backup.manifest);
    // The target has a marker row; even --clean must not get as far as dropping it.
    await exec(src.root, src.target, 'create table public.keel_marker (id int); insert into public.keel_marker values (42);');
    const err = await restore(src.backup.path, { cwd: src.root, ...src.target.options, clean: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'KeelError' });
    expect((err as Error).message).toContain(named);
    expect(await rowCount(src.root, src.target, 'select count(*) from public.keel_marker where id = 42')).toBe(1);
  });

  it('refuses a non-empty target without --force or --clean; a failure part-way through (--force onto a conflicting row) changes nothing', async () => {
    const src = await backedUpExample('scalemate', engineName, track);
    const before = await fingerprint(src.root, src.target);
    const refused = await restore(src.backup.path, { cwd: src.root, ...src.target.options }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KEEL_RESTORE_NOT_EMPTY' });
    // --force loads on top: auth.users goes first, then public.users collides with the seeded rows and the whole
    // restore rolls back, including the rows already copied.
    await exec(src.root, src.target, `delete from auth.users where email = 'olivia@scalemate.test'`);
    const mid = await fingerprint(src.root, src.target);
    const failed = await restore(src.backup.path, { cwd: src.root, ...src.target.options, force: true }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'KEEL_RESTORE_FAILED' });
    expect((failed as Error).message).toMatch(/duplicate key/);
    const after = await fingerprint(src.root, src.target);
    expect(after.data).toEqual(mid.data);
    expect(after.data).not.toEqual(before.data);
    // --clean restores it whole.
    await restore(src.backup.path, { cwd: src.root, ...src.target.options, clean: true });
    expect((await fingerprint(src.root, src.target)).data).toEqual(before.data);
  });

  it('--table recovers one table in place, or --into a new table for merging by hand', async () => {
    const src = await backedUpExample('scalemate', engineName, track);
    const tasks = await rowCount(src.root, src.target, 'select count(*) from public.tasks');
    expect(tasks).toBeGreaterThan(0);
    await exec(src.root, src.target, 'delete from public.tasks');
    const r = await restore(src.backup.path, { cwd: src.root, ...src.target.options, table: 'public.tasks' });
    expect(r.tables).toEqual([{ table: 'public.tasks', rows: tasks }]);
    expect(await rowCount(src.root, src.target, 'select count(*) from public.tasks')).toBe(tasks);
    const refused = await restore(src.backup.path, { cwd: src.root, ...src.target.options, table: 'tasks' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KEEL_RESTORE_NOT_EMPTY' });
    const into = await restore(src.backup.path, { cwd: src.root, ...src.target.options, table: 'tasks', into: 'tasks_recovered' });
    expect(into.tables[0]).toMatchObject({ into: 'public.tasks_recovered', rows: tasks });
    expect(
      await rowCount(
        src.root,
        src.target,
        'select count(*) from (select * from public.tasks except select * from public.tasks_recovered) d',
      ),
    ).toBe(0);
  });

  it('schema-only and data-only backups: the schema restores with its history and no data; the data loads into a migrated database', async () => {
    const src = await backedUpExample('scalemate', engineName, track);
    const before = await fingerprint(src.root, src.target);
    const schemaOnly = await backup({ cwd: src.root, ...src.target.options, schemaOnly: true, output: 'out/schema.keel' });
    expect(schemaOnly.tables.every((t) => t.table.startsWith('supabase_migrations.'))).toBe(true);
    expect(fs.existsSync(path.join(src.root, 'out/schema.keel/schema.sql'))).toBe(true);
    const dataOnly = await backup({ cwd: src.root, ...src.target.options, dataOnly: true, output: 'out/data.keel' });
    expect(fs.existsSync(path.join(src.root, 'out/data.keel/schema.sql'))).toBe(false);
    expect(dataOnly.tables.some((t) => t.table.startsWith('supabase_migrations.'))).toBe(false);

    const dst = await freshTarget(engineName, track);
    await restore(path.join(src.root, 'out/schema.keel'), { cwd: dst.root, ...dst.target.options });
    const schemaThere = await fingerprint(dst.root, dst.target);
    expect(diffCatalogs(before.catalog, schemaThere.catalog)).toEqual([]);
    expect(schemaThere.data['supabase_migrations.schema_migrations']).toBe(before.data['supabase_migrations.schema_migrations']);
    expect(await rowCount(dst.root, dst.target, 'select count(*) from public.tasks')).toBe(0);
    const r = await restore(path.join(src.root, 'out/data.keel'), { cwd: dst.root, ...dst.target.options });
    expect(r.schemaApplied).toBe(false);
    expect((await fingerprint(dst.root, dst.target)).data).toEqual(before.data);
  });

  it('pages tables by a composite primary key with tabs, backslashes and newlines in it, and copies a table without one whole', async () => {
    const src = await targetFor(engineName);
    track(src);
    const p = makeProject({
      'migrations/001_odd.sql':
        'create table public."Odd Keys" (a text, b int, v text, primary key (a, b)); create table public.nokey (x text);',
    });
    await migrate({ cwd: p.root, ...src.options });
    await exec(
      p.root,
      src,
      `insert into public."Odd Keys" select (array[E'tab\\there', E'back\\\\slash', E'new\\nline', 'q''uote'])[g % 4 + 1] || (g / 4), g % 3, 'v' || g from generate_series(1, 50) g;
      insert into public.nokey select 'x' || g from generate_series(1, 10) g;`,
    );
    expect(await rowCount(p.root, src, `select count(*) from public."Odd Keys" where a like E'%\\t%' or a like E'%\\n%'`)).toBe(25);
    const b = await backup({ cwd: p.root, ...src.options, pageRows: 3 });
    expect(b.tables.filter((t) => t.table.startsWith('public.'))).toMatchObject([
      { table: 'public.Odd Keys', rows: 50 },
      { table: 'public.nokey', rows: 10 },
    ]);
    const dst = await freshTarget(engineName, track);
    await restore(b.path, { cwd: dst.root, ...dst.target.options });
    expect((await fingerprint(dst.root, dst.target)).data).toEqual((await fingerprint(p.root, src)).data);
  });

  it('prune keeps the newest N and removes interrupted backups', async () => {
    const src = await backedUpExample('srvc-crm', engineName, track);
    const second = await backup({ cwd: src.root, ...src.target.options, schemaOnly: true });
    const dir = path.dirname(second.path);
    fs.mkdirSync(path.join(dir, 'x_full.keel.partial-999999999'), { recursive: true });
    const r = backupPrune({ cwd: src.root, keep: 1 });
    expect(r.removed.map((b) => path.basename(b.path)).sort()).toEqual(
      [path.basename(src.backup.path), 'x_full.keel.partial-999999999'].sort(),
    );
    expect(r.kept).toEqual([second.path]);
    expect(fs.existsSync(src.backup.path)).toBe(false);
    expect(backupPrune({ cwd: src.root, olderThan: '1d' }).removed).toEqual([]);
  });
});

/**
 * What legitimately differs between server versions for the same schema (as in backup-schema-sql.test.ts): the
 * MAINTAIN privilege (PG 17+), extension versions, and column qualifiers in deparsed view definitions.
 */
function acrossVersions(c: Catalog): Catalog {
  const grants = <T extends { grants: { privilege: string }[] }>(o: T): T => ({
    ...o,
    grants: o.grants.filter((g) => g.privilege !== 'MAINTAIN'),
  });
  const unqualify = (sql: string) => sql.replace(/\b(?!(?:public|auth|extensions|pg_catalog|app)\.)[a-z_][a-z0-9_]*\.(?=[a-z_])/g, '');
  return {
    ...c,
    extensions: c.extensions.map((e) => ({ ...e, version: '(server)' })),
    tables: c.tables.map(grants),
    views: c.views.map((v) => grants({ ...v, definition: unqualify(v.definition) })),
    materializedViews: c.materializedViews.map((v) => grants({ ...v, definition: unqualify(v.definition) })),
    sequences: c.sequences.map(grants),
  };
}

describe.runIf(pgAdminUrl())('backups across engines', () => {
  const targets: TestTarget[] = [];
  const track = (t: TestTarget) => targets.push(t);
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.drop();
  });

  it.each([
    ['pglite', 'postgres'],
    ['postgres', 'pglite'],
  ] as [EngineName, EngineName][])('a backup taken on %s restores on %s with the same catalog and data', async (from, to) => {
    const src = await backedUpExample('renubu', from, track);
    const dst = await freshTarget(to, track);
    await restore(src.backup.path, { cwd: dst.root, ...dst.target.options });
    const before = await fingerprint(src.root, src.target);
    const after = await fingerprint(dst.root, dst.target);
    expect(diffCatalogs(acrossVersions(before.catalog), acrossVersions(after.catalog))).toEqual([]);
    expect(after.data).toEqual(before.data);
  });
});

describe.runIf(pgAdminUrl())('automatic backup before migrating', () => {
  const targets: TestTarget[] = [];
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.drop();
  });

  it('keel db migrate backs up a database that is not local when migrations are pending, unless noBackup; local ones skip it', async () => {
    const target = await targetFor('postgres');
    targets.push(target);
    // The same server through an address Keel does not count as local (an IPv4-mapped IPv6 address).
    const remote = new URL(target.url!);
    remote.hostname = '[::ffff:127.0.0.1]';
    const p = makeProject({
      'migrations/001_create_notes.sql': 'create table public.notes (id bigint generated always as identity primary key, body text);',
    });
    const first = await migrate({ cwd: p.root, dbUrl: remote.toString(), env: {} });
    expect(first.backup?.path).toMatch(/_full\.keel$/);
    expect(fs.existsSync(path.join(first.backup!.path, 'manifest.json'))).toBe(true);
    expect(fs.readFileSync(path.join(p.root, 'docs/backup-history.md'), 'utf8')).toContain('Full (before keel db migrate)');
    expect((await migrate({ cwd: p.root, dbUrl: remote.toString(), env: {} })).backup).toBeUndefined(); // nothing pending
    p.write('migrations/002_add_notes_title.sql', 'alter table public.notes add column title text;');
    expect((await migrate({ cwd: p.root, dbUrl: remote.toString(), env: {}, noBackup: true })).backup).toBeUndefined();
    p.write('migrations/003_add_notes_tag.sql', 'alter table public.notes add column tag text;');
    expect((await migrate({ cwd: p.root, ...target.options })).backup).toBeUndefined(); // 127.0.0.1 is local
    const local = makeProject({ 'migrations/001_a.sql': 'create table public.a (id int);' });
    expect((await migrate({ cwd: local.root, env: {} })).backup).toBeUndefined(); // PGlite
    expect(fs.readdirSync(path.join(p.root, 'supabase/backups'))).toHaveLength(1);
    // The CLI says so, and --no-backup skips it.
    p.write('migrations/004_add_notes_x.sql', 'alter table public.notes add column x text;');
    const cli = await runCli(['db', 'push', '--cwd', p.root, '--db-url', remote.toString()]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^backed up first: .*_full\.keel$/m);
    p.write('migrations/005_add_notes_y.sql', 'alter table public.notes add column y text;');
    const skipped = await runCli(['db', 'migrate', '--no-backup', '--cwd', p.root, '--db-url', remote.toString()]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toContain('backed up first');
    expect(fs.readdirSync(path.join(p.root, 'supabase/backups'))).toHaveLength(2);
  });
});

/** Paths the process has open (Linux /proc), or null where that cannot be read. */
function openFiles(pid: number): string[] | null {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return null;
  }
}

describe.runIf(process.platform === 'linux').each(engineNames)('a restore killed part-way on %s', (engineName) => {
  const targets: TestTarget[] = [];
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.drop();
  });
  const track = (t: TestTarget) => targets.push(t);

  it('leaves the target as it was (SIGKILL while a table is loading)', async () => {
    const src = await targetFor(engineName);
    targets.push(src);
    const p = makeProject({
      'migrations/001_big.sql': 'create table public.big (id bigint primary key, title text not null, meta jsonb);',
    });
    await migrate({ cwd: p.root, ...src.options });
    await exec(p.root, src, `insert into public.big select g, 'row ' || g, jsonb_build_object('g', g) from generate_series(1, 300000) g`);
    const b = await backup({ cwd: p.root, ...src.options });
    const bigFile = b.manifest.tables.find((t) => t.name === 'big')!.file;

    const dst = await freshTarget(engineName, track);
    await exec(dst.root, dst.target, 'create table public.keel_marker (id int); insert into public.keel_marker values (42);');
    const args = ['db', 'restore', b.path, '--clean', '--cwd', dst.root, ...(dst.target.url ? ['--db-url', dst.target.url] : [])];
    const { child, done } = startCli(args);
    // Kill it once it has the big table's data file open: schema.sql is applied and rows are going in.
    const deadline = Date.now() + 60_000;
    let killed = false;
    while (Date.now() < deadline) {
      const files = openFiles(child.pid!);
      if (files === null) break; // exited already
      if (files.some((f) => f.endsWith(bigFile))) {
        child.kill('SIGKILL');
        killed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await done;
    expect(killed).toBe(true);
    expect(r.code).not.toBe(0);
    if (dst.target.url) {
      // The server rolls the transaction back when it sees the connection gone.
      const admin = await openEngine({ kind: 'postgres', url: dst.target.url });
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await admin.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
          );
          if (rows[0]!.n === 0) break;
          await new Promise((res) => setTimeout(res, 50));
        }
      } finally {
        await admin.close();
      }
    }
    expect(await rowCount(dst.root, dst.target, 'select count(*) from public.keel_marker where id = 42')).toBe(1);
    expect(await rowCount(dst.root, dst.target, `select count(*) from pg_class where relname = 'big'`)).toBe(0);
    // And the same backup restores fine afterwards.
    const ok = await restore(b.path, { cwd: dst.root, ...dst.target.options, clean: true });
    expect(ok.tables.find((t) => t.table === 'public.big')?.rows).toBe(300000);
  });
});

describe('keel db backup / restore CLI', () => {
  it('backs up with --json, refuses a damaged backup with a clear error and exit 1 (no stack), restores with --clean', async () => {
    const p = makeProject({
      'migrations/001_notes.sql': 'create table public.notes (id bigint generated always as identity primary key, body text);',
      'seed.sql': `insert into public.notes (body) values ('a'), ('b\\tc');`,
    });
    expect((await runCli(['db', 'reset', '--cwd', p.root])).code).toBe(0);
    const b = await runCli(['db', 'backup', '--json', '--cwd', p.root]);
    expect(b.code).toBe(0);
    const out = JSON.parse(b.stdout) as { path: string; type: string; tables: { table: string; rows: number }[] };
    expect(out.type).toBe('full');
    expect(out.tables.find((t) => t.table === 'public.notes')?.rows).toBe(2);
    const restored = await runCli(['db', 'restore', out.path, '--clean', '--cwd', p.root]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('schema.sql applied');
    const intact = await runCli(['db', 'backup', 'verify', out.path, '--cwd', p.root]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('full backup intact');
    const file = path.join(out.path, 'schema.sql');
    fs.appendFileSync(file, '\n-- edited\n');
    const damaged = await runCli(['db', 'backup', 'verify', out.path, '--cwd', p.root]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain(`${file} is`);
    const bad = await runCli(['db', 'restore', out.path, '--clean', '--cwd', p.root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file} is`);
    expect(bad.stderr).toContain('hint:');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const pruned = await runCli(['db', 'backup', 'prune', '--keep', '0', '--cwd', p.root]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('removed 1');
  });
});
