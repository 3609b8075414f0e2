import os from 'node:os';
import path from 'node:path';

/**
 * Keel's per-user cache: `$KEEL_CACHE_DIR`, else `$XDG_CACHE_HOME/keel`, else `~/.cache/keel`. Holds only things that
 * can be rebuilt (the PGlite template, parsed SQL), so deleting it costs speed, never data.
 */
export function cacheDir(): string {
  if (process.env.KEEL_CACHE_DIR) return process.env.KEEL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'keel');
}
