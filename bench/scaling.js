#!/usr/bin/env node
/**
 * Scaling series (issue 13 §4): a generated project (bench/lib/scale-project.js) at 1×, 10× and 100× the largest
 * example, each command timed as a CLI process (`node bin/keel.js …`) on embedded PGlite and on a real Postgres:
 * `db reset`, `db migrate` of one new pending file, `lint --database`, `gen types`, `db validate`, `db backup`,
 * `test rls --no-reset`. Reports each step's growth (time at 10× / 1×, 100× / 10×): about linear is ≈ 10×.
 *
 *   npm run build && node bench/scaling.js [--max 10] [--pglite-max N] [--runs 3] [--runs-top 1] [--no-pglite] [--no-postgres]
 *
 * `--max 100` adds the 100× project (1,000 migrations, 1,400 tables, 1,000,000 seed rows; about 20 minutes on 2 cores);
 * the default stops at 10× to stay within about 5 minutes. Writes bench/results/scaling.json and a log-log plot, one
 * line per command per engine, to --svg (default bench/results/scaling.svg; docs/scaling.svg is the 100× run's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalServer } from '../dist/index.js';
import { REPO } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { summarise } from './lib/measure.js';
import { adminClient } from './lib/postgres.js';
import { table, writeJson } from './lib/report.js';
import { UNIT, writeScaleProject } from './lib/scale-project.js';
import { keelEnv } from './lib/scenarios.js';
import { scalingSvg } from './lib/scaling-svg.js';
import { spawn } from 'node:child_process';

const { values: opt } = parseArgs({
  options: {
    max: { type: 'string', default: '10' },
    'pglite-max': { type: 'string' },
    runs: { type: 'string', default: '3' },
    'runs-top': { type: 'string', default: '1' },
    'no-pglite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    svg: { type: 'string', default: path.join(REPO, 'bench/results/scaling.svg') },
  },
});
const SIZES = [1, 10, 100].filter((s) => s <= Number(opt.max));
const RESULTS = path.join(REPO, 'bench/results/scaling.json');
const KEEL_BIN = path.join(REPO, 'bin/keel.js');
const STEPS = ['db reset', 'db migrate (1 pending)', 'lint --database', 'gen types', 'db validate', 'db backup', 'test rls --no-reset'];
const GOAL_MIGRATE_S = 0.5;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-scaling-'));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (removeTmp(), process.exit(130)));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache'); // the PGlite template and the split cache stay in the temp dir

/**
 * One CLI run, timed from spawn to exit. Exit 1 is accepted where the command reports findings (lint, validate) as long
 * as its `--json` document is not an error; anything else non-zero stops the bench.
 */
function keel(args, { findings = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [KEEL_BIN, ...args, '--json'], { env: keelEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      let doc;
      try {
        doc = JSON.parse(Buffer.concat(out).toString('utf8'));
      } catch {
        doc = undefined;
      }
      if (code === 0 || (code === 1 && findings && doc && !doc.error)) return resolve(seconds);
      const why = doc?.error ? `${doc.error.code}: ${doc.error.message}` : err.trim().split('\n').slice(-10).join('\n');
      reject(new Error(`keel ${args.join(' ')} exited with ${code}:\n${why}`));
    });
  });
}

/** The seven steps on one project and one target; `target` is [] (embedded) or ['--db-url', url]. */
async function measureSize(dir, facts, target, runs, label) {
  const at = ['--cwd', dir, ...target];
  const steps = {
    'db reset': () => keel(['db', 'reset', '--yes', ...at]),
    'db migrate (1 pending)': () => {
      const v = facts.nextVersion();
      fs.writeFileSync(
        path.join(dir, 'supabase/migrations', `${v}_create_probe_${v}.sql`),
        `create table public.probe_${v} (id bigint primary key, note text not null);\nalter table public.probe_${v} enable row level security;\n`,
      );
      return keel(['db', 'migrate', ...at]);
    },
    'lint --database': () => keel(['lint', '--database', ...at], { findings: true }),
    'gen types': () => keel(['gen', 'types', '--output', path.join(tmp, 'types'), ...at]),
    'db validate': () => keel(['db', 'validate', ...at], { findings: true }),
    'db backup': async () => {
      const out = path.join(tmp, 'backup');
      fs.rmSync(out, { recursive: true, force: true });
      const s = await keel(['db', 'backup', '--output', out, ...at]);
      fs.rmSync(out, { recursive: true, force: true });
      return s;
    },
    'test rls --no-reset': () => keel(['test', 'rls', '--no-reset', ...at]),
  };
  const result = {};
  // Reset first (the other steps need its database), then the rest; each step `runs` times in a row.
  for (const step of STEPS) {
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(await steps[step]());
    result[step] = summarise(samples);
    console.log(`  ${label} ${step}: ${samples.map((s) => s.toFixed(2)).join(', ')} s`);
  }
  return result;
}

const growth = (a, b) => (a && b ? b.median / a.median : undefined);
/** "about linear": growth per 10× step between 3× and 13× (fixed costs make small sizes grow less than 10×). */
const verdict = (g) => (g === undefined ? '—' : g > 13 ? 'SUPER-LINEAR' : g >= 3 ? 'about linear' : 'sub-linear (fixed costs)');

const machine = machineFacts();
const out = {
  machine,
  config: { sizes: SIZES, runs: Number(opt.runs), runsTop: Number(opt['runs-top']), unit: UNIT },
  projects: {},
  engines: {},
};
let server;
let admin;
const dbs = [];
try {
  console.log(`keel scaling bench: sizes ${SIZES.map((s) => `${s}×`).join(', ')} of one unit (${JSON.stringify(UNIT)})`);
  console.log(`${machine.date}  ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB  ${machine.os}`);
  console.log(
    `Node ${machine.node}, PGlite ${machine.pglite}, keel ${machine.commit ?? '?'}; load average ${machine.loadAverageAtStart.join(' ')}\n`,
  );
  const engines = [];
  if (!opt['no-pglite']) engines.push('pglite');
  if (!opt['no-postgres']) {
    try {
      server = await startLocalServer();
      admin = await adminClient(server.url);
      out.machine.postgres = (await admin.client.query('select version() as v')).rows[0].v;
      console.log(`postgres: ${out.machine.postgres} (fsync=off, synchronous_commit=off: startLocalServer's throwaway settings)\n`);
      engines.push('postgres');
    } catch (err) {
      console.log(`could not start a local Postgres, skipped: ${err.message.split('\n')[0]}`);
    }
  }
  // Untimed: the first embedded reset builds PGlite's template in the cache dir; no size should pay for that.
  if (engines.includes('pglite')) {
    const warm = path.join(tmp, 'warm-up');
    writeScaleProject(warm, 1);
    await keel(['db', 'reset', '--yes', '--cwd', warm]);
    fs.rmSync(warm, { recursive: true, force: true });
  }
  for (const size of SIZES) {
    const runs = size === SIZES[SIZES.length - 1] && size >= 100 ? Number(opt['runs-top']) : Number(opt.runs);
    for (const engine of engines) {
      if (engine === 'pglite' && opt['pglite-max'] !== undefined && size > Number(opt['pglite-max'])) continue;
      const dir = path.join(tmp, `${engine}-${size}x`);
      const facts = writeScaleProject(dir, size);
      const { nextVersion: _, ...shape } = facts;
      out.projects[`${size}x`] = shape;
      console.log(
        `${size}× on ${engine}: ${facts.migrations} migrations, ${facts.tables} tables, ${facts.functions} functions, ${facts.policies} policies in ${facts.policyFiles} files, ${facts.seedRows} seed rows, ${facts.rlsTables} tables in rls.yaml (${runs} run${runs > 1 ? 's' : ''} per step)`,
      );
      let target = [];
      if (engine === 'postgres') {
        const db = await admin.fresh(`scaling_${size}x`);
        dbs.push(db);
        target = ['--db-url', db.url];
      }
      (out.engines[engine] ??= {})[`${size}x`] = await measureSize(dir, facts, target, runs, `${engine} ${size}×`);
      if (engine === 'postgres') await admin.drop(dbs.pop());
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const rows = [];
  out.growth = {};
  for (const engine of Object.keys(out.engines)) {
    for (const step of STEPS) {
      const at = SIZES.map((s) => out.engines[engine][`${s}x`]?.[step]);
      const g = at.slice(1).map((b, i) => growth(at[i], b));
      out.growth[`${engine}: ${step}`] = g;
      rows.push([
        engine,
        step,
        ...at.map((m) => (m ? m.median.toFixed(2) : '—')),
        ...g.map((x) => `${x?.toFixed(1) ?? '—'}× ${verdict(x)}`),
      ]);
    }
  }
  const header = ['engine', 'step', ...SIZES.map((s) => `${s}× (s)`), ...SIZES.slice(1).map((s, i) => `${s}×/${SIZES[i]}×`)];
  console.log(`\nmedian seconds per step (whole CLI process), growth per 10× step\n${table(header, rows)}`);
  out.table = { header, rows };
  const top = SIZES[SIZES.length - 1];
  const mig = out.engines.postgres?.[`${top}x`]?.['db migrate (1 pending)'];
  if (mig) {
    out.goal = {
      measure: `postgres: db migrate of 1 pending file at ${top}× (${out.projects[`${top}x`].migrations} files)`,
      seconds: mig.median,
      goal: GOAL_MIGRATE_S,
      met: mig.median <= GOAL_MIGRATE_S,
    };
    console.log(
      `\n${out.goal.measure}: ${mig.median.toFixed(3)} s (goal ≤ ${GOAL_MIGRATE_S} s at 100×: ${out.goal.met ? 'met' : 'NOT met'})`,
    );
  }
  out.machine.loadAverageAtEnd = loadAverage();
  console.log(
    `load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${out.machine.loadAverageAtEnd.join(' ')} on ${machine.cores} cores`,
  );
  writeJson(RESULTS, out);
  console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
  if (opt.svg && SIZES.length > 1) {
    fs.writeFileSync(opt.svg, scalingSvg(out, STEPS, SIZES));
    console.log(`wrote ${path.relative(process.cwd(), opt.svg)}`);
  }
} catch (err) {
  console.error(`\nbenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  for (const db of dbs) await admin?.drop(db).catch(() => undefined);
  await admin?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  removeTmp();
}
