import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isProcessAlive } from '../../core/process.js';
import { templateDir, type TemplateFlavour } from './flavour.js';
import { copyDataDir, copyDataDirAsync } from './template.js';

/**
 * A data dir is replaced whole by building the new one beside it and renaming: `<dir>.reset-<pid>-<rand>` is a build
 * in progress, `<dir>.old-<pid>-<rand>` the previous one on its way out. Both only exist while the builder holds
 * `<dir>.lock`; whoever takes the lock next and finds them cleans up (see {@link recoverDataDir}). Each sibling may
 * have the sidecar files a data dir has (`.lock`, `.extensions.json`). A standby an engine host killed with SIGKILL left
 * (`<dir>.standby-<pid>-<n>`, its pid gone) is cleaned up the same way.
 */
const BUILD = '.reset-';
const OLD = '.old-';
/** The engine host's standby for the next reset: `<dir>.standby-<pid>-<n>` (host/server.ts); garbage once that pid is gone. */
const STANDBY = '.standby-';

function deadStandby(base: string, name: string): boolean {
  if (!name.startsWith(`${base}${STANDBY}`)) return false;
  const pid = Number(name.slice(base.length + STANDBY.length).split('-')[0]);
  return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
}

function siblings(dataDir: string): string[] {
  const base = path.basename(dataDir);
  try {
    return fs
      .readdirSync(path.dirname(dataDir))
      .filter((n) => n.startsWith(`${base}${BUILD}`) || n.startsWith(`${base}${OLD}`) || deadStandby(base, n))
      .map((n) => path.join(path.dirname(dataDir), n));
  } catch {
    return [];
  }
}

/** True when a reset's build or swap left something beside the data dir (cheap: one readdir). */
export function hasLeftovers(dataDir: string): boolean {
  return siblings(dataDir).length > 0;
}

/** A new, unused path beside the data dir for a reset to build into. */
export function buildDirFor(dataDir: string): string {
  return `${dataDir}${BUILD}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Puts a killed reset's leftovers right; call holding the data dir's lock. A process killed between the two renames
 * of a swap left no data dir and the previous one under `.old-…`: that one is put back (the reset did not finish, so
 * the previous database stays). Then every build and old dir beside it is deleted.
 *
 * @example
 * recoverDataDir('/abs/supabase/.keel/pglite'); // { restored: false, removed: ['…/pglite.reset-4242-0a1b2c3d'] }
 */
export function recoverDataDir(dataDir: string): { restored: boolean; removed: string[] } {
  let restored = false;
  if (!fs.existsSync(dataDir)) {
    const old = siblings(dataDir).find((p) => path.basename(p).startsWith(`${path.basename(dataDir)}${OLD}`) && isDataDir(p));
    if (old) {
      fs.renameSync(old, dataDir);
      restored = true;
    }
  }
  const removed = siblings(dataDir);
  for (const p of removed) fs.rmSync(p, { recursive: true, force: true });
  return { restored, removed };
}

function isDataDir(p: string): boolean {
  return fs.existsSync(path.join(p, 'PG_VERSION'));
}

/**
 * Fills an empty folder with a fresh database: the spare beside the data dir when there is one (a rename: free), else
 * a copy of the flavour's cached template dir (made on first use). When the cache cannot hold one, the folder stays empty and
 * PGlite unpacks the template tarball there on open (slower, same result).
 */
export async function freshDataDir(dir: string, flavour: TemplateFlavour, spareOf?: string): Promise<void> {
  const spare = spareOf && spareDir(spareOf);
  fs.rmSync(dir, { recursive: true, force: true });
  if (spare && isDataDir(spare)) {
    try {
      fs.renameSync(spare, dir);
      return;
    } catch {
      /* copy below */
    }
  }
  const template = await templateDir(flavour);
  if (template) copyDataDir(template, dir);
}

/** Where the fresh database the next reset starts from waits: `<dir>.spare`. */
function spareDir(dataDir: string): string {
  return `${dataDir}.spare`;
}

/**
 * Makes the spare the next reset renames into place instead of copying 40 MB (see {@link freshDataDir}): copied on
 * the thread pool, so it runs while this reset's build keeps PGlite's worker busy. Call holding the data dir's lock
 * and await it before letting go; the copy is under a build-dir name until whole, so a kill leaves only a leftover.
 */
export async function prepareSpare(dataDir: string, flavour: TemplateFlavour): Promise<void> {
  const spare = spareDir(dataDir);
  if (isDataDir(spare)) return;
  const template = await templateDir(flavour);
  if (!template) return;
  const tmp = buildDirFor(dataDir);
  try {
    await copyDataDirAsync(template, tmp);
    fs.rmSync(spare, { recursive: true, force: true });
    fs.renameSync(tmp, spare);
  } catch {
    /* no spare: the next reset copies */
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

function readList(file: string): string[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } catch {
    return [];
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Replaces `dataDir` by the finished (closed) build; call holding the data dir's lock. Two renames: the old dir aside,
 * the build in its place; a kill between them is undone by {@link recoverDataDir}. The extensions list beside the data
 * dir is the union of both while the swap is under way (either dir opens with what it needs), then the build's.
 * Resolves to whether there was a previous data dir.
 */
export async function swapDataDir(dataDir: string, build: string): Promise<boolean> {
  const extFile = `${dataDir}.extensions.json`;
  const buildExt = readList(`${build}.extensions.json`);
  writeAtomic(extFile, JSON.stringify([...new Set([...readList(extFile), ...buildExt])].sort()));
  const old = `${dataDir}${OLD}${process.pid}-${randomBytes(4).toString('hex')}`;
  const existed = fs.existsSync(dataDir);
  if (existed) fs.renameSync(dataDir, old);
  fs.renameSync(build, dataDir);
  writeAtomic(extFile, JSON.stringify(buildExt));
  discardBuild(build);
  await fs.promises.rm(old, { recursive: true, force: true });
  return existed;
}

/** Deletes a build dir and its sidecar files (a failed or finished build). */
export function discardBuild(build: string): void {
  for (const p of [build, `${build}.lock`, `${build}.extensions.json`]) fs.rmSync(p, { recursive: true, force: true });
}
