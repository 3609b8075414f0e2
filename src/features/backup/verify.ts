/**
 * Checking a backup before anything reads it into a database: the manifest's format and fields, then every file's
 * size and sha256. Nothing here opens a database.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { Manifest } from './format.js';
import { readManifest } from './manifest.js';

export interface VerifiedBackup {
  dir: string;
  manifest: Manifest;
  /** Files checked (schema.sql and data files) and their total size. */
  files: number;
  bytes: number;
}

/**
 * Verifies the backup folder `dir`; throws a KeelError naming the first file that is missing, has the wrong size or
 * the wrong checksum.
 *
 * @example
 * const { manifest } = await verifyBackup('supabase/backups/20261122T201530Z_full.keel');
 */
export async function verifyBackup(dir: string, opts: { checksums?: boolean } = {}): Promise<VerifiedBackup> {
  const root = path.resolve(dir);
  const manifest = readManifest(root);
  const files: { file: string; bytes: number; sha256: string }[] = [
    ...(manifest.schemaSql ? [manifest.schemaSql] : []),
    ...manifest.tables.map((t) => ({ file: t.file, bytes: t.bytes, sha256: t.sha256 })),
  ];
  let bytes = 0;
  for (const f of files) {
    const full = path.join(root, f.file);
    if (!fs.existsSync(full)) throw damaged(full, 'is missing');
    const size = fs.statSync(full).size;
    if (size !== f.bytes) throw damaged(full, `is ${size} bytes, the manifest says ${f.bytes}${size < f.bytes ? ' (truncated)' : ''}`);
    bytes += size;
    if (opts.checksums === false) continue;
    checkSha256(full, await fileSha256(full), f.sha256);
  }
  return { dir: root, manifest, files: files.length, bytes };
}

/** Throws KEEL_BACKUP_CORRUPT naming `file` when its sha256 is not the manifest's. */
export function checkSha256(file: string, actual: string, expected: string): void {
  if (actual !== expected)
    throw damaged(
      file,
      `has sha256 ${actual.slice(0, 12)}…, the manifest says ${expected.slice(0, 12)}… (the file changed after the backup)`,
    );
}

/** The sha256 of a whole file, read as a stream. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function damaged(file: string, problem: string): KeelError {
  return new KeelError('KEEL_BACKUP_CORRUPT', `${file} ${problem}`, {
    hint: 'the backup is damaged: nothing was restored; use another backup (`ls supabase/backups`)',
  });
}
