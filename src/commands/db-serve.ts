import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { rel } from '../core/project/layout.js';
import { isProcessAlive } from '../core/process.js';
import { redact } from '../core/redact.js';
import { databaseUrl } from '../db/url.js';
import { engineChoice, loadProject, withProjectSql, type CommonOptions } from './context.js';

export interface DbServeOptions extends CommonOptions {
  /** TCP port on 127.0.0.1 (default {@link DEFAULT_SERVE_PORT}); 0 picks a free one. */
  port?: number;
}

/** The default port of `keel db serve`: beside the Supabase CLI's 54322, so both can run. */
export const DEFAULT_SERVE_PORT = 54329;

/** What `keel db serve` serves, printed once it listens. */
export interface DbServeResult {
  engine: 'pglite';
  /** `postgresql://postgres@127.0.0.1:PORT/postgres`: no password (loopback only; PGlite has no authentication). */
  url: string;
  port: number;
  /** The data dir served, relative to the project root; absent with `memory`. */
  dataDir?: string;
  /** A throwaway build of the project (`--memory`), deleted when the server stops. */
  memory: boolean;
  /** Clients served at once: PGlite has one session, so a second one is refused (FATAL 53300) while one is connected. */
  maxConnections: 1;
  /** Extensions registered, which `create extension` can add over the wire (others need `keel db migrate` first). */
  extensions: string[];
  pid: number;
}

/** A running `keel db serve`: stop it with `close()`; `closed` settles when it has stopped. */
export interface DbServer {
  result: DbServeResult;
  close(): Promise<void>;
  closed: Promise<void>;
}

/**
 * `keel db serve`: lets psql, a GUI or any PostgreSQL driver connect to the project's embedded database over the wire
 * protocol on 127.0.0.1, in this process, until `close()`. One client at a time; no SSL, no password. With `memory`, it
 * serves a throwaway build of the project (migrations, roles, policies, seeds) instead of the data dir. A project whose
 * database is already a real server (`--db-url`, `DATABASE_URL`, `[db] engine = "local-server"`) is refused, with the
 * URL to connect to instead.
 *
 * @example
 * const s = await dbServe({ cwd: 'examples/scalemate', port: 0 });
 * console.log(s.result.url); // psql "$url" -c 'select 1'
 * await s.close();
 */
export async function dbServe(opts: DbServeOptions = {}): Promise<DbServer> {
  const port = opts.port ?? DEFAULT_SERVE_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new KeelError('KEEL_BAD_OPTION', `--port must be a port number from 0 to 65535, not ${String(opts.port)}`, {
      hint: '--port 0 picks a free port',
    });
  }
  const url = databaseUrl(opts);
  if (url !== undefined) {
    throw new KeelError('KEEL_BAD_OPTION', `the database at ${redact(url)} is already a PostgreSQL server: connect to it directly`, {
      hint: 'keel db serve serves the embedded database; leave out --db-url / DATABASE_URL to serve it',
    });
  }
  const project = loadProject(opts);
  const env = opts.env ?? process.env;
  if (engineChoice(project, env) === 'local-server') {
    const { projectServerStatus } = await import('../db/postgres/project-server.js');
    const running = projectServerStatus(project.serverDir);
    throw new KeelError(
      'KEEL_NOT_EMBEDDED',
      running
        ? `this project's engine is local-server, a real PostgreSQL server: connect to it at ${redact(running.url)}`
        : `this project's engine is local-server, a real PostgreSQL server, which psql and GUIs reach by its own URL`,
      { hint: running ? undefined : '`keel db start` starts it and prints its URL' },
    );
  }
  const { servePglite } = await import('../db/pglite/serve.js');
  if (!opts.memory) {
    const s = await servePglite({ dataDir: project.dataDir, port, command: 'keel db serve' });
    return served(s, { dataDir: rel(project, project.dataDir), memory: false });
  }
  // --memory: built where a reset builds (PGlite's socket server needs the instance in its own thread, so an in-memory
  // one cannot be handed over); the build-dir name keeps an engine host from being started for it
  discardDeadBuilds();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), MEMORY_PREFIX));
  const build = path.join(tmp, `pglite.reset-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    const { buildOn } = await import('./reset.js');
    await withProjectSql(
      project,
      { ...opts, memory: false, command: 'keel db serve --memory (build)', target: { kind: 'pglite', dataDir: build } },
      (engine, sql) => buildOn(engine, sql, opts, { mode: 'data-dir' }),
    );
    const s = await servePglite({ dataDir: build, port, command: 'keel db serve --memory', removeOnClose: tmp });
    return served(s, { memory: true });
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

const MEMORY_PREFIX = 'keel-serve-memory-';

/** Throwaway builds (about 40 MB each) left by a `keel db serve --memory` that was killed before it could remove its own. */
function discardDeadBuilds(): void {
  try {
    for (const dir of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(MEMORY_PREFIX))) {
      const full = path.join(os.tmpdir(), dir);
      const pid = fs
        .readdirSync(full)
        .map((n) => /^pglite\.reset-(\d+)-/.exec(n)?.[1])
        .find(Boolean);
      if (pid && !isProcessAlive(Number(pid))) fs.rmSync(full, { recursive: true, force: true });
    }
  } catch {
    /* only housekeeping */
  }
}

function served(
  s: Awaited<ReturnType<typeof import('../db/pglite/serve.js').servePglite>>,
  what: { dataDir?: string; memory: boolean },
): DbServer {
  return {
    result: { engine: 'pglite', url: s.url, port: s.port, ...what, maxConnections: 1, extensions: s.extensions, pid: process.pid },
    close: () => s.close(),
    closed: s.closed,
  };
}
