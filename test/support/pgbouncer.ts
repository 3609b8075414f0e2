/**
 * A throwaway PgBouncer in transaction pool mode in front of the test server, like Supabase's pooler on port 6543:
 * consecutive transactions of one client may run on different server sessions, so no session state survives a commit.
 *
 * @example
 * const bin = findPgbouncer();
 * const pooler = await startPgbouncer(db.url); // db from createTestDatabase()
 * await migrate({ cwd: project.root, dbUrl: pooler.url, env: {} });
 * await pooler.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { chmod, chown, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { resolveRunAs } from '../../src/db/postgres/local-server-user.js';

/** Server sessions per (database, user) pool: small, so concurrent client transactions queue and share sessions. */
export const POOL_SIZE = 2;

export interface Pgbouncer {
  /** `upstreamUrl` with host and port replaced by the pooler's: the same database and user, through PgBouncer. */
  url: string;
  /** The admin console (`SHOW POOLS`, `SHOW STATS`, ...): database `pgbouncer` on the pooler's port. */
  adminUrl: string;
  port: number;
  /** Runs one admin console command and returns its rows (simple protocol; the console has no extended one). */
  admin<T = Record<string, unknown>>(command: string): Promise<T[]>;
  /** Kills PgBouncer and removes its directory (config, auth file, socket, log). Idempotent. */
  stop(): Promise<void>;
}

/** The pgbouncer executable on PATH or at /usr/sbin/pgbouncer (Debian's package puts it there, off a user's PATH). */
export function findPgbouncer(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((d) => path.join(d, 'pgbouncer')), '/usr/sbin/pgbouncer', '/usr/local/sbin/pgbouncer']) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Starts PgBouncer (pool_mode = transaction, auth_type = trust, default_pool_size = POOL_SIZE) on a free 127.0.0.1
 * port, forwarding every database to the server of `upstreamUrl`, and resolves once its admin console answers.
 * PgBouncer refuses to run as root: as root it runs as the same unprivileged user the test server runs as
 * (src/db/postgres/local-server-user.ts), and its temp dir is handed to that user.
 */
export async function startPgbouncer(upstreamUrl: string): Promise<Pgbouncer> {
  const bin = findPgbouncer();
  if (!bin) throw new Error('pgbouncer is not installed (looked on PATH and at /usr/sbin/pgbouncer); apt-get install pgbouncer');
  const upstream = new URL(upstreamUrl);
  const user = decodeURIComponent(upstream.username) || 'postgres';
  const password = decodeURIComponent(upstream.password);
  const upstreamHost = upstream.searchParams.get('host') ?? (upstream.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1');
  const upstreamPort = upstream.port || '5432';

  const runAs = await resolveRunAs();
  const dir = await mkdtemp(path.join(tmpdir(), 'keel-pgb-'));
  try {
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    await chmod(dir, 0o700);
    // The auth file lists the user; with trust no client password is checked, and a password given here (from the
    // URL) is what PgBouncer logs in upstream with.
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await writeFile(path.join(dir, 'userlist.txt'), `${quote(user)} ${quote(password)}\n`);
    // Unix socket paths are limited to ~107 bytes; past that only TCP is offered.
    const socketDir = dir.length + 20 < 100 ? dir : '';
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const ini = [
        '[databases]',
        `* = host=${upstreamHost} port=${upstreamPort}`,
        '',
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        `unix_socket_dir = ${socketDir}`,
        'auth_type = trust',
        `auth_file = ${path.join(dir, 'userlist.txt')}`,
        `admin_users = ${user}`,
        `stats_users = ${user}`,
        'pool_mode = transaction',
        'max_client_conn = 100',
        `default_pool_size = ${POOL_SIZE}`,
        'min_pool_size = 0',
        'reserve_pool_size = 0',
        // Server sessions are kept while the test runs (so SHOW SERVERS can see them), and not reset between clients.
        'server_idle_timeout = 600',
        'server_lifetime = 3600',
        `logfile = ${path.join(dir, 'pgbouncer.log')}`,
        `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
        'log_connections = 1',
        'log_disconnections = 1',
        '',
      ].join('\n');
      const iniFile = path.join(dir, 'pgbouncer.ini');
      await writeFile(iniFile, ini);
      if (runAs) {
        for (const f of ['userlist.txt', 'pgbouncer.ini']) await chown(path.join(dir, f), runAs.uid, runAs.gid);
      }
      const out = await open(path.join(dir, 'stderr.log'), 'w');
      let child: ChildProcess;
      try {
        child = spawn(bin, [iniFile], {
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
          stdio: ['ignore', out.fd, out.fd],
          env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        });
      } finally {
        await out.close();
      }
      child.on('error', () => undefined); // reported by waitUntilReady
      running.add(child);
      if (running.size === 1 && !process.listeners('exit').includes(killAll)) process.on('exit', killAll);
      const base = new URL(upstreamUrl);
      base.hostname = '127.0.0.1';
      base.port = String(port);
      base.searchParams.delete('host');
      base.searchParams.delete('port');
      const adminUrl = new URL(base);
      adminUrl.pathname = '/pgbouncer';
      try {
        await waitUntilReady(child, adminUrl.toString(), 15_000);
      } catch (err) {
        await kill(child);
        const log = await logTail(dir);
        lastError = new Error(
          `pgbouncer did not start on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}${log ? `\n${log}` : ''}`,
        );
        if (/address already in use|bind/i.test(log) && attempt < 3) continue;
        throw lastError;
      }
      let stopping: Promise<void> | undefined;
      return {
        url: base.toString(),
        adminUrl: adminUrl.toString(),
        port,
        admin: (command) => adminQuery(adminUrl.toString(), command),
        stop: () =>
          (stopping ??= (async () => {
            await kill(child);
            await rm(dir, { recursive: true, force: true });
          })()),
      };
    }
    throw lastError;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** SIGTERM is PgBouncer's immediate shutdown; SIGKILL after 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  child.kill('SIGTERM');
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntilReady(child: ChildProcess, adminUrl: string, timeoutMs: number): Promise<void> {
  let failure: string | undefined;
  child.once('exit', (code, signal) => (failure ??= `pgbouncer exited (${signal ?? `code ${code}`})`));
  child.once('error', (err) => (failure ??= `could not run pgbouncer: ${err.message}`));
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (failure) throw new Error(failure);
    try {
      await adminQuery(adminUrl, 'show version');
      return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`no answer after ${timeoutMs / 1000}s (${last})`);
    await sleep(50);
  }
}

async function adminQuery<T>(adminUrl: string, command: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(command)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function logTail(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const f of ['pgbouncer.log', 'stderr.log']) {
    const text = (await readFile(path.join(dir, f), 'utf8').catch(() => '')).trim();
    if (text)
      parts.push(
        `${f}:\n${text
          .split('\n')
          .slice(-15)
          .map((l) => `  ${l}`)
          .join('\n')}`,
      );
  }
  return parts.join('\n');
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
