/**
 * Retention: removing old complete backups from a backups folder (`--keep N`, `--older-than 30d`) and the
 * `.partial-<pid>` folders interrupted backups left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { BACKUP_SUFFIX, MANIFEST_FILE, PARTIAL_MARK } from './format.js';
import { isProcessAlive } from '../../core/process.js';

export interface PruneOptions {
  /** Keep the newest N complete backups. */
  keep?: number;
  /** Remove complete backups older than this (`30d`, `12h`, `2w`, `90m`). */
  olderThan?: string;
  /** List what would go; remove nothing. */
  dryRun?: boolean;
  now?: Date;
}

export interface PrunedBackup {
  path: string;
  createdAt: string | null;
  reason: string;
}

export interface PruneResult {
  dir: string;
  removed: PrunedBackup[];
  kept: string[];
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30d` → milliseconds; KeelError for anything else. */
export function parseAge(text: string): number {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m)
    throw new KeelError('KEEL_BAD_OPTION', `--older-than must be a number and a unit (m, h, d, w), e.g. 30d, not "${text}"`, {
      hint: 'keel db backup prune --older-than 30d',
    });
  return Number(m[1]) * UNITS[m[2]!]!;
}

/**
 * Removes backups in `dir`. A backup is kept when `keep` says it is among the newest N, or when it is not older than
 * `olderThan`; with both, a backup goes only when neither keeps it. Only folders that are complete Keel backups
 * (a `*.keel` folder with a manifest) are considered, plus stale `*.partial-<pid>` folders whose process is gone.
 *
 * @example
 * pruneBackups('supabase/backups', { keep: 10, olderThan: '30d' });
 */
export function pruneBackups(dir: string, opts: PruneOptions): PruneResult {
  if (opts.keep === undefined && opts.olderThan === undefined) {
    throw new KeelError('KEEL_BAD_OPTION', 'prune needs --keep <n> or --older-than <age> (or both)', {
      hint: 'keel db backup prune --keep 10 --older-than 30d',
    });
  }
  if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 0)) {
    throw new KeelError('KEEL_BAD_OPTION', `--keep must be a whole number, not "${opts.keep}"`, { hint: 'keel db backup prune --keep 10' });
  }
  const maxAge = opts.olderThan !== undefined ? parseAge(opts.olderThan) : undefined;
  const now = (opts.now ?? new Date()).getTime();
  const removed: PrunedBackup[] = [];
  if (!fs.existsSync(dir)) return { dir, removed, kept: [] };

  const complete: { path: string; createdAt: string; time: number }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    const partial = entry.name.lastIndexOf(PARTIAL_MARK);
    if (partial !== -1) {
      const pid = Number(entry.name.slice(partial + PARTIAL_MARK.length));
      if (Number.isInteger(pid) && !isProcessAlive(pid))
        removed.push({ path: full, createdAt: null, reason: `interrupted backup (process ${pid} is gone)` });
      continue;
    }
    if (!entry.name.endsWith(BACKUP_SUFFIX) || !fs.existsSync(path.join(full, MANIFEST_FILE))) continue;
    let createdAt: string | undefined;
    try {
      createdAt = (JSON.parse(fs.readFileSync(path.join(full, MANIFEST_FILE), 'utf8')) as { createdAt?: string }).createdAt;
    } catch {
      createdAt = undefined;
    }
    const time = createdAt ? Date.parse(createdAt) : NaN;
    if (Number.isNaN(time)) continue; // not ours to judge: leave it
    complete.push({ path: full, createdAt: createdAt!, time });
  }
  complete.sort((a, b) => b.time - a.time || (a.path < b.path ? 1 : -1));
  const kept: string[] = [];
  for (const [i, b] of complete.entries()) {
    const keptByCount = opts.keep !== undefined && i < opts.keep;
    const keptByAge = maxAge !== undefined && now - b.time <= maxAge;
    const stays = keptByCount || keptByAge || (opts.keep === undefined && maxAge === undefined);
    if (stays) kept.push(b.path);
    else {
      const reasons = [
        opts.keep !== undefined ? `not among the newest ${opts.keep}` : '',
        maxAge !== undefined ? `older than ${opts.olderThan}` : '',
      ].filter(Boolean);
      removed.push({ path: b.path, createdAt: b.createdAt, reason: reasons.join(', ') });
    }
  }
  if (!opts.dryRun) for (const r of removed) fs.rmSync(r.path, { recursive: true, force: true });
  return { dir, removed, kept };
}
