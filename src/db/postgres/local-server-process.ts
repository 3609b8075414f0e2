/**
 * Process plumbing for `local-server.ts`: running initdb, waiting for the postmaster to be ready, stopping it.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeelError } from '../../core/errors.js';
import { ids, type RunAs } from './local-server-binaries.js';

/** Runs initdb for a fast, disposable-friendly cluster: trust auth, UTF8, C locale, no fsync during init. */
export async function initCluster(
  binDir: string,
  dataDir: string,
  runAs: RunAs | undefined,
  superuser: string,
  major: number,
): Promise<void> {
  const args = ['-D', dataDir, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'];
  if (major >= 14) args.push('--no-instructions');
  const bin = path.join(binDir, 'initdb');
  await new Promise<void>((resolve, reject) => {
    execFile(bin, args, { ...ids(runAs), env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 120_000 }, (err, stdout, stderr) => {
      if (!err) return resolve();
      const output = tail(`${stdout}\n${stderr}`.trim() || err.message, 20);
      reject(
        new KeelError('KEEL_PG_INITDB_FAILED', `initdb failed for ${dataDir}:\n${output}`, {
          hint: 'the data directory must be empty or missing, and writable by the server user',
          cause: err,
        }),
      );
    });
  });
}

/**
 * Resolves once the postmaster we spawned reports `ready` in postmaster.pid and answers a query; rejects when it exits
 * first or `timeoutMs` passes.
 */
export async function waitUntilReady(child: ChildProcess, dataDir: string, url: string, timeoutMs: number): Promise<void> {
  let failure: string | undefined;
  child.once('exit', (code, signal) => (failure ??= `the server exited (${signal ?? `code ${code}`})`));
  child.once('error', (err) => (failure ??= `could not run postgres: ${err.message}`));
  const deadline = Date.now() + timeoutMs;
  const pidFile = path.join(dataDir, 'postmaster.pid');
  for (;;) {
    if (failure) throw new Error(failure);
    const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
    // Line 1 is the postmaster's pid (a stale file from a crashed run names another), line 8 its status.
    if (lines[0]?.trim() === String(child.pid) && lines[7]?.trim() === 'ready') break;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000}s`);
    await sleep(15);
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`the server is up but refused ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Sends `signal` (SIGINT = fast shutdown, SIGQUIT = immediate) and waits for the process to exit, escalating to
 * SIGQUIT after 15 s and SIGKILL after 20 s.
 */
export async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timers = [setTimeout(() => child.kill('SIGQUIT'), 15_000), setTimeout(() => child.kill('SIGKILL'), 20_000)];
  child.kill(signal);
  try {
    await exited;
  } finally {
    timers.forEach(clearTimeout);
  }
}

/** The last lines of the server log, indented, or '' when there is none. */
export async function logTail(file: string, lines = 25): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return tail(text.trim(), lines);
}

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .slice(-lines)
    .map((l) => `  ${l}`)
    .join('\n');
}
