/**
 * The keeper of a project's PostgreSQL server (see project-server.ts), run detached: `node project-server-keeper.js
 * <dataDir> <idleMs>`. Starts the server (initdb the first time), writes `<dataDir>.json` once it accepts connections,
 * then checks every few seconds whether any client is connected (and tidies Keel's own databases: keel-databases.ts);
 * after `idleMs` with none it stops the server and exits. SIGTERM or SIGINT stops it at once. The server dying on its own ends the keeper too. Either way the state file
 * is removed.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { replaceFile } from '../../core/fs.js';
import { housekeeping } from './keel-databases.js';
import { startLocalServer, type LocalServer } from './local-server.js';
import { stateFile, type ProjectServerState } from './project-server.js';

const [dir, idleArg] = process.argv.slice(2);
const idleMs = Number(idleArg);
const KEEPER_APP = 'keel keeper';
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<void> {
  if (!dir || !(idleMs > 0)) throw new Error('usage: project-server-keeper <dataDir> <idleMs>');
  const server: LocalServer = await startLocalServer({ dataDir: dir });
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    fs.rmSync(stateFile(dir), { force: true });
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void stop(sig));

  const pid = Number(fs.readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const state: ProjectServerState = {
    keeperPid: process.pid,
    pid,
    port: server.port,
    url: server.url,
    version: server.version,
    binDir: server.binDir,
    startedAt: new Date().toISOString(),
    idleMs,
  };
  // written whole, then renamed: a reader never sees half a file
  replaceFile(stateFile(dir), JSON.stringify(state, null, 2));
  log(`PostgreSQL ${server.version} ready on port ${server.port} (pid ${pid}); idle timeout ${idleMs} ms`);

  // Idle: no client connected at the last looks, and no command has touched the state file (each one does as it
  // resolves the server), for idleMs. Each look is its own short connection: a held one would stand in the way of
  // `keel db reset`, which renames the database.
  let lastBusy = Date.now();
  await look(server.url); // the spare for the first reset
  const every = Math.max(50, Math.min(5_000, Math.floor(idleMs / 4)));
  // SIGUSR1 (nudgeKeeper, after a reset): look now
  let wake = new AbortController();
  process.on('SIGUSR1', () => wake.abort());
  for (;;) {
    await sleep(every, undefined, { signal: wake.signal }).catch(() => (wake = new AbortController()));
    try {
      process.kill(pid, 0);
    } catch {
      return stop('the server exited');
    }
    if ((await look(server.url)) !== 0) lastBusy = Date.now();
    const touched = fs.statSync(stateFile(dir), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (Date.now() - Math.max(lastBusy, touched) >= idleMs) return stop(`no client for ${idleMs} ms`);
  }
}

/**
 * Client sessions other than the keeper's (-1 when the server could not be asked: counts as busy); also the
 * housekeeping of Keel's own databases (keel-databases.ts), on the same short connection.
 */
async function look(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: KEEPER_APP, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and application_name <> $1`,
      [KEEPER_APP],
    );
    for (const line of await housekeeping((sql, params) => client.query(sql, params))) log(line);
    return rows[0]!.n;
  } catch {
    return -1;
  } finally {
    await client.end().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  fs.rmSync(stateFile(dir ?? ''), { force: true });
  process.exit(1);
});
