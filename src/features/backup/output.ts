/**
 * The backup folder on disk: checking where it goes before anything is read, fsynced whole writes, and turning what
 * the file system refused into a KeelError (`KEEL_BACKUP_OUTPUT` / `KEEL_BACKUP_WRITE`) naming the path and the reason
 * in words. Folders are made with core/fs.ts `makeDirs` (never Node's recursive mkdir, which loops forever on /proc).
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { fsReason as reason, isDanglingLink as dangling, isFsError, writeAllSync } from '../../core/fs.js';

const HINTS: Record<string, string> = {
  ENOTDIR: 'choose an --output whose parent folders are folders',
  ENOENT: 'choose an --output in an existing, ordinary folder',
  EEXIST: 'choose another --output',
  EACCES: 'choose an --output folder you can write to, or fix its permissions',
  EPERM: 'choose an --output folder you can write to, or fix its permissions',
  EROFS: 'choose an --output on a writable file system',
  ENOSPC: 'free some space (or choose --output on another disk) and run the backup again',
  EDQUOT: 'free some space (or choose --output on another disk) and run the backup again',
  EFBIG: 'choose --output on a file system that allows larger files',
  ENAMETOOLONG: 'use a shorter --output (file systems allow 255 bytes per name)',
  EINVAL: 'choose an --output in an ordinary folder',
};

/**
 * The KeelError for a file-system error met while writing the backup at `finalPath`: `KEEL_BACKUP_OUTPUT` when the
 * folder could not be made at all, `KEEL_BACKUP_WRITE` when writing into it failed (the disk filled up, …).
 */
export function backupFsError(err: NodeJS.ErrnoException, finalPath: string, phase: 'output' | 'write', note?: string): KeelError {
  const code = err.code ?? 'EIO';
  const at = err.path && path.resolve(err.path) !== finalPath ? `, at ${err.path}` : '';
  const what = phase === 'output' ? `cannot create the backup folder ${finalPath}` : `cannot write the backup ${finalPath}`;
  const left = phase === 'write' ? '; nothing that looks like a complete backup was left' : '';
  return new KeelError(phase === 'output' ? 'KEEL_BACKUP_OUTPUT' : 'KEEL_BACKUP_WRITE', `${what}: ${reason(err)} (${code}${at})${left}`, {
    hint: [
      dangling(err)
        ? `${err.path} is a symbolic link to nothing: create its target, or choose another --output`
        : (HINTS[code] ?? 'check the --output path and try again'),
      note,
    ]
      .filter(Boolean)
      .join('; '),
    cause: err,
  });
}

/**
 * Checks, before the database is opened, that a backup can go to `finalPath`: nothing there yet, and no part of the
 * path that is a file, too long or unreadable (lstat reports ENOTDIR, ENAMETOOLONG, EACCES without creating anything).
 */
export function checkBackupOutput(finalPath: string): void {
  try {
    fs.lstatSync(finalPath);
  } catch (err) {
    if (isFsError(err) && err.code === 'ENOENT') return;
    if (isFsError(err)) throw backupFsError(err, finalPath, 'output');
    throw err;
  }
  throw new KeelError('KEEL_BACKUP_EXISTS', `${finalPath} already exists`, {
    hint: 'choose another --output, or remove the old backup first',
  });
}

/** Writes `text` to a new file and fsyncs it. */
export function writeSynced(file: string, text: string): void {
  try {
    const fd = fs.openSync(file, 'w');
    try {
      writeAllSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw withPath(err, file);
  }
}

/** A file-system error that names `file` (write and fsync errors name no path of their own). */
export function withPath(err: unknown, file: string): unknown {
  if (isFsError(err) && !err.path) err.path = file;
  return err;
}

/** Removes `dir` (a failed backup's partial folder); the error, if it could not, rather than a second exception. */
export function removeQuietly(dir: string): NodeJS.ErrnoException | undefined {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 0 });
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}
