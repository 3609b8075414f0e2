import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeelError } from '../../core/errors.js';
import { hasLeftovers, recoverDataDir } from './data-dir.js';
import { extensionModules, isEmptyDir, rememberExtensions } from './extensions.js';
import { acquireDataDirLock } from './lock.js';
import { alive, readHostState } from './host/state.js';
import { TRIGRAM_ATTEMPTS } from './trigram-probe.js';
import { refuseSecondClient } from './serve-refuse.js';
import type { ServeInit, ServeMessage } from './serve-protocol.js';

export interface ServePgliteOptions {
  /** An existing embedded data dir. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Named in the data dir's lock, so other commands say who holds it. */
  command?: string;
  /** Removed once the server has stopped (a throwaway build). */
  removeOnClose?: string;
}

/** A running server: PostgreSQL's wire protocol on 127.0.0.1, one client at a time, onto one embedded data dir. */
export interface PgliteServer {
  port: number;
  /** `postgresql://postgres@127.0.0.1:PORT/postgres`: no password (PGlite has no authentication; loopback only). */
  url: string;
  /** Module names of the extensions registered (what `create extension` can add over the wire). */
  extensions: string[];
  /** Stops accepting, ends the client's connection, closes PGlite and lets go of the data dir. Idempotent. */
  close(): Promise<void>;
  /** Settles when the server has stopped: resolves after close(), rejects when PGlite's thread failed by itself. */
  closed: Promise<void>;
}

const HOST = '127.0.0.1';
const OPEN_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Serves an embedded data dir over the PostgreSQL wire protocol on 127.0.0.1 in this process, for psql and GUIs:
 * `@electric-sql/pglite-socket` speaks the protocol to PGlite on a worker thread (serve-worker.ts); here a TCP front
 * lets one client through at a time (PGlite has one session) and refuses others as PostgreSQL refuses a client over
 * max_connections (FATAL 53300). Holds the data dir's lock while it runs.
 *
 * @example
 * const s = await servePglite({ dataDir: 'supabase/.keel/pglite', port: 0 });
 * console.log(s.url); // postgresql://postgres@127.0.0.1:40123/postgres
 * await s.close();
 */
export async function servePglite(opts: ServePgliteOptions): Promise<PgliteServer> {
  const dataDir = path.resolve(opts.dataDir);
  refuseHost(dataDir);
  const front = net.createServer();
  const port = await listen(front, opts.port);
  const url = `postgresql://postgres@${HOST}:${port}/postgres`;
  const cleanup: (() => void)[] = [() => front.listening && front.close()];
  const undo = () => {
    for (const f of cleanup.splice(0).reverse()) f();
  };
  try {
    cleanup.push(acquireDataDirLock(dataDir, `${opts.command ?? 'keel db serve'} on ${url}`));
    if (hasLeftovers(dataDir)) recoverDataDir(dataDir);
    if (isEmptyDir(dataDir)) {
      throw new KeelError('KEEL_NO_DATABASE', `there is no embedded database at ${path.relative(process.cwd(), dataDir) || dataDir} yet`, {
        hint: 'build it first with `keel db reset` (or `keel db migrate`), or serve a throwaway build with `keel db serve --memory`',
      });
    }
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-serve-'));
    cleanup.push(() => fs.rmSync(socketDir, { recursive: true, force: true }));
    if (opts.removeOnClose) {
      const dir = opts.removeOnClose;
      cleanup.unshift(() => fs.rmSync(dir, { recursive: true, force: true }));
    }
    const socket = process.platform === 'win32' ? `\\\\.\\pipe\\${path.basename(socketDir)}` : path.join(socketDir, 'pg.sock');
    const extensions = extensionModules(rememberExtensions(dataDir, []));
    const worker = await startServeWorker({ dataDir, extensions, socket });
    return running(front, worker, { port, url, extensions, socket }, undo);
  } catch (err) {
    undo();
    throw err;
  }
}

/** The engine host owns the data dir and speaks Keel's own protocol: say so, rather than the lock's generic refusal. */
function refuseHost(dataDir: string): void {
  const state = readHostState(dataDir);
  if (!state || !alive(state.pid)) return;
  throw new KeelError(
    'KEEL_DB_LOCKED',
    `the embedded database is held by the engine host (process ${state.pid}, started ${state.startedAt}), which serves Keel commands on ${state.socket}, not PostgreSQL clients`,
    {
      hint: 'stop it with `keel db stop`, then run `keel db serve` again (while it serves, Keel commands reach the database by its URL: --db-url)',
    },
  );
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') return reject(err);
      reject(
        new KeelError(
          'KEEL_PORT_IN_USE',
          `cannot listen on ${HOST}:${port}: ${err.code === 'EACCES' ? 'permission denied' : 'the port is in use'}`,
          {
            hint: 'pass another --port, or --port 0 for any free one',
          },
        ),
      );
    });
    server.listen(port, HOST, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function spawnServeWorker(init: ServeInit): Worker {
  if (!fileURLToPath(import.meta.url).endsWith('.ts'))
    return new Worker(new URL('./serve-worker.js', import.meta.url), { workerData: init });
  // from the TypeScript sources (tests, tsx): register tsx inside the worker first, as worker-client.ts does
  const url = new URL('./serve-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

/** The next message from the worker, or an error when it exits, fails or stays silent for `ms`. */
function next(worker: Worker, ms: number, doing: string): Promise<ServeMessage> {
  return new Promise((resolve, reject) => {
    const done = (f: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      f();
    };
    const onMessage = (m: ServeMessage) => done(() => resolve(m));
    const onError = (err: Error) => done(() => reject(err));
    const onExit = (code: number) => done(() => reject(new Error(`PGlite's thread exited (code ${code}) while ${doing}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s while ${doing}`))), ms);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Starts PGlite's thread and waits until it listens; an instance failing the pg_trgm self-test is replaced. */
async function startServeWorker(init: ServeInit): Promise<Worker> {
  for (let attempt = 1; ; attempt++) {
    const worker = spawnServeWorker(init);
    try {
      const opened = await next(worker, OPEN_TIMEOUT_MS, 'opening the database');
      if (opened.type === 'failed') throw new Error(opened.message);
      const ready = await next(worker, PROBE_TIMEOUT_MS, 'checking pg_trgm and starting to listen');
      if (ready.type === 'listening') return worker;
      if (ready.type === 'failed') throw new Error(ready.message);
    } catch (err) {
      await worker.terminate();
      if (!/no answer within/.test((err as Error).message) || !init.extensions.includes('pg_trgm')) {
        throw new KeelError('KEEL_PGLITE_OPEN', `could not open the embedded database at ${init.dataDir}: ${(err as Error).message}`, {
          hint: 'if the folder is damaged, move it away and run `keel db reset`, or restore a backup',
        });
      }
      // a spin in the pg_trgm self-test: the known fault, another instance will do
    }
    await worker.terminate();
    if (attempt >= TRIGRAM_ATTEMPTS) {
      throw new KeelError('KEEL_PGLITE_SELFTEST', `the embedded database failed its pg_trgm self-test ${TRIGRAM_ATTEMPTS} times in a row`, {
        hint: 'a known PGlite fault with pg_trgm and pgcrypto in one instance; use [db] engine = "local-server" for a real server',
      });
    }
  }
}

function running(
  front: net.Server,
  worker: Worker,
  s: { port: number; url: string; extensions: string[]; socket: string },
  undo: () => void,
): PgliteServer {
  let client: net.Socket | null = null;
  const sockets = new Set<net.Socket>();
  front.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (client) return refuseSecondClient(socket);
    client = socket;
    socket.setNoDelay(true); // the replies come as several small writes: Nagle would hold each behind the client's delayed ack (~40 ms)
    const inner = net.connect(s.socket);
    sockets.add(inner);
    const end = () => {
      socket.destroy();
      inner.destroy();
      if (client === socket) client = null;
    };
    for (const side of [socket, inner]) side.once('close', end).once('error', end);
    socket.pipe(inner).pipe(socket);
  });

  let stopping: Promise<void> | undefined;
  let settle: { resolve: () => void; reject: (err: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const closed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  void closed.catch(() => undefined); // the caller may never look at it
  const down = (err: KeelError) => {
    if (stopping) return;
    stopping = Promise.resolve();
    for (const sock of sockets) sock.destroy();
    void worker.terminate();
    undo();
    settle.reject(err);
  };
  worker.on('message', (m: ServeMessage) => {
    if (m.type === 'failed') down(new KeelError('KEEL_PGLITE', `the embedded database failed: ${m.message}`));
  });
  worker.once('exit', (code) =>
    down(new KeelError('KEEL_PGLITE', `the embedded database's thread stopped (code ${code}); the server is down`)),
  );

  const close = (): Promise<void> =>
    (stopping ??= (async () => {
      front.close(); // no new clients while PGlite closes
      for (const sock of sockets) sock.destroy();
      const stopped = next(worker, STOP_TIMEOUT_MS, 'closing the database').catch(() => undefined);
      worker.postMessage({ type: 'stop' });
      await stopped; // a statement still running (PGlite cannot cancel one) is cut off after the timeout
      await worker.terminate();
      undo();
      settle.resolve();
    })());
  return { port: s.port, url: s.url, extensions: s.extensions, close, closed };
}
