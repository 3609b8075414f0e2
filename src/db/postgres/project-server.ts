/**
 * The project's own PostgreSQL server (`[db] engine = "local-server"`): real PostgreSQL from this machine's binaries,
 * its data dir in supabase/.keel/postgres, started by the first command that needs it (or `keel db start`) and kept
 * running by a small keeper process until no client has been connected for the idle timeout. Every command then
 * connects by URL, so a command costs a connection, not an engine start-up.
 *
 * Files beside the data dir: `<dir>.json` (the running server: keeper pid, port, version; written once the server
 * accepts connections, removed when it stops), `<dir>.start.lock` (held while one process starts it), `<dir>.log`
 * (the keeper's log). A state file whose keeper is gone, or whose server does not answer, is stale: the orphaned
 * postmaster (if any) is stopped and a new server started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeelError } from '../../core/errors.js';
import { makeDirs } from '../../core/fs.js';
import { startOnce } from '../../core/start-once.js';
import { isProcessAlive } from '../../core/process.js';

/** What `<dir>.json` says about a running project server. */
export interface ProjectServerState {
  /** The keeper process (stop it to stop the server). */
  keeperPid: number;
  /** The postmaster. */
  pid: number;
  port: number;
  url: string;
  version: string;
  binDir: string;
  startedAt: string;
  idleMs: number;
}

export interface ProjectServerStatus extends ProjectServerState {
  uptimeMs: number;
}

/** Default idle timeout: the server stops after this long with no client connected (KEEL_ENGINE_IDLE_MS overrides). */
export const DEFAULT_IDLE_MS = 10 * 60_000;
const START_TIMEOUT_MS = 90_000;

export const stateFile = (dir: string) => `${dir}.json`;
const startLock = (dir: string) => `${dir}.start.lock`;
export const keeperLog = (dir: string) => `${dir}.log`;

function readState(dir: string): ProjectServerState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as ProjectServerState;
  } catch {
    return undefined;
  }
}

/** The running server's state, or undefined when none runs (a stale state file is left for {@link ensureProjectServer}). */
export function projectServerStatus(dir: string): ProjectServerStatus | undefined {
  const s = readState(path.resolve(dir));
  if (!s || !isProcessAlive(s.keeperPid) || !isProcessAlive(s.pid)) return undefined;
  return { ...s, uptimeMs: Date.now() - Date.parse(s.startedAt) };
}

/**
 * Asks the project server's keeper to tidy up now rather than at its next look (SIGUSR1): after a reset, so the
 * database it replaced is dropped and a spare made before the next reset comes (keel-databases.ts). Best effort.
 */
export function nudgeKeeper(dir: string): void {
  const s = readState(path.resolve(dir));
  try {
    if (s && isProcessAlive(s.keeperPid)) process.kill(s.keeperPid, 'SIGUSR1');
  } catch {
    /* gone meanwhile: its successor looks by itself */
  }
}

/**
 * The URL of the project's server, starting it when none runs (about 0.05 s on an existing data dir; initdb the first
 * time). Safe to call from several processes at once: one starts it, the others wait for its state file.
 *
 * @example
 * const { url } = await ensureProjectServer('supabase/.keel/postgres');
 */
export async function ensureProjectServer(dirIn: string, opts: { idleMs?: number } = {}): Promise<{ url: string; started: boolean }> {
  const dir = path.resolve(dirIn);
  const running = projectServerStatus(dir);
  if (running) {
    touch(dir); // tells the keeper a command is here (it stops after idleMs with no client and no touch)
    return { url: running.url, started: false };
  }
  makeDirs(path.dirname(dir));
  const idleMs = opts.idleMs ?? (Number(process.env.KEEL_ENGINE_IDLE_MS) || DEFAULT_IDLE_MS);
  let started = false;
  const state = await startOnce<ProjectServerState>({
    lockFile: startLock(dir),
    timeoutMs: START_TIMEOUT_MS,
    running: () => projectServerStatus(dir),
    start: async () => {
      await clearStale(dir);
      started = true;
      return spawnKeeper(dir, idleMs);
    },
    timedOut: (holder) =>
      new KeelError('KEEL_PG_START_FAILED', `the project's PostgreSQL server did not start within ${START_TIMEOUT_MS / 1000} s`, {
        hint: `another process (${holder}) is starting it; see ${keeperLog(dir)}, or delete ${startLock(dir)} if no such process runs`,
      }),
  });
  return { url: state.url, started };
}

function touch(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(stateFile(dir), now, now);
  } catch {
    /* stopped meanwhile: the connection attempt reports it */
  }
}

/** A state file left by a keeper that died (SIGKILL, reboot): its postmaster, if still running, is stopped first. */
async function clearStale(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const postmaster = Number((fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : '').split('\n')[0]?.trim() || 0);
  if (postmaster > 0 && isProcessAlive(postmaster)) {
    try {
      process.kill(postmaster, 'SIGINT'); // fast shutdown
    } catch {
      /* gone meanwhile, or not ours to stop (EPERM): the start below reports it */
    }
    for (let i = 0; i < 400 && isProcessAlive(postmaster); i++) await sleep(25);
  }
  fs.rmSync(stateFile(dir), { force: true });
}

function keeperEntry(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return [path.join(path.dirname(here), 'project-server-keeper.js')];
  return ['--import', 'tsx', path.join(path.dirname(here), 'project-server-keeper.ts')]; // from TypeScript sources (tests)
}

async function spawnKeeper(dir: string, idleMs: number): Promise<ProjectServerState> {
  const log = fs.openSync(keeperLog(dir), 'w');
  let exited: string | undefined;
  try {
    const child = spawn(process.execPath, [...keeperEntry(), dir, String(idleMs)], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, KEEL_KEEPER_PARENT: String(process.pid) },
    });
    child.once('exit', (code, signal) => (exited = signal ?? `code ${code}`));
    child.once('error', (err) => (exited = err.message));
    child.unref();
  } finally {
    fs.closeSync(log);
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const s = projectServerStatus(dir);
    if (s) return s;
    if (exited || Date.now() > deadline) {
      const tail = fs.existsSync(keeperLog(dir)) ? fs.readFileSync(keeperLog(dir), 'utf8').trim().split('\n').slice(-15).join('\n') : '';
      throw new KeelError(
        'KEEL_PG_START_FAILED',
        `the project's PostgreSQL server did not start${exited ? ` (its keeper exited: ${exited})` : ''}${tail ? `:\n${tail}` : ''}`,
        { hint: `see ${keeperLog(dir)}; set KEEL_PG_BIN to other PostgreSQL binaries, or use [db] engine = "pglite"` },
      );
    }
    await sleep(15);
  }
}

/** Stops the project's server (fast shutdown) and waits until it is gone. False when none was running. */
export async function stopProjectServer(dirIn: string): Promise<boolean> {
  const dir = path.resolve(dirIn);
  const s = readState(dir);
  if (!s) return false;
  const wasRunning = isProcessAlive(s.keeperPid) || isProcessAlive(s.pid);
  for (const pid of [s.keeperPid, s.pid]) {
    try {
      process.kill(pid, pid === s.pid ? 'SIGINT' : 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 600 && (isProcessAlive(s.keeperPid) || isProcessAlive(s.pid)); i++) await sleep(25);
  fs.rmSync(stateFile(dir), { force: true });
  return wasRunning;
}
