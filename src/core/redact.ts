/**
 * Hides the password of every connection URL in a text. Used on every target description and on every message that
 * leaves Keel, so a password given in `--db-url` or `DATABASE_URL` is never printed.
 *
 * @example
 * redact('postgres://app:s3cret@db.example.com:6543/postgres') // 'postgres://app:***@db.example.com:6543/postgres'
 */
export function redact(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):([^@\s]*)@/gi, '$1:***@')
    .replace(/(\bpassword\s*=\s*)('[^']*'|[^\s&]+)/gi, '$1***');
}

/** The secrets known to this process (the password of the URL in use), scrubbed from any text as well. */
const secrets = new Set<string>();

/** Registers a secret to scrub from output even where it appears outside a URL (say, echoed in a server message). */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 3) secrets.add(secret);
}

/** {@link redact} plus removal of every registered secret. */
export function scrub(text: string): string {
  let out = redact(text);
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
