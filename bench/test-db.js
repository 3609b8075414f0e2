#!/usr/bin/env node
/**
 * `keel test db` on an example's pgTAP suites (default examples/ai-workflow-builder), on embedded PGlite and on a local
 * Postgres, against pg_prove over the same files on the same Postgres database in the same run. The database build
 * (reset + pgTAP + helpers) is measured separately from running the suites. Prints times and ratios; writes
 * bench/results/test-db.json.
 *
 *   node bench/test-db.js [--runs 5] [--warmup 1] [--example ai-workflow-builder] [--copies 10]
 *
 * A second, informational comparison runs the example's suites `--copies` times over (copied files, same database), to
 * show the cost per file: pg_prove starts a psql process and a session for each file, keel runs them all on one.
 *
 * Each file runs in a fresh session, as under pg_prove (a new connection per file); `--isolate` (each file in a
 * rolled-back transaction on one connection) is measured too.
 *
 * Goal (issue 7): on Postgres, `keel test db` ≤ 1.2× pg_prove. pg_prove needs pgTAP and the helpers in the database, so
 * the Postgres database is built once by `keel test db` and both then run on it as it is (`--no-reset`).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalServer, testDb } from '../dist/index.js';
import { REPO } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { measureRounds, summarise, timeIt } from './lib/measure.js';
import { adminClient, psqlEnv } from './lib/postgres.js';
import { compare, comparisonTable, seriesTable, writeJson } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    example: { type: 'string', default: 'ai-workflow-builder' },
    copies: { type: 'string', default: '10' },
  },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const GOAL_RATIO = 1.2;
const RESULTS = path.join(REPO, 'bench/results/test-db.json');
const KEEL_BIN = path.join(REPO, 'bin/keel.js');
const EXAMPLE = path.join(REPO, 'examples', opt.example);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-test-db-'));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (removeTmp(), process.exit(130)));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');

/** Spawns a command and times it (spawn to exit). Exit 0 is required: every suite must pass for the numbers to count. */
function run(cmd, args, { env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code === 0) resolve({ seconds, stdout });
      else
        reject(
          new Error(
            `${path.basename(cmd)} ${args.slice(0, 4).join(' ')} exited with ${code}:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n')}`,
          ),
        );
    });
  });
}

/** pg_prove on PATH (Debian's libtap-parser-sourcehandler-pgtap-perl), or undefined. */
function findPgProve() {
  try {
    return execFileSync('sh', ['-c', 'command -v pg_prove'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The suite files `keel test db` runs, as discovered by it (so pg_prove gets exactly the same list in the same order). */
function suiteFiles(dir, json) {
  return json.files.map((f) => path.join(dir, f.file));
}

/** A series of {seconds} runs that also keeps the buildMs/testMs each `--json` run reported. */
function keelCli(name, dir, args, phases) {
  return {
    name,
    run: async () => {
      const r = await run(process.execPath, [KEEL_BIN, 'test', 'db', '--cwd', dir, '--json', ...args], { env: keelEnv() });
      const json = JSON.parse(r.stdout);
      (phases[name] ??= []).push({ build: json.buildMs / 1000, test: json.testMs / 1000 });
      return r.seconds;
    },
  };
}

const phaseSummary = (list) => ({ build: summarise(list.map((p) => p.build)), test: summarise(list.map((p) => p.test)) });

const machine = machineFacts();
const out = {
  machine,
  config: { runs: rounds.runs, warmup: rounds.warmup, example: opt.example },
  series: {},
  phases: {},
  comparisons: [],
  notes: [],
};
let server;
try {
  const dir = path.join(tmp, 'project');
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => path.basename(src) !== '.keel' });
  // One untimed run first: builds the embedded data dir and checks that every suite passes.
  const first = await testDb({ cwd: dir, yes: true, env: keelEnv() });
  if (!first.ok)
    throw new Error(`the ${opt.example} suites do not pass on PGlite: ${first.totals.passed} passed, ${first.totals.failed} failed`);
  const files = suiteFiles(dir, first);
  out.config.suites = { files: first.files.map((f) => f.file), tests: first.totals.tests };
  console.log(`keel test db benchmark: examples/${opt.example}, ${files.length} suite file(s), ${first.totals.tests} tests`);
  console.log(
    `${machine.date}  ${machine.cpu}, ${machine.cores} cores  Node ${machine.node}, PGlite ${machine.pglite}; load ${machine.loadAverageAtStart.join(' ')}\n`,
  );

  const phases = {};
  const embedded = [
    keelCli('embedded: keel test db (CLI wall: reset + pgTAP + helpers + suites)', dir, [], phases),
    keelCli('embedded: keel test db --no-reset (CLI wall)', dir, ['--no-reset'], phases),
  ];
  Object.assign(out.series, await measureRounds(embedded, rounds));
  for (const s of embedded) out.comparisons.push(compare(s.name, out.series[s.name], undefined, undefined));

  const pgProve = findPgProve();
  console.log('\nlocal Postgres');
  server = await startLocalServer();
  out.machine.postgres = server.version;
  const admin = await adminClient(server.url);
  try {
    const db = await admin.fresh('test_db');
    // Build once with keel (migrations, roles, policies, seeds, pgTAP, helpers); both runners then use it as it is.
    const built = await testDb({ cwd: dir, dbUrl: db.url, yes: true, env: keelEnv() });
    if (!built.ok)
      throw new Error(`the ${opt.example} suites do not pass on Postgres: ${built.totals.passed} passed, ${built.totals.failed} failed`);
    const pg = [
      keelCli('postgres: keel test db --no-reset (CLI wall)', dir, ['--db-url', db.url, '--no-reset'], phases),
      {
        name: 'postgres: testDb({ noReset }) in-process (excl. Node start-up)',
        run: async () => (await timeIt(() => testDb({ cwd: dir, dbUrl: db.url, noReset: true, env: keelEnv() }))).seconds,
      },
      keelCli('postgres: keel test db (CLI wall: reset + pgTAP + helpers + suites)', dir, ['--db-url', db.url, '--yes'], phases),
      ...(pgProve
        ? [
            {
              name: 'postgres: pg_prove over the same files (wall)',
              run: async () => (await run(pgProve, ['-d', db.url, ...files], { env: psqlEnv(), cwd: dir })).seconds,
            },
          ]
        : []),
      keelCli(
        'postgres: keel test db --no-reset --isolate (CLI wall: each file rolled back)',
        dir,
        ['--db-url', db.url, '--no-reset', '--isolate'],
        phases,
      ),
    ];
    if (!pgProve) out.notes.push('pg_prove not found on PATH (Debian: libtap-parser-sourcehandler-pgtap-perl): the peer was not measured');
    Object.assign(out.series, await measureRounds(pg, rounds));
    const peer = pgProve ? out.series[pg[3].name] : undefined;
    out.comparisons.push(
      compare('postgres: keel test db --no-reset (CLI) vs pg_prove', out.series[pg[0].name], peer, { ratio: GOAL_RATIO }),
      compare('postgres: testDb in-process vs pg_prove', out.series[pg[1].name], peer, undefined),
    );
    for (const [name, list] of Object.entries(phases)) out.phases[name] = phaseSummary(list);
    const runPhase = out.phases[pg[0].name]?.test;
    if (runPhase && peer) {
      out.comparisons.push(
        compare('postgres: the suites alone (keel testMs, --no-reset) vs pg_prove wall', { median: runPhase.median }, peer, undefined),
      );
    }
    out.comparisons.push(compare('postgres: keel test db with reset (CLI)', out.series[pg[2].name], peer, undefined));
    out.comparisons.push(
      compare('postgres: keel test db --no-reset --isolate (CLI) vs pg_prove', out.series[pg[pg.length - 1].name], peer, undefined),
    );

    // Scaling: the same suites `copies` times over, on the same database.
    const copies = Number(opt.copies);
    if (pgProve && copies > 1) {
      const many = path.join(tmp, 'many');
      fs.cpSync(dir, many, { recursive: true, filter: (src) => path.basename(src) !== '.keel' });
      const testsDir = path.join(many, 'supabase', 'tests');
      for (const f of files) {
        const base = path.basename(f);
        for (let i = 2; i <= copies; i++)
          fs.copyFileSync(f, path.join(testsDir, `${base.replace(/\.(sql|pg)$/, '')}_copy${String(i).padStart(2, '0')}.sql`));
      }
      const manyFiles = fs
        .readdirSync(testsDir)
        .filter((f) => /\.(sql|pg)$/.test(f))
        .sort()
        .map((f) => path.join(testsDir, f));
      out.config.scaling = { copies, files: manyFiles.length };
      console.log(`\nscaling: ${manyFiles.length} suite files (${copies} copies of each)`);
      const scaled = [
        keelCli(`postgres ×${copies}: keel test db --no-reset (CLI wall)`, many, ['--db-url', db.url, '--no-reset'], phases),
        {
          name: `postgres ×${copies}: pg_prove (wall)`,
          run: async () => (await run(pgProve, ['-d', db.url, ...manyFiles], { env: psqlEnv(), cwd: many })).seconds,
        },
      ];
      Object.assign(out.series, await measureRounds(scaled, rounds));
      out.comparisons.push(
        compare(
          `postgres ×${copies} files: keel test db --no-reset (CLI) vs pg_prove`,
          out.series[scaled[0].name],
          out.series[scaled[1].name],
          undefined,
        ),
      );
      out.phases[scaled[0].name] = phaseSummary(phases[scaled[0].name]);
    }
    await admin.drop(db);
  } finally {
    await admin.close();
  }

  out.machine.loadAverageAtEnd = loadAverage();
  console.log('\nper series (seconds)');
  console.log(seriesTable(out.series));
  console.log('\nbuild and run phases as keel reports them (--json buildMs / testMs, medians in seconds)');
  for (const [name, p] of Object.entries(out.phases))
    console.log(`  ${name}: build ${p.build.median.toFixed(3)}, suites ${p.test.median.toFixed(3)}`);
  console.log('\nsummary');
  console.log(comparisonTable(out.comparisons));
  out.notes.push(
    'keel test db: one process; discovers and splits the suites (split cache), opens the engine, builds the database once (reset unless --no-reset), installs pgTAP and the helpers if missing, runs each file statement by statement in a fresh session as pg_prove does (a new connection per file on Postgres; on PGlite its one session reset between files), or with --isolate in a transaction rolled back; CLI times include Node start-up',
    'pg_prove: Perl, one psql process per file (each a new connection and session), on the same database keel built',
  );
  for (const note of out.notes) console.log(`- ${note}`);
  writeJson(RESULTS, out);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
} catch (err) {
  console.error(`\nbenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await server?.stop().catch(() => undefined);
  removeTmp();
}
