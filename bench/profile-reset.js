#!/usr/bin/env node
/**
 * Where `keel db reset` spends its time, to decide what to optimise (bench/run.js gives the headline numbers):
 *   1. process start-up: Node, importing keel, the CLI, the SQL parser's WASM;
 *   2. reset phase by phase (bench/lib/phases.js) on PGlite (data dir in use / fresh) and on a local Postgres,
 *      with the round trips made inside the transaction counted and timed;
 *   3. the PGlite floor: the same SQL on PGlite with no Keel around it (bench/lib/pglite-floor.js);
 *   4. one round trip (`select 1`) through Keel's engines and through PGlite directly;
 *   5. the CLI under V8 flags (--liftoff-only): wall, CPU time and peak memory.
 *
 *   node bench/profile-reset.js [--runs 3] [--no-postgres]      (run `npm run build` first)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { openProject, reset, startLocalServer } from '../dist/index.js';
import { ensureParser } from '../dist/core/sql/parser.js';
import { openEngine } from '../dist/db/open.js';
import { cacheDir, pgliteVersion } from '../dist/db/pglite/template.js';
import { loadProjectSql } from '../dist/features/migrate/load.js';
import { copyFixture, REPO, shimSql } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { runProcess, summarise } from './lib/measure.js';
import { resetInPhases } from './lib/phases.js';
import { pgliteFloor, planFiles, prepareScratch, roundTripMs } from './lib/pglite-floor.js';
import { adminClient } from './lib/postgres.js';
import { table } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'no-postgres': { type: 'boolean', default: false } },
});
const RUNS = Number(opt.runs);
const ms = (x) => (x === undefined ? '—' : x.toFixed(0));
const median = (xs) => summarise(xs).median;

const t0 = performance.now();
await ensureParser();
const parserMs = performance.now() - t0;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-profile-'));
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (fs.rmSync(tmp, { recursive: true, force: true }), process.exit(130)));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');
let server;
try {
  const m = machineFacts();
  console.log(
    `profile of keel db reset: ${m.date}, ${m.cpu}, ${m.cores} cores, Node ${m.node}, PGlite ${m.pglite}, load average ${m.loadAverageAtStart.join(' ')}`,
  );
  const warm = copyFixture(path.join(tmp, 'warm'));
  const fresh = copyFixture(path.join(tmp, 'fresh'));
  await reset({ cwd: warm, env: keelEnv() }); // builds the template cache and a data dir holding the fixture (not timed)

  console.log('\n1. start-up (wall of a child process, median of 5, ms)');
  const loadTemplate = `const t = await import(${JSON.stringify(path.join(REPO, 'dist/db/pglite/template.js'))}); const tpl = new Blob([(await import('node:fs')).readFileSync(t.cacheDir() + '/pglite-' + t.pgliteVersion() + '-template.tar.gz')])`;
  const node = (code) => [process.execPath, ['--input-type=module', '-e', code]];
  const probes = [
    ['node -e 0 (bare Node)', node('0')],
    ['import dist/index.js (keel library)', node(`await import(${JSON.stringify(path.join(REPO, 'dist/index.js'))})`)],
    [
      'import + load libpg-query WASM',
      node(`const p = await import(${JSON.stringify(path.join(REPO, 'dist/core/sql/parser.js'))}); await p.ensureParser()`),
    ],
    [
      'import @electric-sql/pglite + open in memory from the template',
      node(
        `${loadTemplate}; const { PGlite } = await import('@electric-sql/pglite'); const db = await PGlite.create({ loadDataDir: tpl }); await db.close()`,
      ),
    ],
    ['node bin/keel.js --version (CLI, no database)', [process.execPath, [path.join(REPO, 'bin/keel.js'), '--version']]],
  ];
  const startup = [];
  for (const [name, [cmd, args]] of probes) {
    const xs = [];
    for (let i = 0; i < 5; i++) xs.push((await runProcess(cmd, args, { cwd: REPO, env: keelEnv() })).seconds * 1000);
    startup.push([name, ms(median(xs))]);
  }
  startup.push(['SQL parser WASM load, in this process (once)', ms(parserMs)]);
  console.log(table(['what', 'ms'], startup));

  console.log(
    `\n2. reset phases (median of ${RUNS} after 1 warm-up, ms); "new process" runs bench/lib/phases.js as a child, as the CLI meets them`,
  );
  /** The phases in a child process: adds Node start-up before and the process exit after. */
  const inChild = async (dir, dbUrl) => {
    const r = await runProcess(process.execPath, [path.join(REPO, 'bench/lib/phases.js'), dir, ...(dbUrl ? [dbUrl] : [])], {
      env: keelEnv(),
    });
    const out = JSON.parse(r.stdout);
    const wall = r.seconds * 1000;
    const { total, ...rest } = out.phases;
    out.phases = { ...rest, 'process exit': wall - total - rest['node start-up + imports'], 'total (process wall)': wall };
    return out;
  };
  const wipeFresh = () => fs.rmSync(path.join(fresh, 'supabase/.keel'), { recursive: true, force: true });
  const engines = [
    ['pglite, data dir in use, new process', () => inChild(warm)],
    ['pglite, fresh data dir, new process', () => (wipeFresh(), inChild(fresh))],
  ];
  let admin;
  if (!opt['no-postgres']) {
    try {
      server = await startLocalServer();
      admin = await adminClient(server.url);
      const onFreshDb = (fn) => async () => {
        const db = await admin.fresh('profile');
        try {
          return await fn(db.url);
        } finally {
          await admin.drop(db);
        }
      };
      engines.push(
        ['postgres, fresh DB, new process', onFreshDb((url) => inChild(warm, url))],
        ['postgres, fresh DB, this process (hot)', onFreshDb((url) => resetInPhases(warm, { dbUrl: url, env: keelEnv() }))],
      );
    } catch (err) {
      console.log(`  (no local Postgres: ${err.message.split('\n')[0]})`);
    }
  }
  const results = {};
  for (const [name, run] of engines) {
    await run();
    results[name] = [];
    for (let i = 0; i < RUNS; i++) results[name].push(await run());
  }
  const names = Object.keys(results);
  const phaseNames = [...new Set(names.flatMap((n) => Object.keys(results[n][0].phases)))];
  const cell = (n, p) => (results[n][0].phases[p] === undefined ? '—' : ms(median(results[n].map((r) => r.phases[p]))));
  const rows = phaseNames.map((p) => [p, ...names.map((n) => cell(n, p))]);
  const trips = (n, f) => median(results[n].map((r) => f(r.roundTrips, r.phases)));
  const inTx = (ph) =>
    Object.entries(ph)
      .filter(([k]) => /^(wipe|install|migrations|roles|policies|seeds)/.test(k))
      .reduce((a, [, v]) => a + v, 0);
  rows.push(
    ['round trips inside the transaction (count)', ...names.map((n) => ms(trips(n, (s) => s.calls)))],
    ['  waiting on the database (ms)', ...names.map((n) => ms(trips(n, (s) => s.ms)))],
    ["  Keel's own JS between round trips (ms)", ...names.map((n) => ms(trips(n, (s, ph) => inTx(ph) - s.ms)))],
  );
  console.log(table(['phase', ...names], rows));
  for (const n of names) {
    console.log(`\n  slowest round trips, ${n} (last run):`);
    for (const s of results[n].at(-1).roundTrips.slowest) console.log(`    ${s.ms.toFixed(1).padStart(7)} ms  ${s.sql}`);
  }

  console.log(`\n3. PGlite floor: same wipe + shim + files, PGlite on the main thread, no Keel (median of ${RUNS}, ms)`);
  const sql = await loadProjectSql(openProject(warm));
  const plan = {
    sourceDataDir: path.join(warm, 'supabase/.keel/pglite'),
    scratchDir: path.join(tmp, 'floor'),
    shim: await shimSql(),
    files: planFiles(sql),
  };
  const planFile = path.join(tmp, 'floor-plan.json');
  const floorRows = [];
  const floorRow = (name, xs) =>
    floorRows.push([
      name,
      ...['open', 'sql', 'close', 'total', 'wall'].map((k) => (xs[0][k] === undefined ? '—' : ms(median(xs.map((x) => x[k]))))),
    ]);
  for (const perStatement of [true, false]) {
    fs.writeFileSync(planFile, JSON.stringify({ ...plan, perStatement }));
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      prepareScratch(plan);
      const r = await runProcess(process.execPath, [path.join(REPO, 'bench/lib/pglite-floor.js'), planFile], { env: keelEnv() });
      xs.push({ ...JSON.parse(r.stdout), wall: r.seconds * 1000 });
    }
    floorRow(`fresh node process, one exec per ${perStatement ? 'statement (as Keel sends)' : 'file'}`, xs);
  }
  const hot = [];
  for (let i = 0; i <= RUNS; i++) {
    prepareScratch(plan);
    const r = await pgliteFloor({ ...plan, perStatement: true });
    if (i > 0) hot.push(r); // the first warms the WASM up
  }
  floorRow(
    'this process, WASM already hot, one exec per statement',
    hot.map((x) => ({ ...x, wall: undefined })),
  );
  console.log(table(['variant', 'open', 'sql', 'close', 'total', 'process wall'], floorRows));
  console.log(
    '  (Keel opens PGlite in a new worker thread per command, so its numbers in 2. compare with the fresh-process rows;\n   the data dir copy each run needs is made before the clock starts)',
  );

  console.log('\n4. one round trip, select 1 (median of 300, ms)');
  const rt = [];
  const engine = await openEngine({ kind: 'pglite', memory: true });
  rt.push(['keel pglite engine (worker thread)', (await roundTripMs(engine)).toFixed(3)]);
  await engine.close();
  const template = fs.readFileSync(path.join(cacheDir(), `pglite-${pgliteVersion()}-template.tar.gz`));
  const direct = await PGlite.create({ loadDataDir: new Blob([template]) });
  rt.push(['PGlite on the main thread', (await roundTripMs(direct)).toFixed(3)]);
  await direct.close();
  if (server) {
    const pgEngine = await openEngine({ kind: 'postgres', url: server.url });
    rt.push(['keel postgres engine (pg pool, loopback TCP)', (await roundTripMs(pgEngine)).toFixed(3)]);
    await pgEngine.close();
  }
  console.log(table(['path', 'ms'], rt));
  await admin?.close();

  console.log(`\n5. CLI keel db reset (data dir in use) under V8 flags, interleaved, median of ${RUNS}`);
  if (!fs.existsSync('/usr/bin/time')) console.log('  skipped: /usr/bin/time is needed for CPU time and peak memory');
  else {
    const variants = [
      ['default', []],
      ['--liftoff-only (no TurboFan tier-up of the WASM)', ['--liftoff-only']],
    ];
    const got = new Map(variants.map(([n]) => [n, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const [name, flags] of variants) {
        const r = await runProcess(
          '/usr/bin/time',
          ['-f', '%e %U %S %M', process.execPath, ...flags, path.join(REPO, 'bin/keel.js'), 'db', 'reset', '--cwd', warm],
          { env: keelEnv() },
        );
        const [wall, user, sys, rssKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
        got.get(name).push({ wall, cpu: user + sys, rss: rssKb / 1024 });
      }
    }
    const cell = (xs, k, d) => median(xs.map((x) => x[k])).toFixed(d);
    console.log(
      table(
        ['node flags', 'wall (s)', 'CPU user+sys (s)', 'peak RSS (MiB)'],
        [...got].map(([n, xs]) => [n, cell(xs, 'wall', 2), cell(xs, 'cpu', 2), cell(xs, 'rss', 0)]),
      ),
    );
  }
  console.log(`\nload average at end ${loadAverage().join(' ')} (${m.cores} cores)`);
} catch (err) {
  console.error(`\nprofile failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await server?.stop().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}
