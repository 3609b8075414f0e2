/**
 * The unprivileged OS user the local server runs as when we are root, and data directory ownership, for
 * `local-server.ts`. initdb and postgres refuse to run as root.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, lchown, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { makeDirs } from '../../core/fs.js';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { RunAs } from './local-server-binaries.js';

/** The account created when no `postgres` user exists. */
export const FALLBACK_USER = 'keel-pg';

/**
 * Who the server should run as: undefined when we are not root (run as ourselves), else the `postgres` user if it
 * exists, else `keel-pg`, created with `useradd --system` on first use.
 */
export async function resolveRunAs(): Promise<RunAs | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = (await lookupUser('postgres')) ?? (await lookupUser(FALLBACK_USER));
  if (existing) return existing;
  const args = ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin'];
  const failure = await new Promise<string | undefined>((resolve) => {
    execFile('useradd', [...args, FALLBACK_USER], (err, _stdout, stderr) => resolve(err ? stderr || err.message : undefined));
  });
  // A concurrent process may have created it first; only the lookup decides.
  const created = await lookupUser(FALLBACK_USER);
  if (created) return created;
  throw new KeelError('KEEL_PG_NO_USER', `PostgreSQL cannot run as root and creating user ${FALLBACK_USER} failed: ${failure?.trim()}`, {
    hint: `create an unprivileged user named postgres or ${FALLBACK_USER}, or run keel as a non-root user`,
  });
}

async function lookupUser(name: string): Promise<RunAs | undefined> {
  let passwd: string;
  try {
    passwd = await readFile('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** True when `dataDir` already holds an initialised cluster. */
export async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dataDir, 'PG_VERSION'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes `dataDir` usable by the server: creates it (mode 0700) when missing and, as root, hands it to `runAs`.
 * An initialised directory already owned by some non-root user is run as that user instead (returned).
 */
export async function prepareDataDir(dataDir: string, runAs: RunAs | undefined, initialised: boolean): Promise<RunAs | undefined> {
  // Parents get the default mode (the server user must traverse them); only the data dir itself is private.
  makeDirs(path.dirname(dataDir));
  await mkdir(dataDir, { mode: 0o700 }).catch((err: { code?: string }) => {
    if (err.code !== 'EEXIST') throw err;
  });
  if (!runAs) return undefined;
  const st = await stat(dataDir);
  if (initialised && st.uid !== 0) {
    return st.uid === runAs.uid ? runAs : { name: `uid ${st.uid}`, uid: st.uid, gid: st.gid };
  }
  await chownTree(dataDir, runAs, initialised);
  await chmod(dataDir, 0o700);
  return runAs;
}

async function chownTree(dir: string, runAs: RunAs, recursive: boolean): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  if (!recursive) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, runAs, true);
    else await lchown(p, runAs.uid, runAs.gid);
  }
}
