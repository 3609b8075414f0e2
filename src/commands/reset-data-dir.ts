import fs from 'node:fs';
import path from 'node:path';
import { acquireDataDirLock } from '../db/pglite/lock.js';
import { buildDirFor, discardBuild, freshDataDir, prepareSpare, recoverDataDir, swapDataDir } from '../db/pglite/data-dir.js';
import type { Project } from '../core/project/layout.js';
import { extensionsUsed } from '../features/migrate/load.js';
import { withProjectSql } from './context.js';
import { buildOn, type ResetOptions, type ResetResult } from './reset.js';

function rememberedExtensions(dataDir: string): string[] {
  try {
    return JSON.parse(fs.readFileSync(`${dataDir}.extensions.json`, 'utf8')) as string[];
  } catch {
    return [];
  }
}

/**
 * `keel db reset` on the embedded data dir: holding the data dir's lock, builds the whole database in a fresh data dir
 * beside it (a copy of the cached template), and renames it into place only when every file succeeded. A failure or
 * a kill leaves the previous data dir as it was, byte for byte; the half-built one is removed (now, or by the next
 * command that opens the data dir).
 */
export async function resetDataDir(project: Project, dataDirIn: string, opts: ResetOptions): Promise<ResetResult> {
  const started = performance.now();
  const dataDir = path.resolve(dataDirIn);
  const release = acquireDataDirLock(dataDir, 'keel db reset');
  try {
    recoverDataDir(dataDir);
    const build = buildDirFor(dataDir);
    let result: ResetResult;
    let spare: Promise<void> | undefined;
    try {
      await freshDataDir(build, 'supabase', dataDir);
      // Open with the extensions the previous data dir used: most resets need no second open.
      const extensions = rememberedExtensions(dataDir);
      result = await withProjectSql(
        project,
        { ...opts, command: 'keel db reset (build)', target: { kind: 'pglite', dataDir: build }, extensions },
        async (engine, sql) => {
          // the next reset's fresh data dir is copied meanwhile (the build keeps PGlite's worker busy)
          spare = prepareSpare(dataDir, 'supabase');
          const r = await buildOn(engine, sql, opts, { mode: 'data-dir' });
          // from now on the data dir registers what the project creates, not what older builds did
          fs.writeFileSync(`${build}.extensions.json`, JSON.stringify(extensionsUsed(sql)));
          return r;
        },
      );
    } catch (err) {
      await spare;
      discardBuild(build);
      throw err;
    }
    const replaced = await swapDataDir(dataDir, build);
    await spare;
    return { ...result, target: `pglite:${dataDir}`, replaced, durationMs: performance.now() - started };
  } finally {
    release();
  }
}
