#!/usr/bin/env node
/**
 * `npm run bench` (part 4): `keel db backup` / `keel db restore` against `pg_dump -Fc -Z1` / `pg_restore` on the same
 * local Postgres in the same run, on a generated table (uuid, text, int, bigint, timestamptz, jsonb; primary key and
 * one index) at 100,000 and 1,000,000 rows, with each process's peak memory (GNU time's max RSS). Also PGlite figures.
 * Writes bench/results/backup.json.
 *
 *   node bench/backup.js [--runs 3] [--warmup 1] [--sizes 100000,1000000] [--pglite-rows 100000] [--no-pglite]
 *
 * Goals (issue 6): backup and restore each ≤ 1.0× the peer; peak memory flat (≤ 150 MB at both sizes).
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
  },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const SIZES = opt.sizes.split(',').map(Number);
const RESULTS = path.join(REPO, 'bench/results/backup.json');
const KEEL_BIN = path.join(REPO, 'bin/keel.js');
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const TABLE_SQL = `create table public.events (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  n integer not null,
  big bigint not null,
  at timestamptz not null default now(),
  payload jsonb not null default '{}'::jsonb
);
create index events_at_idx on public.events (at);
`;
const FILL_SQL = (rows) => `insert into public.events (title, n, big, at, payload)
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

function project(name) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'supabase/migrations'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'supabase/migrations/001_create_events.sql'), TABLE_SQL);
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
  try {
    for (const rows of SIZES) {
      console.log(`\nPostgres, ${rows} rows`);
      const dir = project(`pg-${rows}`);
      const src = await admin.fresh(`src_${rows}`);
      await reset({ cwd: dir, dbUrl: src.url, yes: true, env: keelEnv() });
      await admin.client.query('select 1');
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: src.url });
      await c.connect();
      await c.query(FILL_SQL(rows));
      await c.query('vacuum analyze public.events');
      await c.end();
      const keelOut = path.join(tmp, `keel-${rows}.keel`);
      const dumpOut = path.join(tmp, `dump-${rows}.pgdump`);
      const mem = { rows };
      const last = {};
      const scenarios = [
        {
          name: `postgres ${rows}: keel db backup (CLI)`,
          run: async () => {
            fs.rmSync(keelOut, { recursive: true, force: true });
            const r = await run(process.execPath, [KEEL_BIN, 'db', 'backup', '--cwd', dir, '--db-url', src.url, '--output', keelOut], {
              env: keelEnv(),
            });
            last.keelBackup = r.maxRssMB;
            return r.seconds;
          },
        },
        ...(pgDump
          ? [
              {
                name: `postgres ${rows}: pg_dump -Fc -Z1`,
                run: async () => {
                  const r = await run(pgDump, ['-Fc', '-Z1', '-f', dumpOut, '-d', src.url]);
                  last.pgDump = r.maxRssMB;
                  return r.seconds;
                },
              },
            ]
          : []),
      ];
      Object.assign(out.series, await measureRounds(scenarios, rounds));
      const restoreScenarios = [
        {
          name: `postgres ${rows}: keel db restore --clean (CLI)`,
          run: async () => {
            const dst = await admin.fresh(`dst_${rows}`);
            try {
              const r = await run(
                process.execPath,
                [KEEL_BIN, 'db', 'restore', keelOut, '--cwd', dir, '--db-url', dst.url, '--clean', '--yes'],
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
                name: `postgres ${rows}: pg_restore`,
                run: async () => {
                  const dst = await admin.fresh(`pgr_${rows}`);
                  try {
                    const r = await run(pgRestore, ['--no-owner', '-d', dst.url, dumpOut]);
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
      Object.assign(out.series, await measureRounds(restoreScenarios, rounds));
      const s = (n) => out.series[n];
      out.comparisons.push(
        compare(`postgres ${rows}: keel db backup vs pg_dump -Fc -Z1`, s(scenarios[0].name), scenarios[1] && s(scenarios[1].name), {
          ratio: 1.0,
        }),
        compare(
          `postgres ${rows}: keel db restore vs pg_restore`,
          s(restoreScenarios[0].name),
          restoreScenarios[1] && s(restoreScenarios[1].name),
          { ratio: 1.0 },
        ),
      );
      const size = (p) =>
        fs.statSync(p).isDirectory()
          ? fs.readdirSync(p, { recursive: true }).reduce((a, f) => {
              const st = fs.statSync(path.join(p, f));
              return a + (st.isFile() ? st.size : 0);
            }, 0)
          : fs.statSync(p).size;
      Object.assign(mem, {
        keelBackupMB: last.keelBackup,
        pgDumpMB: last.pgDump,
        keelRestoreMB: last.keelRestore,
        pgRestoreMB: last.pgRestore,
        keelBytes: size(keelOut),
        pgDumpBytes: pgDump ? size(dumpOut) : undefined,
      });
      out.memory.push(mem);
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
      ['engine', 'rows', 'keel backup', 'pg_dump', 'keel restore', 'pg_restore', 'keel bytes', 'pg_dump bytes'],
      out.memory.map((m) => [
        m.engine ?? 'postgres',
        m.rows,
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
    'keel db restore --clean: verifies every checksum, wipes the user schemas, installs the shim, applies the schema and COPYs the data in one transaction',
    'pg_dump -Fc -Z1 / pg_restore: same server, same database; pg_restore into a fresh empty database; peak memory goal ≤ 150 MB',
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
