/** Starting, stopping and asking after a project's engine host (the functions `keel db start/stop/status` call). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeelError } from '../../../core/errors.js';
import { makeDirs } from '../../../core/fs.js';
import { startOnce } from '../../../core/start-once.js';
import { HostConnection } from './connection.js';
import type { PingReply } from './messages.js';
import { alive, DEFAULT_HOST_IDLE_MS, hostLog, readHostState, socketPath, stateFile, type HostStatus } from './state.js';
import { rotateLog } from '../../../core/fs.js';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const startLock = (dataDir: string) => `${dataDir}.host.start.lock`;

async function ping(socket: string, timeoutMs = 2_000): Promise<PingReply | undefined> {
  let conn: HostConnection | undefined;
  try {
    conn = await HostConnection.connect(socket, timeoutMs);
    const reply = await Promise.race([conn.call<PingReply>({ op: 'ping' }), sleep(timeoutMs).then(() => undefined)]);
    return reply;
  } catch {
    return undefined;
  } finally {
    conn?.close();
  }
}

/**
 * The running host's status, or null when none answers. `clients` does not count this call's own connection.
 *
 * @example
 * await engineHostStatus('supabase/.keel/pglite'); // { pid: 4242, socket: '/tmp/keel-engine-….sock', clients: 0, … }
 */
export async function engineHostStatus(dataDirIn: string): Promise<HostStatus | null> {
  const dataDir = path.resolve(dataDirIn);
  const state = readHostState(dataDir);
  if (!state || !alive(state.pid)) return null;
  const reply = await ping(state.socket);
  if (!reply || reply.pid !== state.pid) return null;
  return {
    pid: reply.pid,
    socket: reply.socket,
    startedAt: reply.startedAt,
    uptimeMs: Date.now() - Date.parse(reply.startedAt),
    clients: Math.max(0, reply.clients - 1),
    version: reply.version,
    idleMs: reply.idleMs,
  };
}

/**
 * Waits until the host has nothing under way in the background (reopening PGlite after a reset, opening the next
 * reset's standby). False when no host answers or `timeoutMs` passed first.
 */
export async function engineHostSettled(dataDirIn: string, timeoutMs = 30_000): Promise<boolean> {
  const state = readHostState(path.resolve(dataDirIn));
  if (!state) return false;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reply = await ping(state.socket);
    if (!reply) return false;
    if (!reply.busy) return true;
    await sleep(20);
  }
  return false;
}

function hostEntry(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return [path.join(path.dirname(here), 'main.js')];
  return ['--import', 'tsx', path.join(path.dirname(here), 'main.ts')]; // from TypeScript sources (tests, tsx)
}

/**
 * Starts the engine host of `dataDir` (detached; its output in `<dataDir>.host.log`) and waits until it answers, or
 * returns the one already running. A state file whose process is dead or whose socket refuses is removed first.
 * Safe to call from several processes at once: one starts it, the others wait for it.
 *
 * @example
 * const { pid, socket } = await startEngineHost('supabase/.keel/pglite', { idleMs: 60_000 });
 */
export async function startEngineHost(dataDirIn: string, opts: { idleMs?: number } = {}): Promise<HostStatus> {
  const dataDir = path.resolve(dataDirIn);
  const running = await engineHostStatus(dataDir);
  if (running) return running;
  makeDirs(path.dirname(dataDir));
  const idleMs = opts.idleMs ?? (Number(process.env.KEEL_ENGINE_IDLE_MS) || DEFAULT_HOST_IDLE_MS);
  const deadline = Date.now() + START_TIMEOUT_MS;
  return startOnce({
    lockFile: startLock(dataDir),
    timeoutMs: START_TIMEOUT_MS,
    running: () => engineHostStatus(dataDir).then((s) => s ?? undefined),
    start: () => {
      clearStale(dataDir);
      return spawnHost(dataDir, idleMs, deadline);
    },
    timedOut: (holder) =>
      new KeelError('KEEL_ENGINE_HOST_START', `the engine host for ${dataDir} did not start within ${START_TIMEOUT_MS / 1000} s`, {
        hint: `process ${holder} is starting it; see ${hostLog(dataDir)}, or delete ${startLock(dataDir)} if no such process runs`,
      }),
  });
}

/** Removes a state file (and socket) no live host answers for. */
function clearStale(dataDir: string): void {
  const state = readHostState(dataDir);
  if (!state) return;
  fs.rmSync(stateFile(dataDir), { force: true });
  if (!alive(state.pid) && process.platform !== 'win32') fs.rmSync(state.socket, { force: true });
}

async function spawnHost(dataDir: string, idleMs: number, deadline: number): Promise<HostStatus> {
  const logFile = hostLog(dataDir);
  rotateLog(logFile); // appended by every host start: the previous megabyte is kept as .1
  const log = fs.openSync(logFile, 'a');
  let exited: string | undefined;
  try {
    const env = { ...process.env };
    delete env.KEEL_ENGINE_HOST;
    const child = spawn(process.execPath, [...hostEntry(), dataDir, String(idleMs)], { detached: true, stdio: ['ignore', log, log], env });
    child.once('exit', (code, signal) => (exited = signal ?? `code ${code}`));
    child.once('error', (err) => (exited = err.message));
    child.unref();
  } finally {
    fs.closeSync(log);
  }
  for (;;) {
    const s = await engineHostStatus(dataDir);
    if (s) return s;
    if (exited || Date.now() > deadline) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
      throw new KeelError(
        'KEEL_ENGINE_HOST_START',
        `the engine host for ${dataDir} did not start${exited ? ` (it exited: ${exited})` : ''}${tail ? `:\n${tail}` : ''}`,
        { hint: `see ${logFile}` },
      );
    }
    await sleep(20);
  }
}

/**
 * Stops the engine host of `dataDir` (PGlite closed cleanly; socket and state file removed) and waits until its process
 * is gone. False when none was running.
 */
export async function stopEngineHost(dataDirIn: string): Promise<boolean> {
  const dataDir = path.resolve(dataDirIn);
  const state = readHostState(dataDir);
  if (!state) return false;
  if (!alive(state.pid)) {
    clearStale(dataDir);
    return false;
  }
  let conn: HostConnection | undefined;
  try {
    conn = await HostConnection.connect(state.socket);
    await conn.call({ op: 'shutdown' });
  } catch {
    try {
      process.kill(state.pid, 'SIGTERM');
    } catch {
      /* gone meanwhile */
    }
  } finally {
    conn?.close();
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(state.pid) && Date.now() < deadline) await sleep(20);
  if (alive(state.pid)) {
    throw new KeelError('KEEL_ENGINE_HOST_STOP', `the engine host (process ${state.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`, {
      hint: `see ${hostLog(dataDir)}; kill -9 ${state.pid} stops it (an open transaction is lost; the data dir stays consistent)`,
    });
  }
  clearStale(dataDir);
  return true;
}

export { socketPath };
