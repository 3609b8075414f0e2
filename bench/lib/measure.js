/**
 * Timing helpers: run a function or a child process and return seconds; summarise samples.
 */
import { spawn } from 'node:child_process';

/** median, min, max and mean of samples in seconds. */
export function summarise(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { median, min: s[0], max: s[s.length - 1], mean, n: s.length, samples };
}

/** Wall time of `await fn()`, in seconds, plus what fn returned. */
export async function timeIt(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/**
 * Spawns `cmd args` and resolves when the process has closed, with its wall time in seconds (spawn to exit,
 * so a Node child's start-up is included). Rejects on a non-zero exit code, with the tail of stderr.
 */
export function runProcess(cmd, args, { env, cwd, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      clearTimeout(timer);
      if (code === 0) return resolve({ seconds, stdout, stderr });
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${tail}`));
    });
  });
}

/**
 * Runs each scenario `warmup + runs` times, rotating their order every round so none always runs first (the machine
 * is shared; load drifts). A scenario is { name, run: async () => seconds }. Returns name → { warmup, ...summary }.
 */
export async function measureRounds(scenarios, { warmup, runs, log }) {
  const samples = new Map(scenarios.map((s) => [s.name, { warmup: [], measured: [] }]));
  for (let round = 0; round < warmup + runs; round++) {
    const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length]);
    for (const s of order) {
      const seconds = await s.run();
      const bucket = samples.get(s.name);
      (round < warmup ? bucket.warmup : bucket.measured).push(seconds);
      log?.(`  ${round < warmup ? 'warm-up' : `run ${round - warmup + 1}/${runs}`}  ${s.name}: ${seconds.toFixed(3)} s`);
    }
  }
  return Object.fromEntries([...samples].map(([name, b]) => [name, { warmup: b.warmup, ...summarise(b.measured) }]));
}
