#!/usr/bin/env node
/**
 * `npm run bench` (part 2): `keel lint` over a generated 100-table project, on embedded PGlite and on a local
 * Postgres, against splinter — the Supabase CLI's `supabase db advisors` — on the same database in the same run.
 * Prints times and ratios; writes bench/results/lint.json.
 *
 *   node bench/lint.js [--runs 5] [--warmup 1] [--tables 100]
 *
 * Goal (issue 5): lint over a 100-table schema ≤ 1 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lint, reset, startLocalServer } from '../dist/index.js';
import { REPO } from './lib/fixture.js';
import { writeLintProject } from './lib/lint-schema.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { measureRounds, timeIt } from './lib/measure.js';
import { adminClient } from './lib/postgres.js';
import { compare, comparisonTable, seriesTable, writeJson } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, tables: { type: 'string', default: '100' } },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const GOAL_S = 1.0;
const RESULTS = path.join(REPO, 'bench/results/lint.json');
const KEEL_BIN = path.join(REPO, 'bin/keel.js');
const SUPABASE_BIN = path.join(REPO, `node_modules/@supabase/cli-${process.platform}-${process.arch}/bin/supabase`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-lint-'));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (removeTmp(), process.exit(130)));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');

/** Spawns a command; exit 0 or 1 (findings) both count as a run. Resolves to { seconds, stdout }. */
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
      if (code === 0 || code === 1) resolve({ seconds, stdout, code });
      else
        reject(
          new Error(
            `${path.basename(cmd)} ${args.slice(0, 3).join(' ')} exited with ${code}:\n${stderr.trim().split('\n').slice(-10).join('\n')}`,
          ),
        );
    });
  });
}

const machine = machineFacts();
const out = { machine, config: { runs: rounds.runs, warmup: rounds.warmup }, series: {}, comparisons: [], findings: {}, notes: [] };
let server;
try {
  const dir = path.join(tmp, 'project');
  const shape = writeLintProject(dir, Number(opt.tables));
  out.config.project = shape;
  console.log(`keel lint benchmark: generated project, ${shape.tables} tables in ${shape.files} migrations + policies/rls.sql`);
  console.log(
    `${machine.date}  ${machine.cpu}, ${machine.cores} cores  Node ${machine.node}, PGlite ${machine.pglite}; load ${machine.loadAverageAtStart.join(' ')}\n`,
  );

  // Embedded: the project's data dir is built once (untimed); lint reads it as it is.
  await reset({ cwd: dir, yes: true, env: keelEnv() });
  const embedded = [
    {
      name: 'embedded: keel lint --database (CLI wall)',
      run: async () => (await run(process.execPath, [KEEL_BIN, 'lint', '--database', '--cwd', dir, '--json'], { env: keelEnv() })).seconds,
    },
    {
      name: 'embedded: lint({ database }) in-process',
      run: async () => (await timeIt(() => lint({ cwd: dir, database: true, env: keelEnv() }))).seconds,
    },
    {
      name: 'embedded: keel lint, project built in memory (CLI wall)',
      run: async () => (await run(process.execPath, [KEEL_BIN, 'lint', '--cwd', dir, '--json'], { env: keelEnv() })).seconds,
    },
  ];
  Object.assign(out.series, await measureRounds(embedded, rounds));
  const [embCli, embLib, embProject] = embedded.map((s) => out.series[s.name]);
  out.comparisons.push(
    compare(embedded[0].name, embCli, undefined, { seconds: GOAL_S }),
    compare(embedded[1].name, embLib, undefined, { seconds: GOAL_S }),
    compare(embedded[2].name, embProject, undefined, undefined),
  );
  const embReport = await lint({ cwd: dir, database: true, env: keelEnv() });
  out.findings.keelEmbedded = countBy(embReport.findings.map((f) => f.rule));

  console.log('\nlocal Postgres');
  server = await startLocalServer();
  const admin = await adminClient(server.url);
  try {
    const db = await admin.fresh('lint_bench');
    await reset({ cwd: dir, dbUrl: db.url, yes: true, env: keelEnv() });
    const hasPeer = fs.existsSync(SUPABASE_BIN);
    const home = path.join(tmp, 'supabase-home');
    fs.mkdirSync(home, { recursive: true });
    const peerEnv = { ...keelEnv(), HOME: home, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
    const advisors = () =>
      run(SUPABASE_BIN, ['db', 'advisors', `--remote=${db.url}`, '--type', 'all', '--level', 'info', '--output-format', 'json'], {
        env: peerEnv,
        cwd: dir,
      });
    const pg = [
      {
        name: 'postgres: keel lint --db-url (CLI wall)',
        run: async () =>
          (await run(process.execPath, [KEEL_BIN, 'lint', '--cwd', dir, '--db-url', db.url, '--json'], { env: keelEnv() })).seconds,
      },
      {
        name: 'postgres: lint({ dbUrl }) in-process',
        run: async () => (await timeIt(() => lint({ cwd: dir, dbUrl: db.url, env: keelEnv() }))).seconds,
      },
      ...(hasPeer
        ? [
            {
              name: 'postgres: splinter, supabase db advisors --type all --level info (CLI wall)',
              run: async () => (await advisors()).seconds,
            },
          ]
        : []),
    ];
    if (!hasPeer)
      out.notes.push(`Supabase CLI binary not found at ${path.relative(REPO, SUPABASE_BIN)}: the splinter peer was not measured`);
    Object.assign(out.series, await measureRounds(pg, rounds));
    const [pgCli, pgLib, peer] = pg.map((s) => out.series[s.name]);
    out.comparisons.push(
      compare('postgres: keel lint (CLI) vs supabase db advisors (CLI)', pgCli, peer, { seconds: GOAL_S }),
      compare(pg[1].name, pgLib, peer, { seconds: GOAL_S }),
    );
    const pgReport = await lint({ cwd: dir, dbUrl: db.url, env: keelEnv() });
    out.findings.keelPostgres = countBy(pgReport.findings.map((f) => f.rule));
    if (hasPeer) out.findings.splinter = countBy(JSON.parse((await advisors()).stdout).results.map((r) => r.name));
    await admin.drop(db);
  } finally {
    await admin.close();
  }

  out.machine.loadAverageAtEnd = loadAverage();
  console.log('\nper series (seconds)');
  console.log(seriesTable(out.series));
  console.log('\nsummary');
  console.log(comparisonTable(out.comparisons));
  console.log('\nfindings per rule (keel on PGlite | keel on Postgres | splinter)');
  const rules = [...new Set(Object.values(out.findings).flatMap((c) => Object.keys(c)))].sort();
  for (const r of rules)
    console.log(
      `  ${r.padEnd(44)} ${String(out.findings.keelEmbedded?.[r] ?? 0).padStart(4)} ${String(out.findings.keelPostgres?.[r] ?? 0).padStart(4)} ${String(out.findings.splinter?.[r] ?? '—').padStart(4)}`,
    );
  out.notes.push(
    'keel lint: reads the whole catalog in one snapshot, parses every policy expression and function body, runs catalog, SQL, convention and migration rules; CLI times include Node start-up',
    "supabase db advisors: the Supabase CLI (Go binary) running splinter's lint queries on the same database",
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

function countBy(list) {
  const c = {};
  for (const x of list) c[x] = (c[x] ?? 0) + 1;
  return c;
}
