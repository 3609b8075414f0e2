import path from 'node:path';
import type { BackupProgress, BackupResult, RestoreResult } from '../commands/backup.js';
import type { PruneResult } from '../features/backup/prune.js';
import { formatBytes } from '../features/backup/format.js';
import { paint, type Io } from './print.js';

/** `keel db backup`, `keel db backup prune` and `keel db restore` for people. */

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function backupText(io: Io, r: BackupResult): string {
  const c = paint(io);
  const user = r.manifest.tables.filter((t) => t.role === 'user');
  const lines = [
    `${c.green('✓')} ${r.type} backup of ${r.target} (${r.engine}, server ${r.manifest.serverVersion}${r.manifest.migrationVersion ? `, migration ${r.manifest.migrationVersion}` : ''}) in ${seconds(r.durationMs)}`,
    `  ${r.path}`,
    `  ${r.manifest.schemaSql ? `schema of ${r.manifest.schemas.join(', ') || '(none)'}; ` : ''}${user.length} table(s), ${r.rows} row(s) (with auth.users and history), ${formatBytes(r.bytes)} on disk`,
  ];
  if (r.historyFile) lines.push(c.dim(`  logged in ${r.historyFile}`));
  for (const n of r.notes ?? []) lines.push(`  ${c.yellow('note')}: ${n}`);
  return lines.join('\n');
}

/** One progress line per table (TTY only; the caller decides). */
export function backupProgressLine(io: Io, e: BackupProgress, last: { table?: string }): string | undefined {
  if (!e.table || e.table === last.table) return undefined;
  last.table = e.table;
  return `${paint(io).dim('·')} [${e.tablesDone + 1}/${e.tablesTotal}] ${e.table} ${paint(io).dim(`(${e.rows} rows, ${formatBytes(e.bytes)} so far)`)}`;
}

export function restoreText(io: Io, r: RestoreResult): string {
  const c = paint(io);
  const lines = [
    `${c.green('✓')} restored ${path.basename(r.backup)} (${r.type}, from ${r.source.engine} server ${r.source.serverVersion}, ${r.source.createdAt}) into ${r.target} (${r.engine}) in ${seconds(r.durationMs)}`,
    `  verified ${r.verified.files} file(s), ${formatBytes(r.verified.bytes)} (sha256 checked as each was read, before commit)`,
  ];
  if (r.cleaned.length) lines.push(`  dropped first: ${r.cleaned.join(', ')}`);
  if (r.schemaApplied) lines.push('  schema.sql applied');
  lines.push(`  ${r.tables.length} table(s), ${r.rows} row(s) loaded; ${r.sequences} sequence(s) set`);
  for (const t of r.tables) if (t.into) lines.push(`  ${t.table} → ${t.into}: ${t.rows} row(s)`);
  for (const n of r.notes) lines.push(`  ${c.yellow('note')}: ${n}`);
  return lines.join('\n');
}

export function pruneText(io: Io, r: PruneResult, dryRun: boolean): string {
  const c = paint(io);
  if (r.removed.length === 0) return `nothing to remove in ${r.dir} (${r.kept.length} backup(s) kept)`;
  const verb = dryRun ? 'would remove' : 'removed';
  return [
    ...r.removed.map((b) => `${c.yellow('-')} ${verb} ${path.basename(b.path)} ${c.dim(`(${b.reason})`)}`),
    `${verb} ${r.removed.length}, kept ${r.kept.length} backup(s) in ${r.dir}`,
  ].join('\n');
}
