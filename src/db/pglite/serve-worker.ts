import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { extensionSpecifier } from './extensions.js';
import { resetPgliteSession } from './session-reset.js';
import type { ServeInit, ServeMessage } from './serve-protocol.js';

/**
 * The thread behind `keel db serve`: owns one PGlite instance and hands the PostgreSQL wire protocol to it with
 * `@electric-sql/pglite-socket`, listening on a private unix socket that the main thread's front (serve.ts) pipes its
 * one TCP client to. A thread of its own so the main thread stays free to refuse a second client, and to stop this one
 * when PGlite never answers (the pg_trgm fault in trigram-probe.ts spins forever).
 */
const init = workerData as ServeInit;
const port = parentPort!;
const post = (m: ServeMessage) => port.postMessage(m);

async function loadExtensions(names: string[]): Promise<Record<string, Extension>> {
  const out: Record<string, Extension> = {};
  for (const name of names) {
    const mod = (await import(extensionSpecifier(name))) as Record<string, Extension>;
    if (mod[name]) out[name] = mod[name];
  }
  return out;
}

/** trigram-probe.ts's check, in this thread: false when the instance is one of the broken ones (or it spins: see serve.ts). */
async function trigramsWork(db: PGlite): Promise<boolean> {
  try {
    await db.exec('begin; create schema keel_probe; create extension if not exists pg_trgm with schema keel_probe');
    const { rows } = await db.query<{ schema: string }>(
      `select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`,
    );
    const schema = rows[0]!.schema.replace(/"/g, '""');
    const probe = await db.query<{ ok: boolean }>(`select 'keel'::text operator("${schema}".%) 'keel'::text as ok`);
    await db.exec('rollback');
    return probe.rows[0]?.ok === true;
  } catch {
    return false;
  }
}

/**
 * PGlite as the socket server sees it, except that the first exclusive section after a client connects first gives
 * the one session back as a new one starts (rollback, `discard all`, the login settings): what one client set — a role,
 * a search_path, a prepared statement — is not what the next one finds. `exec` runs outside the section: PGlite's
 * `exec` takes the same mutex.
 */
function resettingFacade(db: PGlite): { facade: PGlite; connected: () => void } {
  let fresh = true;
  const session = { exec: async (sql: string) => void (await db.exec(sql)), query: db.query.bind(db) };
  const facade = new Proxy(db, {
    get(target, key) {
      if (key === 'runExclusive') {
        return async <T>(fn: () => Promise<T>): Promise<T> => {
          if (fresh) {
            fresh = false;
            await resetPgliteSession(session as never);
          }
          return target.runExclusive(fn);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { facade, connected: () => (fresh = true) };
}

async function main(): Promise<void> {
  const extensions = await loadExtensions(init.extensions);
  const db = await PGlite.create(init.dataDir, { extensions });
  post({ type: 'opened' });
  if (init.extensions.includes('pg_trgm') && !(await trigramsWork(db))) {
    post({ type: 'broken' });
    return;
  }
  const { facade, connected } = resettingFacade(db);
  // The front lets one client through at a time; a few slots here let the previous client's connection finish
  // detaching (its transaction rolled back by the library) while the next one's arrives.
  const server = new PGLiteSocketServer({ db: facade, path: init.socket, maxConnections: 4 });
  server.addEventListener('connection', connected);
  await server.start();
  post({ type: 'listening' });
  port.on('message', (m: { type: 'stop' }) => {
    if (m.type !== 'stop') return;
    void (async () => {
      await server.stop();
      await db.close();
      post({ type: 'stopped' });
    })().catch((err: unknown) => post({ type: 'failed', message: (err as Error)?.message ?? String(err) }));
  });
}

main().catch((err: unknown) => post({ type: 'failed', message: (err as Error)?.message ?? String(err) }));
