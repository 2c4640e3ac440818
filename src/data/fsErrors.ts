/**
 * File-system failures in the user's words: "cannot read /data/u.data: permission denied" instead of
 * "EACCES: permission denied, open '/data/u.data'". One table of reasons for every layer (the snapshot
 * store words its own steps with it too).
 */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'too many symbolic links (a symlink loop?)',
  ENAMETOOLONG: 'the path is too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EEXIST: 'something of that name is already there',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'it is on another file system',
  EFBIG: 'the file is too large',
  EAGAIN: 'the file is not ready (a pipe or device?)',
  ENXIO: 'no such device (a pipe with no writer, or a socket?)',
  ENODEV: 'no such device',
  EINVAL: 'an invalid argument (a special file?)',
};

const VERBS: Record<string, string> = {
  open: 'read',
  read: 'read',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  opendir: 'list',
  readlink: 'read',
  realpath: 'read',
  write: 'write',
  mkdir: 'create',
  rmdir: 'remove',
  unlink: 'remove',
  rm: 'remove',
  rename: 'move',
  copyfile: 'copy',
  access: 'reach',
  fsync: 'write',
  close: 'write',
};

export function errCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A Node file-system error: an errno code (ENOENT, EACCES, …). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const code = errCode(err);
  return code !== undefined && /^E[A-Z]+$/.test(code) && err instanceof Error;
}

/** "permission denied (EACCES)" for a known code, the raw message otherwise. */
export function fsReason(err: unknown): string {
  const code = errCode(err);
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * One sentence: "cannot read /x/u.data: permission denied (EACCES)". `what` overrides the verb and
 * path ("cannot read the ratings file /x/u.data"); otherwise they come from the error itself.
 */
export function describeFsError(err: unknown, what?: string): string {
  const e = err as NodeJS.ErrnoException;
  const target = what ?? `cannot ${VERBS[e?.syscall ?? ''] ?? 'use'} ${e?.path ?? 'a file'}`;
  return `${target}: ${fsReason(err)}`;
}
