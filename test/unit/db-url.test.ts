import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkDatabaseUrl, databaseUrl, maskUrl } from '../../src/db/url.js';
import { KeelError } from '../../src/core/errors.js';

const SECRET = 'pw-Zq9!x';

function keelError(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KeelError) return err;
    throw err;
  }
  throw new Error('expected a KeelError');
}

describe('connection URLs are checked before anything connects', () => {
  it('takes --db-url over DATABASE_URL, and an empty DATABASE_URL as unset', () => {
    expect(databaseUrl({ dbUrl: 'postgres://a@h/db', env: { DATABASE_URL: 'postgres://b@h/db' } })).toBe('postgres://a@h/db');
    expect(databaseUrl({ env: { DATABASE_URL: 'postgresql://b@h/db' } })).toBe('postgresql://b@h/db');
    expect(databaseUrl({ env: { DATABASE_URL: '  ' } })).toBeUndefined();
    expect(databaseUrl({ env: {} })).toBeUndefined();
  });

  it.each([
    ['', /--db-url is empty/],
    [`app:${SECRET}@db.example.com:5432/app`, /has no postgres:\/\/ scheme/],
    [`mysql://app:${SECRET}@db/app`, /a mysql:\/\/ URL: Keel connects to PostgreSQL only/],
    ['file:///tmp/x.db', /a file:\/\/ URL/],
    ['postgres://app:%zz@db/app', /not valid percent-encoding/],
    [`postgres://a%zzp:${SECRET}@db/app`, /user name that is not valid percent-encoding/],
    [`postgres://app:${SECRET}@db/a%e9b`, /database name that is not valid percent-encoding/],
    ['postgres://app:pw@[::1/app', /not a valid connection URL/],
  ])('refuses %j with KEEL_BAD_URL, never printing the password', (url, message) => {
    const e = keelError(() => databaseUrl({ dbUrl: url }));
    expect(e.code).toBe('KEEL_BAD_URL');
    expect(e.message).toMatch(message);
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain(SECRET);
    expect(e.hint).toBeTruthy();
  });

  it('masks a password even in text that does not parse as a URL', () => {
    expect(maskUrl(`app:${SECRET}@host/db`)).toBe('"app:***@host/db"');
    expect(maskUrl(`postgres://app:${SECRET}@host/db`)).toBe('"postgres://app:***@host/db"');
    expect(maskUrl('postgres://app@host/db')).toBe('"postgres://app@host/db"');
    expect(checkDatabaseUrl(' postgres://app@host/db ', 'x')).toBe('postgres://app@host/db');
  });
});

describe('the CLI on a bad URL: exit 2, one clear message, JSON under --json', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-url-'));
  fs.mkdirSync(path.join(root, 'supabase', 'migrations'), { recursive: true });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    // No scrubbing io here: the messages themselves must not hold the password.
    const code = await main([...args, '--cwd', root], { out: (t) => out.push(t), err: (t) => err.push(t), color: false });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it.each([
    ['status', `app:${SECRET}@localhost/db`],
    ['db migrate', `mysql://app:${SECRET}@localhost/db`],
    ['lint', `app:${SECRET}@localhost/db`],
    ['db backup', ''],
  ])('%s --db-url %j', async (command, url) => {
    const r = await run([...command.split(' '), '--db-url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KEEL_BAD_URL|connection URL|--db-url/);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await run([...command.split(' '), '--db-url', url, '--json']);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout) as { ok: boolean; error: { code: string } };
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe('KEEL_BAD_URL');
    expect(j.stdout).not.toContain(SECRET);
  });

  it('a usage error under --json is a JSON document on stdout, exit 2', async () => {
    const r = await run(['status', '--json', '--no-such-flag']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(doc).toMatchObject({ ok: false, error: { code: 'KEEL_USAGE' } });
    expect(doc.error.message).toContain('--no-such-flag');
    expect(r.stderr).toBe('');
  });
});
