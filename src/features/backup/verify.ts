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
export async function verifyBackup(dir: string): Promise<VerifiedBackup> {
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
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(full)) hash.update(chunk as Buffer);
    const sha = hash.digest('hex');
    if (sha !== f.sha256)
      throw damaged(
        full,
        `has sha256 ${sha.slice(0, 12)}…, the manifest says ${f.sha256.slice(0, 12)}… (the file changed after the backup)`,
      );
    bytes += size;
  }
  return { dir: root, manifest, files: files.length, bytes };
}

function damaged(file: string, problem: string): KeelError {
  return new KeelError('KEEL_BACKUP_CORRUPT', `${file} ${problem}`, {
    hint: 'the backup is damaged: nothing was restored; use another backup (`ls supabase/backups`)',
  });
}
