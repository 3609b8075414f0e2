/**
 * Reading and checking a backup's `manifest.json`: the format name and version, and every field a restore relies on,
 * so a hand-edited or foreign file is refused with the field it got wrong instead of failing half-way through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { writeSynced } from './output.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './format.js';

function bad(dir: string, problem: string): KeelError {
  return new KeelError('KEEL_BACKUP_INVALID', `${path.join(dir, MANIFEST_FILE)}: ${problem}`, {
    hint: 'the backup is damaged or was not written by `keel db backup`; use another backup',
  });
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isSha = (v: unknown): v is string => isStr(v) && /^[0-9a-f]{64}$/.test(v);
/** Relative, inside the backup folder. */
const isInside = (v: unknown): v is string => isStr(v) && v.length > 0 && !path.isAbsolute(v) && !v.split(/[\\/]/).includes('..');

/**
 * Reads and validates `<dir>/manifest.json`. Throws KEEL_BACKUP_INVALID naming the first problem, or
 * KEEL_BACKUP_VERSION for a format version this Keel cannot read.
 *
 * @example
 * const m = readManifest('supabase/backups/20261122T201530Z_full.keel');
 */
export function readManifest(dir: string): Manifest {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new KeelError('KEEL_BACKUP_MISSING', `no backup folder at ${dir}`, {
      hint: 'pass the folder `keel db backup` wrote (supabase/backups/<timestamp>_<type>.keel)',
    });
  }
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) {
    throw new KeelError('KEEL_BACKUP_INCOMPLETE', `${dir} has no ${MANIFEST_FILE}: it is not a complete backup`, {
      hint: 'an interrupted backup never gets its manifest; take a new backup or use another one',
    });
  }
  let m: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    m = parsed as Record<string, unknown>;
  } catch (err) {
    throw bad(dir, `not valid JSON (${(err as Error).message})`);
  }
  if (m.format !== BACKUP_FORMAT) throw bad(dir, `format is ${JSON.stringify(m.format)}, expected "${BACKUP_FORMAT}"`);
  if (m.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new KeelError(
      'KEEL_BACKUP_VERSION',
      `${file}: format version ${JSON.stringify(m.formatVersion)} is not one this Keel reads (${BACKUP_FORMAT_VERSION})`,
      {
        hint:
          typeof m.formatVersion === 'number' && m.formatVersion > BACKUP_FORMAT_VERSION
            ? 'upgrade Keel to restore it'
            : 'the manifest is damaged; use another backup',
      },
    );
  }
  const need = (ok: boolean, what: string) => {
    if (!ok) throw bad(dir, what);
  };
  need(isStr(m.keelVersion), 'keelVersion must be a string');
  need(m.engine === 'pglite' || m.engine === 'postgres', 'engine must be "pglite" or "postgres"');
  need(isInt(m.serverVersion), 'serverVersion must be a number');
  need(m.migrationVersion === null || isStr(m.migrationVersion), 'migrationVersion must be a string or null');
  need(isStr(m.createdAt) && !Number.isNaN(Date.parse(m.createdAt)), 'createdAt must be an ISO date');
  need(m.type === 'full' || m.type === 'schema' || m.type === 'data', 'type must be full, schema or data');
  need(Array.isArray(m.schemas) && m.schemas.every(isStr), 'schemas must be a list of names');
  need(Array.isArray(m.extensions) && m.extensions.every(isStr), 'extensions must be a list of names');
  const s = m.schemaSql as Record<string, unknown> | null;
  need(
    s === null || (typeof s === 'object' && isInside(s.file) && isInt(s.bytes) && isSha(s.sha256)),
    'schemaSql must be null or {file, bytes, sha256}',
  );
  need((m.type === 'data') === (s === null), m.type === 'data' ? 'a data-only backup has no schemaSql' : 'schemaSql is missing');
  need(Array.isArray(m.tables), 'tables must be a list');
  for (const [i, t] of (m.tables as Record<string, unknown>[]).entries()) {
    const ok =
      t &&
      typeof t === 'object' &&
      isStr(t.schema) &&
      isStr(t.name) &&
      (t.role === 'user' || t.role === 'auth' || t.role === 'platform' || t.role === 'history') &&
      Array.isArray(t.columns) &&
      t.columns.length > 0 &&
      (t.columns as Record<string, unknown>[]).every((c) => c && isStr(c.name) && isStr(c.type)) &&
      isInt(t.rows) &&
      isInt(t.bytes) &&
      isSha(t.sha256) &&
      isInside(t.file);
    need(Boolean(ok), `tables[${i}] must have schema, name, role, columns [{name, type}], rows, bytes, sha256 and file`);
  }
  need(Array.isArray(m.sequences), 'sequences must be a list');
  for (const [i, q] of (m.sequences as Record<string, unknown>[]).entries()) {
    const owned = q?.ownedBy as Record<string, unknown> | null | undefined;
    const ok =
      q &&
      typeof q === 'object' &&
      isStr(q.schema) &&
      isStr(q.name) &&
      isStr(q.lastValue) &&
      /^-?\d+$/.test(q.lastValue) &&
      typeof q.isCalled === 'boolean' &&
      (owned === null || (owned && isStr(owned.schema) && isStr(owned.table) && isStr(owned.column)));
    need(Boolean(ok), `sequences[${i}] must have schema, name, ownedBy, lastValue (digits) and isCalled`);
  }
  return m as unknown as Manifest;
}

/** Writes the manifest (pretty JSON) and fsyncs it. */
export function writeManifestFile(dir: string, manifest: Manifest): void {
  const file = path.join(dir, MANIFEST_FILE);
  // Every byte or an error (a short write on a full disk continues, then fails): never a shorter manifest.
  writeSynced(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
