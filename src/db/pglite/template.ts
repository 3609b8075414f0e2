import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cacheDir } from '../../core/cache-dir.js';
import { makeDirs, replaceFile } from '../../core/fs.js';

const require = createRequire(import.meta.url);

/** The installed PGlite version: part of the template's cache key, since data dirs are not portable across versions. */
export function pgliteVersion(): string {
  const pkgPath = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
}

/**
 * A freshly initialised PGlite data dir as a gzipped tarball, cached per PGlite version and `flavour` (what was
 * installed beyond initdb; see flavour.ts): loading it takes about 0.6 s where initdb takes 3–10 s. `build` makes one
 * when the cache has none; the file is written atomically so two processes racing to build it both end with a whole
 * file.
 *
 * @example
 * const tarball = await cachedTemplate(() => buildTemplateInWorker());
 */
export async function cachedTemplate(build: () => Promise<Uint8Array>, flavour = ''): Promise<Uint8Array> {
  const file = path.join(cacheDir(), `pglite-${pgliteVersion()}${flavour && `-${flavour}`}-template.tar.gz`);
  try {
    return fs.readFileSync(file);
  } catch {
    /* not cached yet */
  }
  const bytes = await build();
  try {
    replaceFile(file, bytes);
  } catch {
    /* a read-only cache only costs speed */
  }
  return bytes;
}

/**
 * The same template unpacked into a data dir that PGlite has opened and shut down once, cached per PGlite version.
 * Copying it (about 0.05 s for 40 MB) and opening the copy as an existing data dir (about 0.55 s) is what makes a
 * fresh database cheap enough for every `keel db reset`: opening from the tarball takes 1.1–1.7 s. `materialize`
 * unpacks the tarball into the folder it is given (opening and closing PGlite there). Undefined when the cache is not
 * writable: callers then open from the tarball.
 *
 * @example
 * const dir = await cachedTemplateDir((into) => materializeTemplate(into));
 */
export async function cachedTemplateDir(materialize: (into: string) => Promise<void>, flavour = ''): Promise<string | undefined> {
  const dir = path.join(cacheDir(), `pglite-${pgliteVersion()}${flavour && `-${flavour}`}-template.d`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`;
  try {
    makeDirs(path.dirname(dir));
    await materialize(tmp);
    try {
      fs.renameSync(tmp, dir); // whole or absent: a reader never sees a half-written template
    } catch {
      /* another process got there first: theirs is as good */
    }
    return fs.existsSync(path.join(dir, 'PG_VERSION')) ? dir : undefined;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Copies a data dir, leaving runs of zero pages as holes: a fresh cluster's 16 MB WAL segment is more than half zeros,
 * and Postgres reads a hole as the zeros it was. The copy is a new, independent database.
 *
 * @example
 * copyDataDir(templateDir, 'supabase/.keel/pglite.reset-123-ab12');
 */
export function copyDataDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: false });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) copyDataDir(src, dest);
    else if (entry.isFile()) copySparse(src, dest);
  }
}

const PAGE = 8192;

function copySparse(src: string, dest: string): void {
  const data = fs.readFileSync(src);
  const fd = fs.openSync(dest, 'wx', fs.statSync(src).mode & 0o777);
  try {
    for (const [at, end] of dataRuns(data)) fs.writeSync(fd, data, at, end - at, at);
    fs.ftruncateSync(fd, data.length);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link copyDataDir} on the thread pool, so it overlaps work on other threads (a PGlite build in its worker). */
export async function copyDataDirAsync(from: string, to: string): Promise<void> {
  await fs.promises.mkdir(to, { recursive: false });
  for (const entry of await fs.promises.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) await copyDataDirAsync(src, dest);
    else if (entry.isFile()) await copySparseAsync(src, dest);
  }
}

async function copySparseAsync(src: string, dest: string): Promise<void> {
  const data = await fs.promises.readFile(src);
  const fh = await fs.promises.open(dest, 'wx', (await fs.promises.stat(src)).mode & 0o777);
  try {
    for (const [at, end] of dataRuns(data)) await fh.write(data, at, end - at, at);
    await fh.truncate(data.length);
  } finally {
    await fh.close();
  }
}

/** [start, end) byte ranges of `data` holding pages that are not all zeros. */
function dataRuns(data: Buffer): [number, number][] {
  const runs: [number, number][] = [];
  let at = 0;
  while (at < data.length) {
    while (at < data.length && isZero(data, at, Math.min(at + PAGE, data.length))) at += PAGE;
    let end = at;
    while (end < data.length && !isZero(data, end, Math.min(end + PAGE, data.length))) end += PAGE;
    end = Math.min(end, data.length);
    if (end > at) runs.push([at, end]);
    at = end;
  }
  return runs;
}

function isZero(data: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i] !== 0) return false;
  return true;
}
