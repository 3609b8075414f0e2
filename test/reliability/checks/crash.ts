/**
 * Crash safety: `kill -9` of a Keel process at a random moment, a connection dropped mid-migration, a server restarted
 * mid-backup.
 *
 * SIGKILL trials (seeded PRNG; each trial's case names its seed and delay) during `db migrate`, `db reset`,
 * `db restore --clean`, `db backup` and `db seed`, on a PGlite data dir project and on a Postgres database. Afterwards:
 * - the database is at a file boundary: its catalog fingerprint (schema public) equals the one after exactly N files
 *   for some N, both history tables hold exactly the first N versions, and the files' own marks say N;
 *   reset and restore leave the previous database or the whole new one, nothing between; seed files are all or nothing;
 * - a backup folder never looks complete unless `keel db backup verify` passes;
 * - the embedded data dir opens again (a stale lock is taken over, a killed reset's build dirs cleaned up);
 * - a rerun exits 0 and converges to the fingerprint (and rows) of a clean run.
 * Unbounded: 50 trials spread over commands × engines; bounded: 4 (engines alternating).
 *
 * Plus (postgres): pg_terminate_backend of Keel's session mid-migration, and a restart of a dedicated throwaway server
 * mid-backup (unbounded only): a clear error (no stack trace), nothing half-applied, the rerun converges.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, seed } from '../../../src/commands/migrate.js';
import { startLocalServer, type LocalServer } from '../../../src/db/postgres/local-server.js';
import { backup, restore } from '../../../src/commands/backup.js';
import { openEngine } from '../../../src/db/open.js';
import type { Check, CheckContext, CheckResult } from '../check.js';
import {
  createDb,
  describeRun,
  expect,
  keel,
  makeProject,
  prng,
  query,
  quoteIdent,
  sameList,
  sleep,
  spawnKeel,
  STACK_LINE,
  stateOf,
  Tally,
  until,
  type DbState,
  type EngineName,
  type Project,
  openTarget,
  readState,
} from '../support/ops.js';

const NAME = 'crash';
const M = 5; // migration files
const SEEDS = 3; // seed files
const SEED_ROWS = 200;
const COMMANDS = ['migrate', 'reset', 'restore', 'backup', 'seed'] as const;
type Command = (typeof COMMANDS)[number];

const versions = Array.from({ length: M }, (_, i) => String(i + 1).padStart(3, '0'));

/** Each file: a table, a pause, its mark, an index: a kill inside the file would leave half of it if it were not atomic. */
function crashFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const v of versions) {
    const first = v === '001' ? 'create table public.marks (file text primary key);\n' : '';
    files[`migrations/${v}_create_c${v}.sql`] =
      `${first}create table public.c_${v} (id int primary key, seed text, body text);\nselect pg_sleep(0.08);\ninsert into public.marks values ('${v}');\ncreate index c_${v}_body on public.c_${v} (body);`;
  }
  for (let s = 1; s <= SEEDS; s++) {
    const n = String(s).padStart(3, '0');
    files[`seed/${n}_rows.sql`] =
      `insert into public.c_001 select ${s * 10000} + g, '${n}', md5(g::text) from generate_series(1, ${SEED_ROWS / 2}) g;\nselect pg_sleep(0.08);\n` +
      `insert into public.c_001 select ${s * 10000 + 5000} + g, '${n}', md5(g::text) from generate_series(1, ${SEED_ROWS / 2}) g;`;
  }
  return files;
}

interface Target {
  project: Project;
  /** What the checker opens: the server URL, or the project's data dir. */
  where: { url: string } | { dataDir: string };
  /** CLI args naming the database (`--db-url …`, or nothing: the project's embedded database). */
  args: string[];
  drop(): Promise<void>;
}

/** Facts of a database beyond its catalog: marks (files run) and seed rows per seed file. */
interface Facts {
  state: DbState;
  marks: string[];
  seedRows: Record<string, number>;
  seedFiles: string[];
}

async function readFacts(where: Target['where']): Promise<Facts> {
  const db = await openTarget(where);
  try {
    const state = await readState(db);
    const has = async (rel: string) => (await db.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [rel])).rows[0]!.ok;
    const marks = (await has('public.marks'))
      ? (await db.query<{ file: string }>('select file from public.marks order by 1')).rows.map((r) => r.file)
      : [];
    const seedRows: Record<string, number> = {};
    if (await has('public.c_001')) {
      for (const r of (await db.query<{ seed: string; n: number }>('select seed, count(*)::int as n from public.c_001 group by seed')).rows)
        seedRows[r.seed] = r.n;
    }
    const seedFiles = (await has('supabase_migrations.seed_files'))
      ? (await db.query<{ path: string }>('select path from supabase_migrations.seed_files order by 1')).rows.map((r) => r.path)
      : [];
    return { state, marks, seedRows, seedFiles };
  } finally {
    await db.close();
  }
}

/** One engine's fixtures: fingerprints after exactly k files, saved states to start trials from, a backup. */
interface Fixture {
  engine: EngineName;
  /** fingerprint after exactly k files, k = 0..M */
  prints: string[];
  /** fingerprint after a clean restore of `backupDir` */
  restoredPrint?: string;
  backupDir: string;
  /** Makes a new target in one of the saved states: 'k2' (2 files), 'all' (every file, no seed), 'full' (+ seed), 'empty'. */
  make(state: 'empty' | 'k2' | 'all' | 'full'): Promise<Target>;
  cleanup(): Promise<void>;
}

async function buildFixture(ctx: CheckContext, engine: EngineName): Promise<Fixture> {
  const files = crashFiles();
  const prints: string[] = [];
  const saved: Partial<Record<'empty' | 'k2' | 'all' | 'full', string>> = {}; // data dir path or database name
  const cleanups: (() => Promise<void>)[] = [];
  const ref = makeProject(ctx.tmpRoot, `crash-ref-${engine}`, files);
  let refDb: Awaited<ReturnType<typeof createDb>> | undefined;
  if (engine === 'postgres') {
    refDb = await createDb(ctx.pgAdminUrl!, 'crashref');
    cleanups.push(() => refDb!.drop());
  }
  const where: Target['where'] = refDb ? { url: refDb.url } : { dataDir: ref.dataDir };
  const opts = { cwd: ref.root, env: {}, ...(refDb ? { dbUrl: refDb.url } : {}) };
  const snapshot = async (state: 'empty' | 'k2' | 'all' | 'full') => {
    if (refDb) {
      const name = `${refDb.name}_s${state}`;
      await query(ctx.pgAdminUrl!, `create database ${quoteIdent(name)} template ${quoteIdent(refDb.name)}`);
      saved[state] = name;
    } else {
      const dir = path.join(ctx.tmpRoot, `crash-pglite-${state}`);
      fs.cpSync(ref.dataDir, dir, { recursive: true });
      for (const side of ['.extensions.json']) if (fs.existsSync(ref.dataDir + side)) fs.copyFileSync(ref.dataDir + side, dir + side);
      saved[state] = dir;
    }
  };
  // fingerprints after exactly k files: on a server, Keel's own migrate --to each version; on PGlite (0.7 s per open)
  // the files' SQL run in turn on one in-memory database with the same shim, checked below against Keel's result
  if (refDb) {
    await migrate({ ...opts, to: '000' });
    prints.push((await stateOf(where)).fingerprint);
    await snapshot('empty');
    for (const v of versions) {
      await migrate({ ...opts, to: v });
      prints.push((await stateOf(where)).fingerprint);
      if (v === '002') await snapshot('k2');
    }
  } else {
    const mem = await openEngine({ kind: 'pglite', memory: true }, { flavour: 'supabase' });
    try {
      prints.push((await readState(mem)).fingerprint);
      for (const v of versions) {
        await mem.exec(files[`migrations/${v}_create_c${v}.sql`]!);
        prints.push((await readState(mem)).fingerprint);
      }
    } finally {
      await mem.close();
    }
    await migrate({ ...opts, to: '002' });
    await snapshot('k2');
    await migrate({ ...opts });
  }
  await snapshot('all');
  await seed({ ...opts });
  await snapshot('full');
  const full = await stateOf(where);
  if (full.fingerprint !== prints[M])
    throw new Error(`on ${engine}, keel db migrate's catalog differs from the reference after ${M} files`);
  const backupDir = path.join(ctx.tmpRoot, `crash-${engine}-full.keel`);
  await backup({ ...opts, output: backupDir });
  if (new Set(prints).size !== prints.length) throw new Error('the fixture fingerprints after k files are not all different');

  let count = 0;
  const make = async (state: 'empty' | 'k2' | 'all' | 'full'): Promise<Target> => {
    const project = makeProject(ctx.tmpRoot, `crash-${engine}`, files);
    if (engine === 'postgres') {
      const name = `${refDb!.name}_t${++count}`;
      await query(ctx.pgAdminUrl!, `create database ${quoteIdent(name)} template ${quoteIdent(saved[state]!)}`);
      const u = new URL(ctx.pgAdminUrl!);
      u.pathname = `/${name}`;
      const url = u.toString();
      return {
        project,
        where: { url },
        args: ['--db-url', url],
        drop: async () => {
          const names = (
            await query<{ datname: string }>(ctx.pgAdminUrl!, `select datname from pg_database where datname = $1 or datname like $2`, [
              name,
              `${name}\\_%`,
            ])
          ).map((r) => r.datname);
          for (const n of names)
            await query(ctx.pgAdminUrl!, `drop database if exists ${quoteIdent(n)} with (force)`).catch(() => undefined);
        },
      };
    }
    fs.mkdirSync(path.dirname(project.dataDir), { recursive: true });
    fs.cpSync(saved[state]!, project.dataDir, { recursive: true });
    if (fs.existsSync(saved[state]! + '.extensions.json'))
      fs.copyFileSync(saved[state]! + '.extensions.json', project.dataDir + '.extensions.json');
    return {
      project,
      where: { dataDir: project.dataDir },
      args: [],
      drop: async () => fs.rmSync(project.root, { recursive: true, force: true }),
    };
  };
  const fixture: Fixture = {
    engine,
    prints,
    backupDir,
    make,
    cleanup: async () => {
      if (refDb) {
        for (const n of Object.values(saved))
          await query(ctx.pgAdminUrl!, `drop database if exists ${quoteIdent(n!)} with (force)`).catch(() => undefined);
      }
      for (const c of cleanups) await c();
    },
  };
  // the fingerprint a clean restore gives (it may differ from a migrated database's in owners or grants)
  const t = await make('k2');
  try {
    await restore(backupDir, {
      cwd: t.project.root,
      env: {},
      clean: true,
      yes: true,
      ...('url' in t.where ? { dbUrl: t.where.url } : {}),
    } as Parameters<typeof restore>[1]);
    fixture.restoredPrint = (await stateOf(t.where)).fingerprint;
    if (fixture.restoredPrint !== prints[M])
      ctx.log(`${NAME}: note: on ${engine} a restored database's catalog fingerprint differs from the migrated one's`);
  } finally {
    await t.drop();
  }
  return fixture;
}

function commandArgs(cmd: Command, f: Fixture): string[] {
  switch (cmd) {
    case 'migrate':
      return ['db', 'migrate'];
    case 'reset':
      return ['db', 'reset', '--yes'];
    case 'restore':
      return ['db', 'restore', f.backupDir, '--clean', '--yes'];
    case 'backup':
      return ['db', 'backup'];
    case 'seed':
      return ['db', 'seed'];
  }
}

const START: Record<Command, 'empty' | 'k2' | 'all' | 'full'> = { migrate: 'k2', reset: 'k2', restore: 'k2', backup: 'full', seed: 'all' };

/** The number of files the state holds, checked against the fingerprints, history and marks: throws if not a boundary. */
function boundary(f: Fixture, facts: Facts): number {
  const k = f.prints.indexOf(facts.state.fingerprint);
  const restored = f.restoredPrint !== undefined && facts.state.fingerprint === f.restoredPrint;
  const n = restored ? M : k;
  expect(
    n >= 0,
    () =>
      `the catalog fingerprint matches no file boundary (public tables: ${facts.state.tables.join(', ')}; history ${facts.state.history.join(',')})`,
  );
  const want = versions.slice(0, n);
  expect(
    sameList(facts.state.history, want),
    () => `catalog after ${n} files but schema_migrations holds ${facts.state.history.join(',') || '(none)'}`,
  );
  expect(
    facts.state.keelHistory !== null && sameList(facts.state.keelHistory, want),
    () => `catalog after ${n} files but keel_migrations holds ${facts.state.keelHistory?.join(',') ?? '(no table)'}`,
  );
  expect(sameList(facts.marks, want), () => `catalog after ${n} files but the files' marks say ${facts.marks.join(',') || '(none)'}`);
  return n;
}

/** Seed files are all or nothing, in order, and seed_files records exactly the ones whose rows are there. */
function seedBoundary(facts: Facts): number {
  const names = Array.from({ length: SEEDS }, (_, i) => String(i + 1).padStart(3, '0'));
  let done = 0;
  for (const n of names) {
    const rows = facts.seedRows[n] ?? 0;
    expect(rows === 0 || rows === SEED_ROWS, `seed file ${n} is half applied: ${rows} of ${SEED_ROWS} rows`);
    if (rows === SEED_ROWS) done++;
  }
  const present = names.filter((n) => facts.seedRows[n] === SEED_ROWS);
  expect(sameList(present, names.slice(0, done)), `seed files applied out of order: ${present.join(',')}`);
  const recorded = facts.seedFiles.map((p) => path.basename(p).slice(0, 3)).sort();
  expect(
    sameList(recorded, present),
    `seed_files records ${facts.seedFiles.join(',') || '(none)'} but rows are there for ${present.join(',') || '(none)'}`,
  );
  return done;
}

function backupFolders(project: Project): string[] {
  const dir = path.join(project.root, 'supabase', 'backups');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => fs.statSync(path.join(dir, n)).isDirectory())
        .map((n) => path.join(dir, n))
    : [];
}

/** Every backup folder that looks complete (a manifest, no .partial- name) verifies. */
async function checkBackupFolders(project: Project): Promise<{ complete: string[]; partial: string[] }> {
  const complete: string[] = [];
  const partial: string[] = [];
  for (const dir of backupFolders(project)) {
    const looksComplete = !path.basename(dir).includes('.partial-') && fs.existsSync(path.join(dir, 'manifest.json'));
    if (!looksComplete) {
      partial.push(dir);
      continue;
    }
    const v = await keel(['db', 'backup', 'verify', dir]);
    expect(v.code === 0, () => `${path.basename(dir)} looks complete but does not verify: ${describeRun(v)}`);
    complete.push(dir);
  }
  return { complete, partial };
}

async function crashTrial(ctx: CheckContext, t: Tally, f: Fixture, cmd: Command, seed: number, estMs: Map<string, number>): Promise<void> {
  const rng = prng(seed);
  const key = `${cmd}/${f.engine}`;
  const est = estMs.get(key) ?? (f.engine === 'pglite' ? 2200 : 800);
  const frac = rng.next();
  const delay = Math.round(frac * est);
  const target = await f.make(START[cmd]);
  const kBefore = { empty: 0, k2: 2, all: M, full: M }[START[cmd]];
  const seedsBefore = START[cmd] === 'full' ? SEEDS : 0;
  const name = `kill -9 during keel ${commandArgs(cmd, f).join(' ')} on ${f.engine} at ${delay} ms (seed ${seed})`;
  try {
    await t.trial(
      name,
      async () => {
        const run = spawnKeel([...commandArgs(cmd, f), '--cwd', target.project.root, ...target.args]);
        await sleep(delay);
        run.child.kill('SIGKILL');
        const killed = await run.result;
        const finishedFirst = killed.signal === null;
        if (finishedFirst) {
          expect(killed.code === 0, () => `the run ended by itself before the kill, and not cleanly: ${describeRun(killed)}`);
          estMs.set(key, (est + killed.ms) / 2);
        }
        if (f.engine === 'postgres') await settle(ctx.pgAdminUrl!, target);
        // the database is at a boundary (this opens the data dir: a stale lock must be taken over)
        const after = await readFacts(target.where);
        const k = boundary(f, after);
        const seeds = seedBoundary(after);
        switch (cmd) {
          case 'migrate':
            expect(seeds === 0, 'migrate ran seed files');
            break;
          case 'reset':
          case 'restore': {
            const old = k === kBefore && seeds === seedsBefore && after.state.fingerprint === f.prints[kBefore];
            const whole = k === M && seeds === SEEDS;
            expect(
              old || whole,
              () =>
                `${cmd} left neither the previous database (${kBefore} files, no seed) nor the whole new one: ${k} files, ${seeds} seed files`,
            );
            break;
          }
          case 'backup':
            expect(after.state.fingerprint === f.prints[M] && k === M && seeds === SEEDS, 'a killed backup changed the database');
            break;
          case 'seed':
            expect(k === M, `seed changed the schema: ${k} files`);
            break;
        }
        const folders = await checkBackupFolders(target.project);
        if (cmd === 'backup' && !finishedFirst) {
          // prune removes what the killed process left (its .partial- folder), keeping the complete ones
          const pr = await keel(['db', 'backup', 'prune', '--keep', '100', '--cwd', target.project.root]);
          expect(pr.code === 0, () => `backup prune after the kill: ${describeRun(pr)}`);
          const left = backupFolders(target.project).filter((d) => d.includes('.partial-'));
          expect(left.length === 0, () => `prune left the killed backup's ${left.map((d) => path.basename(d)).join(', ')}`);
        }
        // the rerun exits 0 and converges
        const rerun = await keel([...commandArgs(cmd, f), '--cwd', target.project.root, ...target.args]);
        expect(rerun.code === 0, () => `the rerun failed: ${describeRun(rerun)}`);
        estMs.set(key, Math.min(((estMs.get(key) ?? est) + rerun.ms) / 2, 10_000));
        const final = await readFacts(target.where);
        const kf = boundary(f, final);
        const sf = seedBoundary(final);
        const wantPrint = cmd === 'restore' ? f.restoredPrint : f.prints[M];
        expect(
          final.state.fingerprint === wantPrint && kf === M,
          () => `after the rerun: ${kf} files, fingerprint ${final.state.fingerprint === wantPrint ? 'as' : 'unlike'} a clean run's`,
        );
        const wantSeeds = cmd === 'migrate' ? 0 : SEEDS;
        expect(sf === wantSeeds, `after the rerun ${sf} seed files are in, expected ${wantSeeds}`);
        if (cmd === 'backup') {
          const { complete } = await checkBackupFolders(target.project);
          expect(
            complete.length === folders.complete.length + 1,
            `the rerun did not leave one more complete backup (${folders.complete.length} → ${complete.length})`,
          );
        }
        if (f.engine === 'pglite') {
          const side = fs
            .readdirSync(path.dirname(target.project.dataDir))
            .filter((n) => /^pglite\.(reset|old)-/.test(n) || n === 'pglite.lock');
          expect(side.length === 0, `left beside the data dir after the rerun: ${side.join(', ')}`);
        }
        ctx.log(
          `${NAME}: ${f.engine} ${cmd} seed ${seed} delay ${delay} ms: ${finishedFirst ? 'finished before the kill' : `killed; at ${k} files, ${seeds} seed files`}`,
        );
      },
      seed,
    );
  } finally {
    await target.drop();
  }
}

/** A killed client's server session may still run its statement; wait until it is gone (as a user would have to). */
async function settle(adminUrl: string, target: Target): Promise<void> {
  if (!('url' in target.where)) return;
  const name = decodeURIComponent(new URL(target.where.url).pathname.slice(1));
  await until(
    async () =>
      (
        await query<{ n: number }>(
          adminUrl,
          `select count(*)::int as n from pg_stat_activity where (datname = $1 or datname like $2) and pid <> pg_backend_pid()`,
          [name, `${name}\\_%`],
        )
      )[0]!.n === 0,
    30_000,
    "the killed process's server sessions to end",
  );
}

/** pg_terminate_backend of Keel's session while it runs a migration. */
async function connectionDropped(ctx: CheckContext, t: Tally, f: Fixture): Promise<void> {
  const target = await f.make('k2');
  try {
    await t.trial('connection dropped mid-migration (pg_terminate_backend of keel db migrate)', async () => {
      const url = (target.where as { url: string }).url;
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      target.project.write('migrations/003_create_c003.sql', `${crashFiles()['migrations/003_create_c003.sql']}\nselect pg_sleep(1.5);`);
      const run = spawnKeel(['db', 'migrate', '--cwd', target.project.root, ...target.args]);
      let terminated = 0;
      await until(
        async () => {
          const rows = await query<{ ok: boolean }>(
            ctx.pgAdminUrl!,
            `select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and query like '%pg_sleep(1.5)%' and state = 'active'`,
            [name],
          );
          terminated += rows.length;
          return terminated > 0;
        },
        30_000,
        'keel to run the slow file',
      );
      const r = await run.result;
      expect(r.code === 1, () => `expected exit 1 after the connection was dropped: ${describeRun(r)}`);
      expect(!STACK_LINE.test(r.stdout + r.stderr), () => `a stack trace was printed: ${describeRun(r)}`);
      expect(/connection|terminat/i.test(r.stderr + r.stdout), () => `the error does not say the connection was lost: ${describeRun(r)}`);
      const after = await readFacts(target.where);
      const k = boundary(f, after);
      expect(k === 2, `after the drop the database is at ${k} files, expected 2 (001, 002 committed, 003 not)`);
      const rerun = await keel(['db', 'migrate', '--cwd', target.project.root, ...target.args]);
      expect(rerun.code === 0, () => `rerun: ${describeRun(rerun)}`);
      const final = await readFacts(target.where);
      expect(boundary(f, final) === M && final.state.fingerprint === f.prints[M], 'the rerun did not converge to a clean run');
    });
  } finally {
    await target.drop();
  }
}

/** A dedicated server restarted (fast shutdown, then started again on its port) while `keel db backup` runs. */
async function serverRestart(ctx: CheckContext, t: Tally): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rel-pg-'));
  let server: LocalServer | undefined;
  try {
    server = await startLocalServer({ dataDir });
    const port = server.port;
    await query(server.url, 'create database restartme');
    const url = server.url.replace(/\/postgres$/, '/restartme');
    const p = makeProject(ctx.tmpRoot, 'restart', { 'migrations/001_big.sql': `create table public.big (id int primary key, body text);` });
    const m = await keel(['db', 'migrate', '--cwd', p.root, '--db-url', url]);
    if (m.code !== 0) throw new Error(`migrate: ${describeRun(m)}`);
    await query(url, `insert into public.big select g, repeat(md5(g::text), 8) from generate_series(1, 300000) g`);
    const out = path.join(ctx.tmpRoot, 'restart-backup.keel');
    await t.trial('server restarted mid-backup (keel db backup)', async () => {
      const run = spawnKeel(['db', 'backup', '--cwd', p.root, '--db-url', url, '--output', out]);
      let exited = false;
      void run.result.then(() => (exited = true));
      // once the COPY of the big table is under way
      await until(
        async () =>
          exited ||
          (
            await query<{ n: number }>(
              server!.url,
              `select count(*)::int as n from pg_stat_activity where datname = 'restartme' and query ilike 'copy%'`,
            )
          )[0]!.n > 0,
        30_000,
        'the backup to start copying',
      );
      expect(!exited, () => 'the backup ended before the restart');
      await server!.stop();
      server = await startLocalServer({ dataDir, port });
      const r = await run.result;
      expect(r.code === 1, () => `expected exit 1 after the server restart: ${describeRun(r)}`);
      expect(!STACK_LINE.test(r.stdout + r.stderr), () => `a stack trace was printed: ${describeRun(r)}`);
      expect(
        !fs.existsSync(out),
        () => `${out} exists after a failed backup${fs.existsSync(path.join(out, 'manifest.json')) ? ' with a manifest' : ''}`,
      );
      const partial = fs
        .readdirSync(path.dirname(out))
        .filter((n) => n.startsWith(`${path.basename(out)}.partial-`) && fs.existsSync(path.join(path.dirname(out), n, 'manifest.json')));
      expect(partial.length === 0, `a partial folder has a manifest: ${partial.join(', ')}`);
      const rerun = await keel(['db', 'backup', '--cwd', p.root, '--db-url', url, '--output', out]);
      expect(rerun.code === 0, () => `rerun: ${describeRun(rerun)}`);
      const v = await keel(['db', 'backup', 'verify', out]);
      expect(v.code === 0, () => `verify: ${describeRun(v)}`);
      const rows = await query<{ n: number }>(url, 'select count(*)::int as n from public.big');
      expect(rows[0]!.n === 300000, 'rows lost across the restart');
    });
  } catch (err) {
    t.fail('server restarted mid-backup: setup', (err as Error).message);
  } finally {
    await server?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const check: Check = {
  name: NAME,
  async run(ctx: CheckContext): Promise<CheckResult[]> {
    const engines = ctx.engines.filter((e) => e === 'pglite' || ctx.pgAdminUrl);
    const total = ctx.bounded ? 4 : 50;
    const rng = prng(ctx.seed);
    const results: CheckResult[] = [];
    // trials spread round-robin over commands × engines (engines alternating, so a short bounded run still kills every
    // engine), each with its own seed drawn from ctx.seed
    const plan: { engine: EngineName; cmd: Command; seed: number }[] = [];
    const cells = COMMANDS.flatMap((cmd) => engines.map((engine) => ({ engine, cmd })));
    for (let i = 0; i < total && cells.length; i++) plan.push({ ...cells[i % cells.length]!, seed: rng.int(1, 2 ** 31 - 1) });
    for (const engine of engines) {
      const t = new Tally(NAME, engine);
      const started = Date.now();
      let fixture: Fixture | undefined;
      try {
        fixture = await buildFixture(ctx, engine);
        ctx.log(`${NAME}: ${engine} fixture built in ${Date.now() - started} ms`);
        const est = new Map<string, number>();
        for (const step of plan.filter((s) => s.engine === engine)) await crashTrial(ctx, t, fixture, step.cmd, step.seed, est);
        if (engine === 'postgres') {
          await connectionDropped(ctx, t, fixture);
          if (!ctx.bounded) await serverRestart(ctx, t); // its own server and 300k rows: the full run only
        }
      } catch (err) {
        t.fail(`${engine}: fixture`, err instanceof Error ? (err.stack ?? err.message) : String(err));
      } finally {
        await fixture?.cleanup();
      }
      results.push(t.result());
    }
    return results;
  },
};

export default check;
