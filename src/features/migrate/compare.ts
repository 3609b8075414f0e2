import { orderOf, versionComparator } from '../../core/project/migration-name.js';
import type { MigrationFile } from '../../core/project/files.js';
import type { AppliedMigration } from './history.js';

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

export interface MigrationStatus {
  version: string;
  name: string;
  /** Local file, when there is one. */
  file?: string;
  state: MigrationState;
  appliedAt?: string;
  /** The pending file sorts before the last applied version (it was added out of order, e.g. from a merged branch). */
  outOfOrder?: boolean;
}

export interface Comparison {
  entries: MigrationStatus[];
  pending: MigrationFile[];
  changed: MigrationStatus[];
  missing: MigrationStatus[];
  /** Applied versions newer than every local file: the database is ahead of this checkout. */
  newerInDb: string[];
}

/**
 * Local files against the database's history. A file is `changed` when Keel recorded a different sha256 for it;
 * versions applied by another tool have no hash and count as applied. Versions match as written (`001` is not `1`),
 * as the Supabase CLI matches them; versions are ordered as the local files are (the CLI's text order, or numeric
 * with `[migrations] order = "numeric"`).
 *
 * @example
 * const { pending, changed } = compareHistory(listMigrations(project).migrations, await readHistory(engine));
 */
export function compareHistory(local: MigrationFile[], applied: AppliedMigration[]): Comparison {
  const compareVersions = versionComparator(orderOf(local));
  const byVersion = new Map(applied.map((a) => [a.version, a]));
  const localKeys = new Set(local.map((f) => f.version));
  const lastApplied = applied
    .map((a) => a.version)
    .sort(compareVersions)
    .at(-1);
  const entries: MigrationStatus[] = [];
  const pending: MigrationFile[] = [];
  for (const f of local) {
    const a = byVersion.get(f.version);
    if (!a) {
      pending.push(f);
      const outOfOrder = lastApplied !== undefined && compareVersions(f.version, lastApplied) < 0;
      entries.push({ version: f.version, name: f.name, file: f.file, state: 'pending', ...(outOfOrder && { outOfOrder }) });
    } else {
      const state = a.sha256 && a.sha256 !== f.sha256 ? 'changed' : 'applied';
      entries.push({ version: f.version, name: f.name, file: f.file, state, ...(a.appliedAt && { appliedAt: a.appliedAt }) });
    }
  }
  const lastLocal = local.at(-1)?.version;
  const newerInDb: string[] = [];
  for (const a of applied) {
    if (localKeys.has(a.version)) continue;
    entries.push({ version: a.version, name: a.name ?? '', state: 'missing', ...(a.appliedAt && { appliedAt: a.appliedAt }) });
    if (lastLocal === undefined || compareVersions(a.version, lastLocal) > 0) newerInDb.push(a.version);
  }
  entries.sort((x, y) => compareVersions(x.version, y.version) || (x.version < y.version ? -1 : x.version > y.version ? 1 : 0));
  return {
    entries,
    pending,
    changed: entries.filter((e) => e.state === 'changed'),
    missing: entries.filter((e) => e.state === 'missing'),
    newerInDb,
  };
}
