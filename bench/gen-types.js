#!/usr/bin/env node
/**
 * Type generation benchmark: Keel's supabase-js types (catalog + the CLI's typegen facts + render: generateSupabaseTypes, as keel gen types runs it) against
 * `supabase gen types typescript --remote=<url>` (npm `supabase`, v3), on the largest example
 * (examples/ai-workflow-builder) reset on the same Postgres. Not run in CI.
 *
 *   npm run build && node bench/gen-types.js [--db-url <postgres-url>] [--runs 7] [--warmup 1]
 *
 * Without --db-url a throwaway local server is started (startLocalServer). Series, interleaved each round:
 * - keel in-process: openEngine + generateSupabaseTypes + close (what a long-lived `keel` process or library pays);
 * - keel process: a fresh `node` process doing the same (what `keel gen types` on a command line pays);
 * - supabase CLI: the binary, one process per run (its own launch included).
 * Goal (issue 4): ≤ 0.5× the CLI's time.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openEngine, reset, startLocalServer } from '../dist/index.js';
import { generateSupabaseTypes } from '../dist/features/typegen/supabase-js-read.js';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'ai-workflow-builder';
const GOAL = 0.5;

const { values: opt } = parseArgs({
  options: { 'db-url': { type: 'string' }, runs: { type: 'string', default: '7' }, warmup: { type: 'string', default: '1' } },
});
const runs = Number(opt.runs);
const warmup = Number(opt.warmup);

function supabaseBin() {
  if (process.env.KEEL_SUPABASE_CLI) return process.env.KEEL_SUPABASE_CLI;
  const require = createRequire(path.join(REPO, 'package.json'));
  const fromPkg = createRequire(require.resolve('supabase/package.json'));
  const arch = { x64: 'x64', arm64: 'arm64' }[os.arch()];
  const plat = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform];
  const dir = path.dirname(fromPkg.resolve(`@supabase/cli-${plat}-${arch}/package.json`));
  return path.join(dir, 'bin', process.platform === 'win32' ? 'supabase.exe' : 'supabase');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-gentypes-'));
let server;
let dbName;
let adminUrl;
try {
  if (opt['db-url']) adminUrl = opt['db-url'];
  else {
    server = await startLocalServer();
    adminUrl = server.url;
  }
  dbName = `keel_bench_gentypes_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName}`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();

  const project = path.join(tmp, 'project');
  fs.cpSync(path.join(REPO, 'examples', EXAMPLE, 'supabase'), path.join(project, 'supabase'), {
    recursive: true,
    filter: (s) => !s.includes(`${path.sep}.keel`),
  });
  await reset({ cwd: project, dbUrl, yes: true, env: {} });
  const workdir = path.join(tmp, 'cli');
  fs.mkdirSync(path.join(workdir, 'supabase'), { recursive: true });
  fs.writeFileSync(path.join(workdir, 'supabase', 'config.toml'), 'project_id = "keel-bench"\n');
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  const cliEnv = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    PGSSLMODE: 'disable',
    SUPABASE_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
  };
  const bin = supabaseBin();
  const version = (await run(bin, ['--version'], { env: cliEnv })).stdout.trim();

  const keelScript = path.join(tmp, 'keel-gen.mjs');
  fs.writeFileSync(
    keelScript,
    `import { openEngine } from ${JSON.stringify(path.join(REPO, 'dist/index.js'))};
import { generateSupabaseTypes } from ${JSON.stringify(path.join(REPO, 'dist/features/typegen/supabase-js-read.js'))};
const engine = await openEngine({ kind: 'postgres', url: process.argv[2] });
const text = await generateSupabaseTypes(engine, ['public']);
await engine.close();
process.stdout.write(text);
`,
  );

  const series = {
    'keel in-process (open + catalog and typegen facts + render)': async () => {
      const engine = await openEngine({ kind: 'postgres', url: dbUrl });
      const text = await generateSupabaseTypes(engine, ['public']);
      await engine.close();
      return text.length;
    },
    'keel process (node + the same)': async () => (await run(process.execPath, [keelScript, dbUrl], { maxBuffer: 1 << 24 })).stdout.length,
    [`supabase CLI ${version} gen types`]: async () =>
      (
        await run(bin, ['gen', 'types', 'typescript', `--remote=${dbUrl}`, '--schema', 'public', '--workdir', workdir, '--agent', 'no'], {
          env: cliEnv,
          cwd: workdir,
          maxBuffer: 1 << 24,
        })
      ).stdout.length,
  };
  const names = Object.keys(series);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  console.log(
    `gen types benchmark: examples/${EXAMPLE} on ${server ? `local Postgres ${server.version}` : 'the given server'}; ${warmup} warm-up + ${runs} runs, interleaved`,
  );
  for (let round = 0; round < warmup + runs; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const t0 = performance.now();
      await series[name]();
      const ms = performance.now() - t0;
      if (round >= warmup) times[name].push(ms);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const med = Object.fromEntries(names.map((n) => [n, median(times[n])]));
  for (const n of names)
    console.log(
      `  ${n.padEnd(48)} median ${med[n].toFixed(1).padStart(8)} ms   min ${Math.min(...times[n])
        .toFixed(1)
        .padStart(8)} ms`,
    );
  const cliMs = med[names[2]];
  const inProc = med[names[0]] / cliMs;
  const proc = med[names[1]] / cliMs;
  console.log(
    `  ratio keel in-process / CLI: ${inProc.toFixed(3)}×   keel process / CLI: ${proc.toFixed(3)}×   (goal ≤ ${GOAL}×: ${proc <= GOAL ? 'met' : 'NOT met'})`,
  );
} finally {
  if (adminUrl && dbName) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect().then(
      () => admin.query(`drop database if exists ${dbName} with (force)`).finally(() => admin.end()),
      () => undefined,
    );
  }
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
