/**
 * The backup folder on disk: checking where it goes before anything is read, creating its parents without retrying,
 * writing whole buffers, and turning what the file system refused (ENOTDIR, EACCES, ENAMETOOLONG, ENOSPC, EROFS, a
 * folder such as /proc that takes no new entries, …) into a KeelError naming the path and the reason in words.
 *
 * Nothing here calls `fs.mkdirSync(…, { recursive: true })`: Node's native recursive mkdir reads ENOENT as "the parent
 * is missing", makes the parent (EEXIST: fine), retries the child, gets ENOENT again, and so on forever where a folder
 * exists but refuses new entries with ENOENT (procfs: `mkdir /proc/x`). Every loop here ends: the walk up stops at the
 * root, each folder is created once, and a write that makes no progress is an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';

/** What each error code means, in words (Node's messages name the syscall, not the reason). */
const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'something else already has that name',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for the file system',
  ENAMETOOLONG: 'a name in the path is too long for the file system',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error from the device',
  EINVAL: 'the file system does not allow it here',
  EBUSY: 'the file or folder is busy',
  EXDEV: 'it is on another device',
};

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

/** A Node file-system error (it has an errno code and a syscall). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return err instanceof Error && typeof e?.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

function fsErr(code: string, syscall: string, p: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall} '${p}'`), { code, syscall, path: p });
}

/** The reason in words; for ENOENT on a path whose parent folder exists, what that really means (procfs, sysfs). */
function reason(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'ENOENT' && e.syscall === 'mkdir' && e.path) {
    const parent = path.dirname(e.path);
    if (isDir(parent)) return `${parent} exists but takes no new folders (a virtual file system such as /proc or /sys?)`;
  }
  if (dangling(e)) return 'it is a symbolic link to a folder that does not exist';
  return REASONS[code] ?? e.message.replace(/^E[A-Z0-9]+: /, '').replace(/, [a-z]+ '.*'$/, '');
}

function dangling(e: NodeJS.ErrnoException): boolean {
  return e.code === 'EEXIST' && e.message.includes('dangling');
}

/** `permission denied (EACCES)`: the reason in words and the code. */
export function describeFsError(err: NodeJS.ErrnoException): string {
  return `${reason(err)} (${err.code ?? 'EIO'})`;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

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
    hint: [dangling(err) ? `${err.path} is a symbolic link to nothing: create its target, or choose another --output` : HINTS[code] ?? 'check the --output path and try again', note].filter(Boolean).join('; '),
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
  throw new KeelError('KEEL_BACKUP_EXISTS', `${finalPath} already exists`, { hint: 'choose another --output, or remove the old backup first' });
}

/**
 * `mkdir -p` that ends: walks up to the nearest existing folder (one step per path component), then creates each
 * missing folder once, with a plain mkdir. A folder that refuses the new entry fails at once.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (let depth = 0; ; depth++) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (err) {
      if (!isFsError(err) || err.code !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) throw fsErr('ENOTDIR', 'mkdir', p, 'not a directory');
      break;
    }
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p || depth > 4096) break; // the root: dirname no longer shortens the path
    p = parent;
  }
  for (const d of missing.reverse()) makeDir(d);
}

/** One plain mkdir; an existing folder is fine, anything else with that name is not. */
export function makeDir(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if (!isFsError(err) || err.code !== 'EEXIST') throw err;
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      throw fsErr('EEXIST', 'mkdir', dir, 'dangling symbolic link');
    }
    if (!st.isDirectory()) throw fsErr('EEXIST', 'mkdir', dir, 'file already exists');
  }
}

/**
 * Writes all of `data` at the file's current position: a short write (the disk filling up) is continued, and a write
 * that makes no progress is an error, never a silently shorter file.
 */
export function writeAllSync(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off);
    if (n <= 0) throw fsErr('ENOSPC', 'write', '', 'no progress writing');
    off += n;
  }
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
