/**
 * File-system helpers every command shares: a `mkdir -p` that always ends, whole writes, and file-system errors
 * (ENOTDIR, EACCES, ENAMETOOLONG, ENOSPC, EROFS, a folder such as /proc that takes no new entries, …) in words.
 *
 * Nothing in Keel calls `fs.mkdirSync(…, { recursive: true })`: Node's native recursive mkdir reads ENOENT as "the
 * parent is missing", makes the parent (EEXIST: fine), retries the child, gets ENOENT again, and so on forever where a
 * folder exists but refuses new entries with ENOENT (procfs: `mkdir /proc/x`). `makeDirs` walks up once and creates
 * each missing folder once.
 *
 * @example
 * makeDirs('supabase/types');                      // like mkdir -p, but fails at once under /proc
 * try { … } catch (err) { throw fsError(err, 'cannot write types.ts') ?? err; }
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from './errors.js';

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

/** Generic hints (features with a named option, such as backup's --output, give their own). */
const HINTS: Record<string, string> = {
  ENOTDIR: 'choose a path whose parent folders are folders',
  ENOENT: 'check the path exists',
  EEXIST: 'choose another name, or remove what is there',
  EACCES: 'choose a folder you can write to, or fix its permissions',
  EPERM: 'choose a folder you can write to, or fix its permissions',
  EROFS: 'choose a folder on a writable file system',
  ENOSPC: 'free some space (or choose another disk) and run it again',
  EDQUOT: 'free some space (or choose another disk) and run it again',
  ENAMETOOLONG: 'use a shorter name (file systems allow 255 bytes per name)',
  EINVAL: 'choose an ordinary folder',
};

/** A Node file-system error (it has an errno code and a syscall). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return err instanceof Error && typeof e?.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** A synthetic file-system error, shaped as Node's own. */
export function makeFsError(code: string, syscall: string, p: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall} '${p}'`), { code, syscall, path: p });
}

/** Whether the error is EEXIST on a dangling symbolic link (see `makeDir`). */
export function isDanglingLink(e: NodeJS.ErrnoException): boolean {
  return e.code === 'EEXIST' && e.message.includes('dangling');
}

/** The reason in words; for ENOENT on a path whose parent folder exists, what that really means (procfs, sysfs). */
export function fsReason(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'ENOENT' && e.syscall === 'mkdir' && e.path) {
    const parent = path.dirname(e.path);
    if (isDir(parent)) return `${parent} exists but takes no new folders (a virtual file system such as /proc or /sys?)`;
  }
  if (isDanglingLink(e)) return 'it is a symbolic link to a folder that does not exist';
  return REASONS[code] ?? e.message.replace(/^E[A-Z0-9]+: /, '').replace(/, [a-z]+ '.*'$/, '');
}

/** `permission denied (EACCES)`: the reason in words and the code. */
export function describeFsError(err: NodeJS.ErrnoException): string {
  return `${fsReason(err)} (${err.code ?? 'EIO'})`;
}

const VERBS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  write: 'write',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove the folder',
  scandir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy',
  symlink: 'create the link',
  readlink: 'read the link',
  chmod: 'change the mode of',
  utime: 'touch',
  read: 'read',
  fsync: 'write',
};

/**
 * A file-system error as a clear KeelError (`KEEL_FS`) naming the path and the reason in words; undefined for anything
 * else. Features throw their own errors where they know more; the CLI uses this as the net under them.
 */
export function fsError(err: unknown, doing?: string): KeelError | undefined {
  if (!isFsError(err) || !(err.code! in REASONS)) return undefined;
  const syscall = (err.syscall ?? '').replace(/sync$/i, '').toLowerCase();
  const what = doing ?? `cannot ${VERBS[syscall] ?? syscall}`;
  return new KeelError('KEEL_FS', `${what}${err.path ? ` ${err.path}` : ''}: ${describeFsError(err)}`, {
    hint: HINTS[err.code!] ?? 'check the path and try again',
    cause: err,
  });
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
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
      if (!st.isDirectory()) throw makeFsError('ENOTDIR', 'mkdir', p, 'not a directory');
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
      throw makeFsError('EEXIST', 'mkdir', dir, 'dangling symbolic link');
    }
    if (!st.isDirectory()) throw makeFsError('EEXIST', 'mkdir', dir, 'file already exists');
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
    if (n <= 0) throw makeFsError('ENOSPC', 'write', '', 'no progress writing');
    off += n;
  }
}

/**
 * Keeps an append-only log from growing without end: when `file` is over `maxBytes`, it becomes `<file>.1` (the one
 * before is dropped) and the next write starts a new one. Best effort: a log that cannot be moved is left as it is.
 *
 * @example
 * rotateLog('supabase/.keel/pglite.host.log'); // before opening it with 'a'
 */
export function rotateLog(file: string, maxBytes = 1024 * 1024): boolean {
  try {
    if (fs.statSync(file).size <= maxBytes) return false;
    fs.renameSync(file, `${file}.1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `file` whole or not at all, as a reader sees it: into `<file>.<pid>.tmp` beside it, then renamed over it (the
 * folder is made first). For caches and state files other processes read at any moment.
 *
 * @example
 * replaceFile(path.join(cacheDir(), 'x.json'), JSON.stringify(value));
 */
export function replaceFile(file: string, data: string | Uint8Array): void {
  makeDirs(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
