/**
 * Concurrency: several Keel processes on one database at once.
 *
 * - migrate-race (postgres): 8 `keel db migrate` processes started together on one database, directly and through
 *   PgBouncer in transaction mode: every file applied exactly once (history tables, the files' own log rows, the
 *   schema), every process exits 0, the applied counts add up to the number of files.
 * - reset-parallel (postgres): 4 `keel db reset --yes` on 4 databases of one server at once, each complete and alike,
 *   no scratch database left.
 * - backup-during-migrate (postgres): backups taken while another process applies a long list of files: the manifest's
 *   migration version matches schema.sql (its tables are exactly those of the migrations up to that version).
 * - embedded-lock (pglite): while a `keel db migrate` holds the data dir, every other command is refused naming the
 *   holder's pid (50 tries, bounded 5); after the holder is killed the next command takes the stale lock over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findPgbouncer, startPgbouncer, type Pgbouncer } from '../../support/pgbouncer.js';
import type { Check, CheckContext, CheckResult } from '../check.js';
import {
  createDb,
  describeRun,
  expect,
  keel,
  makeProject,
  query,
  sameList,
  sleep,
  spawnKeel,
  stateOf,
  Tally,
  until,
  type Run,
} from '../support/ops.js';

const NAME = 'concurrency';

/** n migrations: 001 creates the log, each file k creates t_k and logs itself; a short sleep widens the race. */
function raceFiles(n: number, sleepS = 0.05): Record<string, string> {
  const files: Record<string, string> = {
    'migrations/001_applied_log.sql': `create table public.applied_log (file text not null, backend int not null);\ninsert into public.applied_log values ('001', pg_backend_pid());`,
  };
  for (let k = 2; k <= n; k++) {
    const v = String(k).padStart(3, '0');
    files[`migrations/${v}_create_t${v}.sql`] =
      `create table public.t_${v} (id int primary key, note text);\ninsert into public.applied_log values ('${v}', pg_backend_pid());\nselect pg_sleep(${sleepS});`;
  }
  return files;
}

const versions = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).padStart(3, '0'));
const expectedTables = (n: number) =>
  [
    'public.applied_log',
    ...versions(n)
      .slice(1)
      .map((v) => `public.t_${v}`),
  ].sort();

/** How many files one `keel db migrate` run says it applied (JSON or text output). */
function appliedBy(r: Run, json: boolean): number {
  if (json) {
    const doc = JSON.parse(r.stdout) as { ok: boolean; migrations: { status: string }[] };
    return doc.migrations.filter((m) => m.status === 'applied').length;
  }
  const m = /(\d+) migration\(s\) applied/.exec(r.stdout);
  if (!m) throw new Error(`no "N migration(s) applied" line in the output: ${describeRun(r)}`);
  return Number(m[1]);
}

async function migrateRace(
  ctx: CheckContext,
  t: Tally,
  label: string,
  viaUrl: (dbName: string) => string,
  n: number,
  procs: number,
): Promise<void> {
  const db = await createDb(ctx.pgAdminUrl!, 'race');
  try {
    await t.trial(label, async () => {
      const p = makeProject(ctx.tmpRoot, 'race', raceFiles(n));
      const url = viaUrl(db.name);
      const runs = await Promise.all(
        Array.from({ length: procs }, (_, i) => {
          const json = i % 2 === 0;
          return keel(['db', 'migrate', '--cwd', p.root, '--db-url', url, ...(json ? ['--json'] : [])]).then((r) => ({ r, json }));
        }),
      );
      const problems: string[] = [];
      let total = 0;
      for (const [i, { r, json }] of runs.entries()) {
        if (r.code !== 0) {
          problems.push(`process ${i + 1} ${describeRun(r)}`);
          continue;
        }
        try {
          const a = appliedBy(r, json);
          total += a;
          if (a === 0 && !json && !/up to date|already applied by another process/.test(r.stdout))
            problems.push(`process ${i + 1} applied nothing and did not say it was up to date: ${r.stdout.trim()}`);
        } catch (err) {
          problems.push(`process ${i + 1}: ${(err as Error).message}`);
        }
      }
      if (total !== n) problems.push(`the processes say they applied ${total} files in all, for ${n} files`);
      const log = await query<{ file: string; n: number }>(
        db.url,
        `select file, count(*)::int as n from public.applied_log group by file order by file`,
      );
      const twice = log.filter((l) => l.n !== 1);
      if (twice.length) problems.push(`files run more than once: ${twice.map((l) => `${l.file}×${l.n}`).join(', ')}`);
      if (
        !sameList(
          log.map((l) => l.file),
          versions(n),
        )
      )
        problems.push(`files logged: ${log.map((l) => l.file).join(',')}`);
      const s = await stateOf({ url: db.url });
      if (!sameList(s.history, versions(n))) problems.push(`schema_migrations has ${s.history.join(',')}`);
      if (!s.keelHistory || !sameList(s.keelHistory, versions(n)))
        problems.push(`keel_migrations has ${s.keelHistory?.join(',') ?? '(no table)'}`);
      if (!sameList(s.tables, expectedTables(n))) problems.push(`public tables: ${s.tables.join(',')}`);
      const dup = await query<{ n: number }>(
        db.url,
        `select count(*)::int as n from supabase_migrations.schema_migrations group by version having count(*) > 1`,
      );
      if (dup.length) problems.push('duplicate versions in schema_migrations');
      expect(problems.length === 0, () => problems.join('\n'));
    });
  } finally {
    await db.drop();
  }
}

async function resetParallel(ctx: CheckContext, t: Tally, n: number): Promise<void> {
  const dbs = await Promise.all(Array.from({ length: 4 }, () => createDb(ctx.pgAdminUrl!, 'rst')));
  try {
    await t.trial('reset-parallel: 4 × keel db reset --yes on 4 databases at once', async () => {
      const files = {
        ...raceFiles(n, 0.02),
        'seed/001_rows.sql': `insert into public.t_002 select g, 'row ' || g from generate_series(1, 50) g;`,
      };
      // each database first holds something the reset must remove
      await Promise.all(dbs.map((d) => query(d.url, 'create table public.leftover (id int); insert into public.leftover values (1);')));
      const runs = await Promise.all(
        dbs.map((d) => keel(['db', 'reset', '--yes', '--cwd', makeProject(ctx.tmpRoot, 'rst', files).root, '--db-url', d.url])),
      );
      const problems: string[] = [];
      runs.forEach((r, i) => r.code !== 0 && problems.push(`reset ${i + 1}: ${describeRun(r)}`));
      const prints = new Set<string>();
      for (const [i, d] of dbs.entries()) {
        const s = await stateOf({ url: d.url });
        prints.add(s.fingerprint);
        if (!sameList(s.tables, expectedTables(n))) problems.push(`database ${i + 1} tables: ${s.tables.join(',')}`);
        if (!sameList(s.history, versions(n)) || !s.keelHistory || !sameList(s.keelHistory, versions(n)))
          problems.push(`database ${i + 1} history: ${s.history.join(',')} / ${s.keelHistory?.join(',')}`);
        const rows = await query<{ n: number }>(d.url, 'select count(*)::int as n from public.t_002');
        if (rows[0]!.n !== 50) problems.push(`database ${i + 1} has ${rows[0]!.n} seed rows, expected 50`);
        const log = await query<{ n: number }>(d.url, 'select count(*)::int as n from public.applied_log');
        if (log[0]!.n !== n) problems.push(`database ${i + 1} logged ${log[0]!.n} file runs, expected ${n}`);
        const scratch = await query<{ datname: string }>(ctx.pgAdminUrl!, `select datname from pg_database where datname like $1`, [
          `${d.name}\\_%`,
        ]);
        if (scratch.length) problems.push(`scratch databases left beside database ${i + 1}: ${scratch.map((x) => x.datname).join(', ')}`);
      }
      if (prints.size !== 1) problems.push(`the 4 databases have ${prints.size} different catalog fingerprints`);
      expect(problems.length === 0, () => problems.join('\n'));
    });
  } finally {
    await Promise.all(dbs.map((d) => d.drop()));
  }
}

/** Table names `create table` statements in a schema.sql make, schema-qualified. */
export function tablesInSchemaSql(sql: string): string[] {
  const out = new Set<string>();
  for (const m of sql.matchAll(/create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?("?[\w]+"?)\.("?[\w]+"?)/gi)) {
    out.add(`${m[1]!.replace(/"/g, '')}.${m[2]!.replace(/"/g, '')}`);
  }
  return [...out].sort();
}

async function backupDuringMigrate(ctx: CheckContext, t: Tally, n: number, backups: number): Promise<void> {
  const db = await createDb(ctx.pgAdminUrl!, 'bkmig');
  try {
    const p = makeProject(ctx.tmpRoot, 'bkmig', raceFiles(n, 0.06));
    const mig = spawnKeel(['db', 'migrate', '--cwd', p.root, '--db-url', db.url]);
    let migDone = false;
    void mig.result.then(() => (migDone = true));
    // wait until the first file is in, so the backups land mid-run
    await until(
      async () =>
        migDone || (await query<{ n: number }>(db.url, `select count(*)::int as n from pg_tables where schemaname = 'public'`))[0]!.n > 0,
      30_000,
      'the first migration',
    );
    const seen = new Set<string>();
    for (let i = 0; i < backups && !migDone; i++) {
      const out = path.join(ctx.tmpRoot, `bkmig-${db.name}-${i}.keel`);
      await t.trial(`backup-during-migrate #${i + 1}`, async () => {
        const r = await keel(['db', 'backup', '--cwd', p.root, '--db-url', db.url, '--output', out, '--json']);
        expect(r.code === 0, () => `backup: ${describeRun(r)}`);
        const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { migrationVersion: string | null };
        const schemaSql = fs.readFileSync(path.join(out, 'schema.sql'), 'utf8');
        const v = manifest.migrationVersion;
        const upTo = v === null ? 0 : Number(v);
        seen.add(String(v));
        const want = upTo === 0 ? [] : expectedTables(upTo);
        const got = tablesInSchemaSql(schemaSql).filter((x) => x.startsWith('public.'));
        expect(
          sameList(got, want),
          () =>
            `manifest migrationVersion ${v} but schema.sql has tables ${got.join(',') || '(none)'}; expected ${want.join(',') || '(none)'}`,
        );
        const verify = await keel(['db', 'backup', 'verify', out]);
        expect(verify.code === 0, () => `verify: ${describeRun(verify)}`);
      });
      await sleep(150);
    }
    const r = await mig.result;
    await t.trial('backup-during-migrate: the migrator finished', async () => {
      expect(r.code === 0, () => `migrate: ${describeRun(r)}`);
    });
    ctx.log(`${NAME}: backups saw migration versions ${[...seen].join(', ')} of ${n}`);
  } finally {
    await db.drop();
  }
}

async function embeddedLock(ctx: CheckContext, t: Tally, tries: number): Promise<void> {
  const p = makeProject(ctx.tmpRoot, 'lock', { 'migrations/001_a.sql': 'create table public.a (id int);' });
  const first = await keel(['db', 'migrate', '--cwd', p.root]);
  if (first.code !== 0) {
    t.fail('embedded-lock: setup migrate', describeRun(first));
    return;
  }
  p.write('migrations/002_slow.sql', 'create table public.b (id int);\nselect pg_sleep(600);');
  const holder = spawnKeel(['db', 'migrate', '--cwd', p.root]);
  const lockFile = `${p.dataDir}.lock`;
  let held = false;
  void holder.result.then(() => (held = false));
  try {
    await until(
      () => {
        try {
          return (held = (JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number }).pid === holder.child.pid);
        } catch {
          return false;
        }
      },
      30_000,
      'the holder to take the data dir lock',
    );
    await sleep(300); // well into the slow file
    const commands: string[][] = [
      ['status'],
      ['db', 'migrate'],
      ['db', 'seed'],
      ['migration', 'list'],
      ['db', 'backup'],
      ['db', 'reset', '--yes'],
      ['db', 'validate'],
      ['gen', 'types', '--output', '-'],
    ];
    // two refused commands at a time (each is a Node start-up), `tries` in all
    const one = (i: number) => {
      const args = commands[i % commands.length]!;
      return t.trial(`embedded-lock: keel ${args.join(' ')} while the data dir is held (try ${i + 1})`, async () => {
        expect(held, 'the holder is no longer running');
        const r = await keel([...args, '--cwd', p.root]);
        const out = r.stdout + r.stderr;
        expect(r.code === 1, () => `expected exit 1 (refused), got ${describeRun(r)}`);
        expect(
          out.includes(`process ${holder.child.pid}`),
          () => `the refusal does not name the holder's pid ${holder.child.pid}: ${describeRun(r)}`,
        );
      });
    };
    for (let i = 0; i < tries; i += 2) await Promise.all([one(i), ...(i + 1 < tries ? [one(i + 1)] : [])]);
    // only the holder made the lock; the refused commands left no half-made siblings
    const strays = fs.readdirSync(path.dirname(p.dataDir)).filter((f) => /^pglite\.(reset|old)-/.test(f));
    if (strays.length) t.fail('embedded-lock: refused commands left nothing behind', `found ${strays.join(', ')}`);
  } finally {
    holder.child.kill('SIGKILL');
    await holder.result;
  }
  await t.trial('embedded-lock: after the holder is killed, the stale lock is taken over', async () => {
    const r = await keel(['status', '--json', '--cwd', p.root]);
    expect(r.code === 0, () => `status after the holder died: ${describeRun(r)}`);
    const s = JSON.parse(r.stdout) as { applied: number; pending: number };
    expect(s.applied === 1 && s.pending === 1, () => `expected 1 applied, 1 pending (the killed slow file left nothing): ${r.stdout}`);
  });
}

const check: Check = {
  name: NAME,
  async run(ctx: CheckContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    if (ctx.engines.includes('postgres') && ctx.pgAdminUrl) {
      const t = new Tally(NAME, 'postgres');
      const rounds = ctx.bounded ? 1 : 3;
      const n = ctx.bounded ? 4 : 12;
      const direct = (name: string) => {
        const u = new URL(ctx.pgAdminUrl!);
        u.pathname = `/${name}`;
        return u.toString();
      };
      for (let i = 0; i < rounds; i++)
        await migrateRace(ctx, t, `migrate-race: 8 × keel db migrate, direct (round ${i + 1})`, direct, n, 8);
      ctx.log(`${NAME}: migrate race direct done`);
      let pooler: Pgbouncer | undefined;
      if (findPgbouncer()) {
        try {
          pooler = await startPgbouncer(ctx.pgAdminUrl);
          const via = (name: string) => {
            const u = new URL(pooler!.url);
            u.pathname = `/${name}`;
            return u.toString();
          };
          for (let i = 0; i < rounds; i++)
            await migrateRace(ctx, t, `migrate-race: 8 × keel db migrate through pgbouncer (transaction mode, round ${i + 1})`, via, n, 8);
        } catch (err) {
          t.fail('migrate-race through pgbouncer: start', (err as Error).message);
        } finally {
          await pooler?.stop();
        }
        ctx.log(`${NAME}: migrate race through pgbouncer done`);
      } else {
        ctx.log(`${NAME}: pgbouncer is not installed; the pooler part of migrate-race is skipped`);
      }
      for (let i = 0; i < rounds; i++) await resetParallel(ctx, t, ctx.bounded ? 4 : 8);
      ctx.log(`${NAME}: parallel resets done`);
      await backupDuringMigrate(ctx, t, ctx.bounded ? 12 : 60, ctx.bounded ? 2 : 8);
      ctx.log(`${NAME}: backup during migrate done`);
      results.push(t.result());
    }
    if (ctx.engines.includes('pglite')) {
      const t = new Tally(NAME, 'pglite');
      await embeddedLock(ctx, t, ctx.bounded ? 5 : 50);
      ctx.log(`${NAME}: embedded lock done`);
      results.push(t.result());
    }
    return results;
  },
};

export default check;
