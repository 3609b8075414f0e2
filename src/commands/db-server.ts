import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { rel } from '../core/project/layout.js';
import { databaseUrl } from '../db/url.js';
import { engineChoice, loadProject, type CommonOptions } from './context.js';

/** What `keel db start` started (or found running), and what `keel db stop` stopped. */
export interface DbServerResult {
  /** `local-server`: the project's PostgreSQL server; `pglite`: the embedded engine host. */
  engine: 'local-server' | 'pglite';
  /** The data dir it serves, relative to the project root. */
  dataDir: string;
  running: boolean;
  /** True when this call started it (start) or stopped it (stop). */
  changed: boolean;
  pid?: number;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth on loopback: no password). */
  url?: string;
  /** The engine host's unix socket. */
  socket?: string;
  version?: string;
  uptimeMs?: number;
  idleMs?: number;
}

function refuseUrl(opts: CommonOptions, verb: string): void {
  if (databaseUrl(opts) !== undefined || opts.memory) {
    throw new KeelError(
      'KEEL_BAD_OPTION',
      `keel db ${verb} works on the project's own engine; ${opts.memory ? '--memory' : 'a database URL'} names another database`,
      { hint: 'leave out --db-url / DATABASE_URL and --memory (a server you connect to by URL is started and stopped by its owner)' },
    );
  }
}

/**
 * `keel db start`: starts the project's engine and leaves it running, so later commands connect at once — the
 * project's PostgreSQL server with `[db] engine = "local-server"`, else the embedded engine host that keeps the PGlite
 * data dir open and serves every Keel process over a unix socket.
 * Either stops by itself after the idle timeout (10 min; KEEL_ENGINE_IDLE_MS). Idempotent.
 *
 * @example
 * const r = await dbStart({ cwd: 'examples/scalemate' }); r.url
 */
export async function dbStart(opts: CommonOptions = {}): Promise<DbServerResult> {
  refuseUrl(opts, 'start');
  const project = loadProject(opts);
  const env = opts.env ?? process.env;
  const idleMs = Number(env.KEEL_ENGINE_IDLE_MS) || undefined;
  if (engineChoice(project, env) === 'local-server') {
    const { ensureProjectServer, projectServerStatus } = await import('../db/postgres/project-server.js');
    const { started } = await ensureProjectServer(project.serverDir, { idleMs });
    const s = projectServerStatus(project.serverDir)!;
    return {
      engine: 'local-server',
      dataDir: rel(project, project.serverDir),
      running: true,
      changed: started,
      pid: s.pid,
      url: s.url,
      version: s.version,
      uptimeMs: s.uptimeMs,
      idleMs: s.idleMs,
    };
  }
  const host = await import('../db/pglite/host/index.js');
  const dataDir = path.resolve(project.dataDir);
  const before = await host.engineHostStatus(dataDir);
  const s = before ?? (await host.startEngineHost(dataDir, { idleMs }));
  return {
    engine: 'pglite',
    dataDir: rel(project, project.dataDir),
    running: true,
    changed: !before,
    pid: s.pid,
    socket: s.socket,
    version: s.version,
    uptimeMs: s.uptimeMs,
    idleMs: s.idleMs,
  };
}

/**
 * `keel db stop`: stops what `keel db start` (or a command) left running for this project: its PostgreSQL server and
 * the embedded engine host, whichever run. Idempotent.
 */
export async function dbStop(opts: CommonOptions = {}): Promise<{ engines: DbServerResult[] }> {
  refuseUrl(opts, 'stop');
  const project = loadProject(opts);
  const { stopProjectServer } = await import('../db/postgres/project-server.js');
  const host = await import('../db/pglite/host/index.js');
  return {
    engines: [
      {
        engine: 'local-server',
        dataDir: rel(project, project.serverDir),
        running: false,
        changed: await stopProjectServer(project.serverDir),
      },
      {
        engine: 'pglite',
        dataDir: rel(project, project.dataDir),
        running: false,
        changed: await host.stopEngineHost(path.resolve(project.dataDir)),
      },
    ],
  };
}
