#!/usr/bin/env node
/**
 * The warm embedded engine (issue 13 §1), measured: whole `keel status` and `keel db reset --yes` processes on a copy of
 * examples/ai-workflow-builder, cold (no engine host: each process opens PGlite itself) against warm (an engine host
 * serving the data dir), medians of --runs runs after one warm-up each, with the client process's peak RSS (VmHWM,
 * polled from /proc) and the host's own. Writes bench/results/engine-host.json.
 *
 *   npm run build && node bench/engine-host.js [--runs 5]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { engineHostSettled, engineHostStatus, startEngineHost, stopEngineHost } from '../dist/db/pglite/host/index.js';
import { copyFixture, REPO } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { summarise } from './lib/measure.js';
import { table, writeJson } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(opt.runs);
const KEEL = path.join(REPO, 'bin/keel.js');
const RESULTS = path.join(REPO, 'bench/results/engine-host.json');

function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `node bin/keel.js …args`; resolves with wall seconds and the child's peak RSS in MB. */
function keel(args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [KEEL, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const poll = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid))), 5);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`keel ${args.join(' ')} exited ${code}: ${stderr.slice(-600)}`));
      else resolve({ seconds, rssMb: peak });
    });
  });
}

/** `before` runs (untimed) before each run: a warm series waits for the host to settle when asked to. */
async function series(mode, name, args, env, before = async () => undefined) {
  await keel(args, env); // warm-up: page cache, the spare data dir, the host's first queries
  const wall = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    await before();
    const r = await keel(args, env);
    wall.push(r.seconds);
    rss.push(r.rssMb);
  }
  const s = summarise(wall);
  const row = { mode, command: name, ...s, samples: wall, clientPeakRssMb: Math.max(...rss) };
  console.log(
    `  ${mode} ${name}: ${s.median.toFixed(3)} s median (${s.min.toFixed(3)}–${s.max.toFixed(3)}), client peak RSS ${row.clientPeakRssMb.toFixed(0)} MB`,
  );
  return row;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-engine-host-'));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');
const out = {
  date: new Date().toISOString(),
  machine: machineFacts(),
  runs: RUNS,
  fixture: 'examples/ai-workflow-builder (a copy)',
  rows: [],
  host: {},
};
let dataDir;
try {
  const dir = copyFixture(path.join(tmp, 'project'));
  dataDir = path.join(dir, 'supabase/.keel/pglite');
  const env = keelEnv({ KEEL_ENGINE_HOST: 'off' });
  console.log(`engine host on ${out.fixture} (${RUNS} runs each, load ${loadAverage()})`);
  await keel(['db', 'reset', '--yes', '--cwd', dir], env); // the data dir and the template caches exist from here on

  const status = ['status', '--cwd', dir];
  const reset = ['db', 'reset', '--yes', '--cwd', dir];
  out.rows.push(await series('cold', 'status', status, env));
  out.rows.push(await series('cold', 'db reset', reset, env));

  const t0 = performance.now();
  const started = await startEngineHost(dataDir);
  out.host.startS = (performance.now() - t0) / 1000;
  console.log(`engine host started in ${out.host.startS.toFixed(2)} s (pid ${started.pid})`);
  const warm = keelEnv();
  out.rows.push(await series('warm', 'status', status, warm));
  // back to back: each reset starts while the host is still reopening after the previous one
  out.rows.push(await series('warm', 'db reset', reset, warm));
  // as a user runs it: the host has reopened and has the next reset's standby ready (waiting for it is not timed)
  out.rows.push(await series('warm, settled', 'db reset', reset, warm, () => engineHostSettled(dataDir)));
  out.rows.push(await series('warm, settled', 'status', status, warm, () => engineHostSettled(dataDir)));
  const after = await engineHostStatus(dataDir);
  if (after?.pid !== started.pid) throw new Error('the engine host did not serve every warm run');
  out.host.peakRssMb = peakRssMb(started.pid);

  const cold = (cmd) => out.rows.find((r) => r.mode === 'cold' && r.command === cmd);
  for (const r of out.rows) r.vsCold = r.median / cold(r.command).median;
  console.log(
    `\n${table(
      ['command', 'mode', 'median s', 'vs cold', 'client peak RSS MB'],
      out.rows.map((r) => [r.command, r.mode, r.median.toFixed(3), `${r.vsCold.toFixed(2)}×`, r.clientPeakRssMb.toFixed(0)]),
    )}`,
  );
  console.log(`engine host: start ${out.host.startS.toFixed(2)} s, peak RSS ${out.host.peakRssMb.toFixed(0)} MB`);
  writeJson(RESULTS, out);
  console.log(`wrote ${path.relative(REPO, RESULTS)}`);
} finally {
  if (dataDir) await stopEngineHost(dataDir).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}
