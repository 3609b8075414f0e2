#!/usr/bin/env node
/**
 * `npm run bench` (part 4): `keel db backup` / `keel db restore` against `pg_dump -Fc -Z1` / `pg_restore` on the same
 * local Postgres in the same run, on a generated table (uuid, text, int, bigint, timestamptz, jsonb; primary key and
 * one index) at 100,000 and 1,000,000 rows, with each process's peak memory (GNU time's max RSS). Also PGlite figures.
 * Writes bench/results/backup.json.
 *
 * Also a 10-table database of 2,000,000 rows in all, and `--jobs 2` against `pg_dump -Fd -Z1 -j 2` / `pg_restore -j 2`
 * (on that database and on the largest single table). `--sizes 100000,1000000,10000000` adds the optional 10M rows.
 *
 *   node bench/backup.js [--runs 3] [--warmup 1] [--sizes 100000,1000000] [--multi-rows 2000000] [--no-multi]
 *                        [--jobs 2] [--pglite-rows 100000] [--no-pglite]
 *
 * Goals (issue 13): backup and restore each ≤ 1.0× the peer, single and -j 2; peak memory flat (≤ 150 MB).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine, reset, startLocalServer } from '../dist/index.js';
import { REPO } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { measureRounds } from './lib/measure.js';
import { adminClient } from './lib/postgres.js';
import { compare, comparisonTable, seriesTable, table, writeJson } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '100000,1000000' },
    'pglite-rows': { type: 'string', default: '100000' },
    'no-pglite': { type: 'boolean', default: false },
    'multi-rows': { type: 'string', default: '2000000' },
    'no-multi': { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
  },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const SIZES = opt.sizes.split(',').map(Number);
const RESULTS = path.join(REPO, 'bench/results/backup.json');
const KEEL_BIN = path.join(REPO, 'bin/keel.js');
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** `public.events` alone, or `public.events_0` … `public.events_9`. */
const tableName = (i, tables) => (tables === 1 ? 'events' : `events_${i}`);
const TABLE_SQL = (name) => `create table public.${name} (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  n integer not null,
  big bigint not null,
  at timestamptz not null default now(),
  payload jsonb not null default '{}'::jsonb
);
create index ${name}_at_idx on public.${name} (at);
`;
const FILL_SQL = (rows, name = 'events') => `insert into public.${name} (title, n, big, at, payload)
select 'event ' || g || ' ' || md5(g::text), g % 1000, g::bigint * 7919, timestamptz '2026-01-01' + g * interval '1 second',
       jsonb_build_object('k', g, 'tags', jsonb_build_array('a', 'b', g % 7), 'note', repeat('x', g % 40))
  from generate_series(1, ${rows}) g`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-backup-'));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (removeTmp(), process.exit(130)));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');

/** Runs a command under GNU time (when present); resolves to { seconds, maxRssMB }. Rejects on a non-zero exit. */
function run(cmd, args, { env } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}`);
    const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
    const t0 = performance.now();
    const child = spawn(c, a, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0)
        return reject(
          new Error(
            `${path.basename(cmd)} ${args.slice(0, 3).join(' ')} exited with ${code}:\n${stderr.trim().split('\n').slice(-10).join('\n')}`,
          ),
        );
      let maxRssMB;
      try {
        maxRssMB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
        fs.rmSync(rssFile, { force: true });
      } catch {
        maxRssMB = undefined;
      }
      resolve({ seconds, maxRssMB });
    });
  });
}

function pgBin(name) {
  const dirs = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const d of dirs) {
    const p = `/usr/lib/postgresql/${d}/bin/${name}`;
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function project(name, tables = 1) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'supabase/migrations'), { recursive: true });
  const sql = Array.from({ length: tables }, (_, i) => TABLE_SQL(tableName(i, tables))).join('\n');
  fs.writeFileSync(path.join(dir, 'supabase/migrations/001_create_events.sql'), sql);
  return dir;
}

const machine = machineFacts();
const out = {
  machine,
  config: { runs: rounds.runs, warmup: rounds.warmup, sizes: SIZES },
  series: {},
  comparisons: [],
  memory: [],
  notes: [],
};
let server;
try {
  console.log(
    `keel db backup / restore benchmark: public.events (uuid, text, int, bigint, timestamptz, jsonb; pk + 1 index) at ${SIZES.join(' and ')} rows`,
  );
  console.log(
    `${machine.date}  ${machine.cpu}, ${machine.cores} cores  Node ${machine.node}; load ${machine.loadAverageAtStart.join(' ')}\n`,
  );
  server = await startLocalServer();
  const admin = await adminClient(server.url);
  const pgDump = pgBin('pg_dump');
  const pgRestore = pgBin('pg_restore');
  if (!pgDump || !pgRestore) out.notes.push('pg_dump / pg_restore not found: the peers were not measured');
  const size = (p) =>
    fs.statSync(p).isDirectory()
      ? fs.readdirSync(p, { recursive: true }).reduce((a, f) => {
          const st = fs.statSync(path.join(p, f));
          return a + (st.isFile() ? st.size : 0);
        }, 0)
      : fs.statSync(p).size;

  /**
   * One database measured both ways: keel db backup against pg_dump (-Fc -Z1, or -Fd -Z1 -j N with jobs), then
   * keel db restore --clean into a fresh database against pg_restore (-j N) of the peer's dump, alternating runs.
   */
  async function compareOn(label, dir, src, jobs) {
    const j = jobs > 1 ? ['--jobs', String(jobs)] : [];
    const tag = label.replace(/[^a-z0-9]+/gi, '_');
    const keelOut = path.join(tmp, `keel-${tag}.keel`);
    const dumpOut = path.join(tmp, `dump-${tag}${jobs > 1 ? '.dir' : '.pgdump'}`);
    const peerDump = jobs > 1 ? ['-Fd', '-Z1', '-j', String(jobs)] : ['-Fc', '-Z1'];
    const last = {};
    const suffix = jobs > 1 ? ` -j ${jobs}` : '';
    const backups = [
      {
        name: `${label}: keel db backup${suffix} (CLI)`,
        run: async () => {
          fs.rmSync(keelOut, { recursive: true, force: true });
          const r = await run(process.execPath, [KEEL_BIN, 'db', 'backup', '--cwd', dir, '--db-url', src.url, '--output', keelOut, ...j], {
            env: keelEnv(),
          });
          last.keelBackup = r.maxRssMB;
          return r.seconds;
        },
      },
      ...(pgDump
        ? [
            {
              name: `${label}: pg_dump ${peerDump.join(' ')}`,
              run: async () => {
                fs.rmSync(dumpOut, { recursive: true, force: true });
                const r = await run(pgDump, [...peerDump, '-f', dumpOut, '-d', src.url]);
                last.pgDump = r.maxRssMB;
                return r.seconds;
              },
            },
          ]
        : []),
    ];
    Object.assign(out.series, await measureRounds(backups, rounds));
    const restores = [
      {
        name: `${label}: keel db restore --clean${suffix} (CLI)`,
        run: async () => {
          const dst = await admin.fresh(`dst_${tag}`.slice(0, 30));
          try {
            const r = await run(
              process.execPath,
              [KEEL_BIN, 'db', 'restore', keelOut, '--cwd', dir, '--db-url', dst.url, '--clean', '--yes', ...j],
              { env: keelEnv() },
            );
            last.keelRestore = r.maxRssMB;
            return r.seconds;
          } finally {
            await admin.drop(dst);
          }
        },
      },
      ...(pgRestore
        ? [
            {
              name: `${label}: pg_restore${suffix}`,
              run: async () => {
                const dst = await admin.fresh(`pgr_${tag}`.slice(0, 30));
                try {
                  const r = await run(pgRestore, ['--no-owner', ...(jobs > 1 ? ['-j', String(jobs)] : []), '-d', dst.url, dumpOut]);
                  last.pgRestore = r.maxRssMB;
                  return r.seconds;
                } finally {
                  await admin.drop(dst);
                }
              },
            },
          ]
        : []),
    ];
    Object.assign(out.series, await measureRounds(restores, rounds));
    const s = (n) => out.series[n];
    out.comparisons.push(
      compare(`${label}: backup${suffix} vs pg_dump ${peerDump.join(' ')}`, s(backups[0].name), backups[1] && s(backups[1].name), {
        ratio: 1.0,
      }),
      compare(`${label}: restore${suffix} vs pg_restore${suffix}`, s(restores[0].name), restores[1] && s(restores[1].name), {
        ratio: 1.0,
      }),
    );
    out.memory.push({
      case: `${label}${suffix}`,
      keelBackupMB: last.keelBackup,
      pgDumpMB: last.pgDump,
      keelRestoreMB: last.keelRestore,
      pgRestoreMB: last.pgRestore,
      keelBytes: size(keelOut),
      pgDumpBytes: pgDump ? size(dumpOut) : undefined,
    });
  }

  /** A project whose migration makes `tables` copies of public.events, filled with `rows` rows in all. */
  async function database(name, tables, rows) {
    const dir = project(name, tables);
    const src = await admin.fresh(name);
    await reset({ cwd: dir, dbUrl: src.url, yes: true, env: keelEnv() });
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: src.url });
    await c.connect();
    for (let i = 0; i < tables; i++) await c.query(FILL_SQL(Math.round(rows / tables), tableName(i, tables)));
    await c.query('vacuum analyze');
    await c.end();
    return { dir, src };
  }

  try {
    for (const rows of SIZES) {
      console.log(`\nPostgres, one table, ${rows} rows`);
      const { dir, src } = await database(`pg_${rows}`, 1, rows);
      await compareOn(`${rows.toLocaleString('en')} rows`, dir, src, 1);
      if (opt.jobs && rows === Math.max(...SIZES)) await compareOn(`${rows.toLocaleString('en')} rows`, dir, src, Number(opt.jobs));
      await admin.drop(src);
    }
    if (!opt['no-multi']) {
      const rows = Number(opt['multi-rows']);
      console.log(`\nPostgres, 10 tables, ${rows} rows`);
      const { dir, src } = await database('pg_multi', 10, rows);
      const label = `10 tables, ${rows.toLocaleString('en')} rows`;
      await compareOn(label, dir, src, 1);
      if (opt.jobs) await compareOn(label, dir, src, Number(opt.jobs));
      await admin.drop(src);
    }
  } finally {
    await admin.close();
  }

  if (!opt['no-pglite']) {
    const rows = Number(opt['pglite-rows']);
    console.log(`\nembedded PGlite, ${rows} rows`);
    const dir = project('pglite');
    await reset({ cwd: dir, yes: true, env: keelEnv() });
    const e = await openEngine({ kind: 'pglite', dataDir: path.join(dir, 'supabase/.keel/pglite') });
    await e.exec(FILL_SQL(rows));
    await e.close();
    const keelOut = path.join(tmp, 'pglite.keel');
    const last = {};
    const scenarios = [
      {
        name: `pglite ${rows}: keel db backup (CLI)`,
        run: async () => {
          fs.rmSync(keelOut, { recursive: true, force: true });
          const r = await run(process.execPath, [KEEL_BIN, 'db', 'backup', '--cwd', dir, '--output', keelOut], { env: keelEnv() });
          last.backup = r.maxRssMB;
          return r.seconds;
        },
      },
    ];
    Object.assign(out.series, await measureRounds(scenarios, rounds));
    const restoreDir = project('pglite-restore');
    const restore = [
      {
        name: `pglite ${rows}: keel db restore --clean (CLI)`,
        run: async () => {
          fs.rmSync(path.join(restoreDir, 'supabase/.keel'), { recursive: true, force: true });
          const r = await run(process.execPath, [KEEL_BIN, 'db', 'restore', keelOut, '--cwd', restoreDir, '--clean', '--yes'], {
            env: keelEnv(),
          });
          last.restore = r.maxRssMB;
          return r.seconds;
        },
      },
    ];
    Object.assign(out.series, await measureRounds(restore, rounds));
    out.comparisons.push(
      compare(scenarios[0].name, out.series[scenarios[0].name], undefined, undefined),
      compare(restore[0].name, out.series[restore[0].name], undefined, undefined),
    );
    out.memory.push({ rows, engine: 'pglite', keelBackupMB: last.backup, keelRestoreMB: last.restore });
  }

  out.machine.loadAverageAtEnd = loadAverage();
  console.log('\nper series (seconds)');
  console.log(seriesTable(out.series));
  console.log('\nsummary');
  console.log(comparisonTable(out.comparisons));
  const mb = (x) => (x === undefined ? '—' : x.toFixed(0));
  console.log('\npeak memory (max RSS, MB) and output size');
  console.log(
    table(
      ['engine', 'case', 'keel backup', 'pg_dump', 'keel restore', 'pg_restore', 'keel bytes', 'pg_dump bytes'],
      out.memory.map((m) => [
        m.engine ?? 'postgres',
        m.case ?? m.rows,
        mb(m.keelBackupMB),
        mb(m.pgDumpMB),
        mb(m.keelRestoreMB),
        mb(m.pgRestoreMB),
        m.keelBytes ?? '—',
        m.pgDumpBytes ?? '—',
      ]),
    ),
  );
  out.notes.push(
    'keel db backup: one repeatable-read snapshot, schema SQL from the catalog, COPY text per table gzip level 1, sha256 per file, manifest last, atomic rename; CLI (Node start-up included)',
    'keel db restore --clean: checks the manifest and file sizes, wipes the user schemas, installs the shim, applies the schema and COPYs the data (sha256 checked while streaming, before COMMIT) in one transaction; with --jobs the data and then the keys and indexes load over N connections',
    'pg_dump -Fc -Z1 / pg_restore (and -Fd -Z1 -j N / pg_restore -j N): same server, same database; pg_restore into a fresh empty database; peak memory goal ≤ 150 MB',
  );
  for (const n of out.notes) console.log(`- ${n}`);
  writeJson(RESULTS, out);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
} catch (err) {
  console.error(`\nbenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await server?.stop().catch(() => undefined);
  removeTmp();
}
