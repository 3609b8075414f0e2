import { KeelError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';

/**
 * The database URL a command was given: `--db-url`, else `DATABASE_URL` (an empty variable counts as unset, as libpq
 * treats it), else none (the embedded database). A URL Keel cannot use is refused before anything connects, and its
 * password is registered for scrubbing first, so no message can print it: `--db-url ''` (say `--db-url "$UNSET_VAR"`),
 * text without a `postgres://` scheme (`user:pass@host/db`), and schemes of other databases (`mysql://`, `file://`).
 *
 * @example
 * databaseUrl({ dbUrl: 'postgres://app:pw@db:5432/app' }) // 'postgres://app:pw@db:5432/app'
 * databaseUrl({ env: {} }) // undefined
 */
export function databaseUrl(opts: { dbUrl?: string; env?: NodeJS.ProcessEnv }): string | undefined {
  if (opts.dbUrl !== undefined) return checkDatabaseUrl(opts.dbUrl, '--db-url');
  const env = (opts.env ?? process.env).DATABASE_URL;
  return env === undefined || env.trim() === '' ? undefined : checkDatabaseUrl(env, 'DATABASE_URL');
}

const EXAMPLE = 'postgres://USER@HOST:5432/DATABASE (a password goes after USER and a colon)';

/** Validates one URL (see {@link databaseUrl}); `source` names where it came from in the message. */
export function checkDatabaseUrl(url: string, source: string): string {
  registerSecret(looseSecret(url));
  const bad = (message: string, hint = `give a URL like ${EXAMPLE}`) => new KeelError('KEEL_BAD_URL', message, { hint });
  if (url.trim() === '') {
    throw bad(
      `${source} is empty`,
      `give a URL like ${EXAMPLE}, or leave ${source === '--db-url' ? 'the option' : 'the variable'} out to use the embedded database`,
    );
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url.trim())?.[1]?.toLowerCase();
  if (!scheme) throw bad(`${source} is not a connection URL: ${maskUrl(url)} has no postgres:// scheme`);
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw bad(`${source} is a ${scheme}:// URL: Keel connects to PostgreSQL only (postgres:// or postgresql://)`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw bad(
      `${source} is not a valid connection URL: ${maskUrl(url)}`,
      `check its syntax (special characters in the password must be percent-encoded); ${EXAMPLE}`,
    );
  }
  try {
    registerSecret(decodeURIComponent(parsed.password));
  } catch {
    throw bad(
      `${source} has a password that is not valid percent-encoding`,
      'encode special characters in the password: % as %25, @ as %40, : as %3A',
    );
  }
  for (const [part, text] of [
    ['user name', parsed.username],
    ['database name', parsed.pathname.slice(1)],
  ] as const) {
    try {
      decodeURIComponent(text);
    } catch {
      throw bad(
        `${source} has a ${part} that is not valid percent-encoding: ${maskUrl(url)}`,
        'encode special characters in it: % as %25, @ as %40, : as %3A, / as %2F',
      );
    }
  }
  return url.trim();
}

/** Everything between the first `:` after the user and the last `@`, for text that may not parse as a URL. */
function looseSecret(url: string): string | undefined {
  const text = url.trim();
  const m = (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? /^[^:]+:\/\/[^:/@\s]*:(.+)@[^@]*$/ : /^[^:/@\s]*:(.+)@[^@]*$/).exec(text);
  return m?.[1];
}

/** The URL with any password replaced by `***`, even when it does not parse. */
export function maskUrl(url: string): string {
  const secret = looseSecret(url);
  return JSON.stringify(secret ? url.trim().replace(`:${secret}@`, ':***@') : url.trim());
}
