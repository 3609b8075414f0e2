import { KeelError } from './errors.js';

/** What each file-system error code means, in words (Node's messages name the syscall, not the reason). */
const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'a name in the path is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'an input/output error from the device',
  EINVAL: 'the path cannot be used for this (a special file system such as /proc?)',
  EXDEV: 'it is on another device',
  EBUSY: 'the file or folder is busy',
};

/**
 * A file-system error (ENOTDIR, EACCES, ENOSPC, ENAMETOOLONG, …) as a clear KeelError naming the path and the reason in
 * words; undefined for anything else. Features throw their own errors where they know more; this is the net under them.
 *
 * @example
 * try { fs.mkdirSync(dir) } catch (err) { throw fsError(err, 'cannot create the backup folder') ?? err }
 */
export function fsError(err: unknown, doing?: string): KeelError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string' || !(e.code in REASONS) || typeof e.syscall !== 'string') return undefined;
  const where = e.path ? ` ${e.path}` : '';
  const what = doing ?? `cannot ${e.syscall.replace(/^(mkdir|open|write|rename|unlink|rmdir|scandir|stat|lstat|copyfile|symlink|readlink|chmod|utime)(sync)?$/i, (_m, s: string) => VERBS[s.toLowerCase()] ?? s)}`;
  return new KeelError('KEEL_FS', `${what}${where}: ${REASONS[e.code]} (${e.code})`, {
    hint: HINTS[e.code] ?? 'check the path and try again',
    cause: err,
  });
}

const VERBS: Record<string, string> = {
  mkdir: 'create the folder', open: 'open', write: 'write', rename: 'rename', unlink: 'remove', rmdir: 'remove the folder', scandir: 'list the folder',
  stat: 'read', lstat: 'read', copyfile: 'copy', symlink: 'create the link', readlink: 'read the link', chmod: 'change the mode of', utime: 'touch',
};

const HINTS: Record<string, string> = {
  ENOTDIR: 'choose a path whose parent folders are folders',
  ENOENT: 'check the path exists',
  EACCES: 'choose a folder you can write to, or fix its permissions',
  EPERM: 'choose a folder you can write to, or fix its permissions',
  EROFS: 'choose a folder on a writable file system',
  ENOSPC: 'free some space (or choose another disk) and run it again; nothing was left that looks complete',
  EDQUOT: 'free some space (or choose another disk) and run it again',
  ENAMETOOLONG: 'use a shorter name (file systems allow 255 bytes per name)',
  EINVAL: 'choose an ordinary folder',
};
