/**
 * The backup tracking log of seed 000: `docs/backup-history.md` in the project root, one table row per backup
 * (date, type, objects, size, reference).
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, type Manifest } from './format.js';
import { makeDirs } from '../../core/fs.js';

export const HISTORY_FILE = path.join('docs', 'backup-history.md');

const HEADER = `# Backup history

One line per backup, appended by \`keel db backup\` (and by \`keel db migrate\` before it changes a remote database).
Restore one with \`keel db restore <reference>\`.

| Date (UTC) | Type | Objects | Size | Reference |
|---|---|---|---|---|
`;

/**
 * Appends a row for the backup at `backupPath` (written with `manifest`) to `<root>/docs/backup-history.md`, creating
 * the file with its header first. Returns the file's path.
 *
 * @example
 * appendBackupHistory(project.root, r.path, r.manifest, r.bytes, 'before keel db migrate');
 */
export function appendBackupHistory(root: string, backupPath: string, manifest: Manifest, bytes: number, note?: string): string {
  const file = path.join(root, HISTORY_FILE);
  makeDirs(path.dirname(file));
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) fs.writeFileSync(file, HEADER);
  const date = manifest.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
  const type = { full: 'Full', schema: 'Schema', data: 'Data' }[manifest.type] + (note ? ` (${note})` : '');
  const rows = manifest.tables.filter((t) => t.role !== 'history').reduce((n, t) => n + t.rows, 0);
  const userTables = manifest.tables.filter((t) => t.role === 'user').length;
  const objects =
    manifest.type === 'schema'
      ? `schema of ${manifest.schemas.join(', ') || '(no schema)'}`
      : `${userTables} table(s) in ${manifest.schemas.join(', ') || '(no schema)'}, ${rows} row(s)`;
  const rel = path.relative(root, backupPath);
  const reference = rel.startsWith('..') || path.isAbsolute(rel) ? backupPath : rel.split(path.sep).join('/');
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const migration = manifest.migrationVersion ? `, migration ${manifest.migrationVersion}` : '';
  const lead = fs.readFileSync(file, 'utf8').endsWith('\n') ? '' : '\n';
  fs.appendFileSync(
    file,
    `${lead}| ${date} | ${cell(type)} | ${cell(objects + migration)} | ${formatBytes(bytes)} | \`${cell(reference)}\` |\n`,
  );
  return file;
}
