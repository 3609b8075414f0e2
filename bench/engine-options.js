#!/usr/bin/env node
/**
 * Issue 13's engine decision, measured side by side in one run: what a whole `keel status` and `keel db reset --yes`
 * process costs on examples/ai-workflow-builder
 *   - embedded PGlite, cold (every process opens the data dir itself: today's default),
 *   - embedded PGlite through a warm engine host (`keel db start`), each run after the host has settled (its standby
 *     PGlite for the next reset opened),
 *   - a native local server (real PostgreSQL from this machine's binaries, kept running; Keel connects by URL),
 * plus the local server's own start-up (initdb once, then a start on an existing data dir) and each client's peak RSS;
 * and `keel lint` (which builds the project in a throwaway database) with `--no-cache` and on unchanged files.
 * Medians of --runs whole-process runs; for the host and the local server each run starts once the background work of
 * the one before (the host's standby; the keeper's drop of the replaced database and its spare copy) has settled.
 * Writes bench/results/engine-options.json.
 *
 *   npm run build && node bench/engine-options.js [--runs 5]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLocalServer } from '../dist/index.js';
import { copyFixture, REPO } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { summarise } from './lib/measure.js';
import { table, writeJson } from './lib/report.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(opt.runs);
const KEEL = path.join(REPO, 'bin/keel.js');
const RESULTS = path.join(REPO, 'bench/results/engine-options.json');

/** Runs `node bin/keel.js …args`; resolves with wall seconds and the child's peak RSS (MB, from /proc while it runs). */
function keel(args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [KEEL, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* gone */
      }
    }, 5);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`keel ${args.join(' ')} exited ${code}: ${stderr.slice(-600)}`));
      else resolve({ seconds, rssMb: peak });
    });
  });
}

/** `between` runs untimed before each run (the engine host: wait until its background work after a reset is done). */
async function series(name, args, env, between = async () => undefined) {
  await keel(args, env); // warm-up: caches, page cache, a data dir that exists
  const wall = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    await between();
    const r = await keel(args, env);
    wall.push(r.seconds);
    rss.push(r.rssMb);
  }
  const s = summarise(wall);
  console.log(
    `  ${name}: ${s.median.toFixed(3)} s median (${s.min.toFixed(3)}–${s.max.toFixed(3)}), peak RSS ${Math.max(...rss).toFixed(0)} MB`,
  );
  return { name, ...s, rssMb: Math.max(...rss) };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-engine-options-'));
fs.chmodSync(tmp, 0o755); // as root, the local server runs as another user, who must reach its data dir
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');
const out = { machine: machineFacts(), runs: RUNS, fixture: 'examples/ai-workflow-builder', rows: [], server: {}, notes: [] };
let server;
let host;
let stopProject;
try {
  const dir = copyFixture(path.join(tmp, 'project'));
  const env = keelEnv({ KEEL_ENGINE_HOST: 'off' });
  console.log(`engine options on ${out.fixture} (${RUNS} runs each, load ${loadAverage()})`);
  await keel(['db', 'reset', '--yes', '--cwd', dir], env);

  console.log('embedded PGlite, cold (each process opens the data dir):');
  out.rows.push({ engine: 'pglite cold', ...(await series('status', ['status', '--cwd', dir], env)) });
  out.rows.push({ engine: 'pglite cold', ...(await series('db reset', ['db', 'reset', '--yes', '--cwd', dir], env)) });
  // lint builds the project in memory; `--no-cache` every time, or the build kept from the last run of the same files
  out.rows.push({ engine: 'pglite cold', ...(await series('lint (build)', ['lint', '--no-cache', '--cwd', dir], env)) });
  out.rows.push({ engine: 'pglite cold', ...(await series('lint (unchanged files)', ['lint', '--cwd', dir], env)) });

  const hostModule = path.join(REPO, 'dist/db/pglite/host/index.js');
  if (fs.existsSync(hostModule)) {
    const { engineHostSettled, startEngineHost, stopEngineHost } = await import(hostModule);
    const dataDir = path.join(dir, 'supabase/.keel/pglite');
    const t0 = performance.now();
    host = { stop: () => stopEngineHost(dataDir) };
    await startEngineHost(dataDir);
    out.server.hostStartS = (performance.now() - t0) / 1000;
    console.log(`embedded PGlite through the engine host (started in ${out.server.hostStartS.toFixed(2)} s):`);
    const warm = keelEnv();
    out.rows.push({ engine: 'pglite host', ...(await series('status', ['status', '--cwd', dir], warm, () => engineHostSettled(dataDir))) });
    const settled = () => engineHostSettled(dataDir);
    out.rows.push({ engine: 'pglite host', ...(await series('db reset', ['db', 'reset', '--yes', '--cwd', dir], warm, settled)) });
    await host.stop();
    host = undefined;
  } else {
    out.notes.push('engine host not built (dist/db/pglite/host): not measured');
  }

  const dataDir = path.join(tmp, 'local-server');
  let t0 = performance.now();
  server = await startLocalServer({ dataDir });
  out.server.initAndStartS = (performance.now() - t0) / 1000;
  await server.stop();
  const starts = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    server = await startLocalServer({ dataDir });
    starts.push((performance.now() - t0) / 1000);
    if (i < RUNS - 1) await server.stop();
  }
  out.server.startS = summarise(starts).median;
  out.server.version = server.version;
  out.server.binDir = server.binDir;
  console.log(
    `local server: PostgreSQL ${server.version} (${server.binDir}); initdb + start ${out.server.initAndStartS.toFixed(2)} s, start on an existing data dir ${out.server.startS.toFixed(3)} s median`,
  );
  await server.stop();
  server = undefined;
  // the project's own server as a user gets it: [db] engine = "local-server" (the keeper, the shim template)
  const local = keelEnv({ KEEL_ENGINE_HOST: 'off', KEEL_DB_ENGINE: 'local-server' });
  await keel(['db', 'start', '--cwd', dir], local);
  stopProject = () => keel(['db', 'stop', '--cwd', dir], local);
  out.rows.push({ engine: 'local server', ...(await series('status', ['status', '--cwd', dir], local)) });
  // as for the engine host: each run after the background work of the one before has settled (the keeper dropping the
  // replaced database and making the next spare copy of the shim template, a few hundred ms after a reset)
  const keeperSettled = async () => {
    const { url } = JSON.parse(fs.readFileSync(path.join(dir, 'supabase/.keel/postgres.json'), 'utf8'));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let i = 0; i < 200; i++) {
        const { rows } = await client.query(
          `select count(*) filter (where datname like 'keel\\_spare\\_%')::int as spare,
                  count(*) filter (where strpos(datname, '_keel_old_') > 0)::int as old from pg_database`,
        );
        if (rows[0].spare > 0 && rows[0].old === 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await client.end();
    }
  };
  out.rows.push({ engine: 'local server', ...(await series('db reset', ['db', 'reset', '--yes', '--cwd', dir], local, keeperSettled)) });
  out.rows.push({ engine: 'local server', ...(await series('lint (build)', ['lint', '--no-cache', '--cwd', dir], local)) });
  out.rows.push({ engine: 'local server', ...(await series('lint (unchanged files)', ['lint', '--cwd', dir], local)) });

  const cold = (cmd) => out.rows.find((r) => r.engine === 'pglite cold' && r.name === cmd)?.median ?? NaN;
  console.log(
    `\n${table(
      ['engine', 'command', 'median s', 'vs pglite cold', 'client peak RSS MB'],
      out.rows.map((r) => [r.engine, r.name, r.median.toFixed(3), `${(r.median / cold(r.name)).toFixed(2)}×`, r.rssMb.toFixed(0)]),
    )}`,
  );
  writeJson(RESULTS, out);
  console.log(`wrote ${path.relative(REPO, RESULTS)}`);
} finally {
  await host?.stop().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await stopProject?.().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}
