/**
 * Secrets never reach the output: every command run with a password in the connection URL (a role with a distinctive
 * password on a dedicated throwaway server that checks passwords: scram-sha-256), KEEL_ENCRYPTION_KEY set and
 * encrypted columns present, as text, --json and --debug, and with bad inputs (a database that does not exist, a wrong
 * password, a syntax error in a migration, a wrong key). Neither the password (raw or percent-encoded), the key nor a
 * decrypted secret may appear in stdout, stderr, or any file the commands write (backups decompressed: manifest,
 * schema.sql, data; docs/backup-history.md; generated types). Each scanned output is a trial. (There is no `keel
 * studio`: Studio is planned, not built.)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startLocalServer, type LocalServer } from '../../../src/db/postgres/local-server.js';
import type { Check, CheckContext, CheckResult } from '../check.js';
import { describeRun, keel, makeProject, openTarget, query, Tally, type EngineName, type Project, type Run } from '../support/ops.js';

const NAME = 'secrets';
const ROLE = 'keel_secret_user';
const PASSWORD = 'Pw@Okapi:4411%Narwhal/qz';
const WRONG_PASSWORD = 'Wr0ng@Pangolin:9907%x';
const KEY = 'Key-Zebra-7781-Quokka-secret';
const WRONG_KEY = 'NotTheKey-Axolotl-3310';
const SECRET = 'tok-Plaintext-Capybara-6502';
const SECRET_MD5 = createHash('md5').update(SECRET).digest('hex');

const NEEDLES: [string, string][] = [
  ['the password', PASSWORD],
  ['the password (percent-encoded)', encodeURIComponent(PASSWORD)],
  ['the wrong password', WRONG_PASSWORD],
  ['the wrong password (percent-encoded)', encodeURIComponent(WRONG_PASSWORD)],
  ['the encryption key', KEY],
  ['the wrong key', WRONG_KEY],
  ['a decrypted secret', SECRET],
];

function leaks(text: string): string[] {
  return NEEDLES.filter(([, n]) => text.includes(n)).map(([what]) => what);
}

const FILES: Record<string, string> = {
  'migrations/001_vault.sql':
    'create table public.vault (id int primary key, label text not null, token bytea);\nalter table public.vault enable row level security;',
  'migrations/002_vault_policy.sql': 'create policy "service reads" on public.vault for select to service_role using (true);',
  // uses the key (encrypts a value that is no secret)
  'seed/001_vault.sql':
    "insert into public.vault (id, label, token) values (2, 'seeded', keel.encrypt_secret(md5('not a secret'))) on conflict (id) do nothing;",
  'tests/rls.yaml':
    'personas:\n  service: { role: service_role }\n  anon: { role: anon }\ntables:\n  public.vault:\n    select: { service: all, anon: none }\n',
  // decrypts with the key, prints only pass/fail
  'tests/001_vault.sql': `begin;\nselect plan(2);\nselect ok(exists(select 1 from public.vault where id = 1), 'the secret row is there');\nselect is(md5(keel.decrypt_secret(token)), '${SECRET_MD5}', 'it decrypts') from public.vault where id = 1;\nselect * from finish();\nrollback;`,
};

/** Stores SECRET encrypted with KEY in public.vault row 1, on the checker's own connection (the key as a parameter). */
async function storeSecret(where: { url: string } | { dataDir: string }): Promise<void> {
  const db = await openTarget(where);
  try {
    await db.transaction(async (tx) => {
      await tx.query(`select set_config('app.settings.encryption_key', $1, true)`, [KEY]);
      await tx.query(
        `insert into public.vault (id, label, token) values (1, 'api token', keel.encrypt_secret($1)) on conflict (id) do update set token = excluded.token`,
        [SECRET],
      );
    });
  } finally {
    await db.close();
  }
}

/** Every file under `dir` (the embedded data dir excluded), gzip files decompressed. */
function scanTree(dir: string): { file: string; found: string[] }[] {
  const out: { file: string; found: string[] }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (/^pglite($|\.)/.test(e.name) && path.basename(d) === '.keel') continue;
        walk(p);
      } else if (e.isFile()) {
        let buf = fs.readFileSync(p);
        if (p.endsWith('.gz')) buf = gunzipSync(buf);
        const found = leaks(buf.toString('utf8'));
        if (found.length) out.push({ file: path.relative(dir, p), found });
      }
    }
  };
  walk(dir);
  return out;
}

interface Case {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  project?: Project;
  /** A bad-input case: failing is expected. Otherwise a failure with a database error means the command did not run. */
  bad?: boolean;
}

async function runCases(ctx: CheckContext, t: Tally, cases: Case[], cwd: Project, base: string[]): Promise<void> {
  for (const c of cases) {
    const p = c.project ?? cwd;
    let r: Run | undefined;
    await t.trial(`${c.name}: output`, async () => {
      r = await keel([...c.args, '--cwd', p.root, ...base], { env: { KEEL_ENCRYPTION_KEY: KEY, ...c.env } });
      ctx.log(
        `${NAME}: ${t.engine} ${c.name}: exit ${r.code}${r.code ? ` (${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 160)})` : ''}`,
      );
      const found = leaks(r.stdout + '\n' + r.stderr);
      if (found.length) throw new Error(`${found.join(', ')} in the output of keel ${c.args.join(' ')}: ${describeRun(r)}`);
    });
    if (r && !c.bad && r.code !== 0 && /SQLSTATE/.test(r.stdout + r.stderr)) {
      t.fail(`${c.name}: runs with the key set`, `keel ${c.args.join(' ')} failed with a database error: ${describeRun(r)}`);
    }
  }
}

function variants(name: string, args: string[], bounded: boolean, debugToo: boolean): Case[] {
  const out: Case[] = [{ name, args }];
  if (!bounded || debugToo) out.push({ name: `${name} --debug`, args: [...args, '--debug'] });
  if (!bounded) out.push({ name: `${name} --json`, args: [...args, '--json'] });
  return out;
}

async function runEngine(ctx: CheckContext, engine: EngineName, server: LocalServer | undefined): Promise<CheckResult> {
  const t = new Tally(NAME, engine);
  const p = makeProject(ctx.tmpRoot, `secrets-${engine}`, FILES);
  let url: string | undefined;
  let base: string[] = [];
  if (server) {
    const u = new URL(server.url);
    u.username = ROLE;
    u.password = encodeURIComponent(PASSWORD);
    u.pathname = '/vaultdb';
    url = u.toString();
    base = ['--db-url', url];
  }
  const where = url ? { url: server!.url.replace(/\/postgres$/, '/vaultdb') } : { dataDir: p.dataDir };
  const b = ctx.bounded;
  const backupDir = path.join(p.root, 'supabase', 'backups', 'secret-check.keel');
  const first = await keel(['db', 'migrate', '--cwd', p.root, ...base], { env: { KEEL_ENCRYPTION_KEY: KEY } });
  if (first.code !== 0) {
    t.fail(`${engine}: setup migrate`, describeRun(first));
    return t.result();
  }
  t.trials++;
  const found0 = leaks(first.stdout + first.stderr);
  if (found0.length) t.fail('db migrate: output', `${found0.join(', ')}: ${describeRun(first)}`);
  await storeSecret(where);
  const debugSet = new Set(['status', 'db seed --force', 'test db --no-reset', 'db backup', 'db restore --clean']);
  const cmds: [string, string[]][] = [
    ['status', ['status']],
    ['migration list', ['migration', 'list']],
    ['db migrate', ['db', 'migrate']],
    ['db seed --force', ['db', 'seed', '--force']],
    ['db validate', ['db', 'validate']],
    ['lint', ['lint', ...(url ? [] : ['--database'])]],
    ['gen types', ['gen', 'types']],
    ['test rls --no-reset', ['test', 'rls', '--no-reset']],
    ['test db --no-reset', ['test', 'db', '--no-reset']],
    ['db ping', ['db', 'ping']],
    ['db backup', ['db', 'backup', '--output', backupDir]],
    ['db backup verify', ['db', 'backup', 'verify', backupDir]],
    ['db restore --clean', ['db', 'restore', backupDir, '--clean', '--yes']],
    ['db reset --yes', ['db', 'reset', '--yes']],
  ];
  const pgOnly = new Set<string>();
  // bounded: the embedded engine runs these five and the server the rest, so both engines together still run every command
  const embeddedShare = ['status', 'db seed --force', 'test db --no-reset', 'db backup', 'db restore --clean'];
  const list = !b ? cmds : cmds.filter(([n]) => embeddedShare.includes(n) === (engine === 'pglite'));
  for (const [n, args] of list) {
    if (pgOnly.has(n) && !url) continue;
    // each backup writes a new folder: a second --output run would be refused, so the variants of backup get their own
    const cases = variants(n, args, b, debugSet.has(n)).map((c, i) =>
      n === 'db backup' && i > 0 ? { ...c, args: c.args.map((a) => (a === backupDir ? `${backupDir}-${i}` : a)) } : c,
    );
    await runCases(ctx, t, cases, p, base);
    if (n === 'db restore --clean') await storeSecret(where).catch(() => undefined);
  }
  // bad inputs
  const broken = makeProject(ctx.tmpRoot, `secrets-${engine}-broken`, {
    ...FILES,
    'migrations/003_broken.sql': "create table public.oops (id int;\nselect 'x';",
  });
  const bad: Case[] = [
    ...variants('syntax error: db migrate', ['db', 'migrate'], b, true).map((c) => ({ ...c, project: broken })),
    ...variants('syntax error: db reset', ['db', 'reset', '--yes'], b, false).map((c) => ({ ...c, project: broken })),
    ...variants('syntax error: lint', ['lint'], b, false).map((c) => ({ ...c, project: broken })),
    ...variants('wrong key: test db --no-reset', ['test', 'db', '--no-reset'], b, true).map((c) => ({
      ...c,
      env: { KEEL_ENCRYPTION_KEY: WRONG_KEY },
    })),
  ];
  await runCases(
    ctx,
    t,
    bad.map((c) => ({ ...c, bad: true })),
    p,
    base,
  );
  if (url) {
    const wrongDb = new URL(url);
    wrongDb.pathname = '/no_such_database';
    const wrongPw = new URL(url);
    wrongPw.password = encodeURIComponent(WRONG_PASSWORD);
    const noKey: Case[] = [];
    for (const [label, u] of [
      ['wrong database name', wrongDb.toString()],
      ['wrong password', wrongPw.toString()],
    ] as const) {
      for (const [n, args] of [
        ['status', ['status']],
        ['db migrate', ['db', 'migrate']],
        ['db backup', ['db', 'backup']],
        ['db reset', ['db', 'reset', '--yes']],
      ] as const) {
        if (b && n !== 'status' && n !== 'db migrate') continue;
        noKey.push(...variants(`${label}: ${n}`, [...args, '--db-url', u], b, true));
      }
    }
    await runCases(
      ctx,
      t,
      noKey.map((c) => ({ ...c, bad: true })),
      p,
      [],
    );
    // the same URL from DATABASE_URL
    await runCases(
      ctx,
      t,
      variants('wrong password via DATABASE_URL: status', ['status'], b, true).map((c) => ({
        ...c,
        bad: true,
        env: { DATABASE_URL: wrongPw.toString() },
      })),
      p,
      [],
    );
  }
  // files the commands wrote: backups (decompressed), docs/backup-history.md, generated types
  for (const proj of [p, broken]) {
    await t.trial(`${path.basename(proj.root)}: files written`, async () => {
      const hits = scanTree(proj.root);
      if (hits.length) throw new Error(hits.map((h) => `${h.file}: ${h.found.join(', ')}`).join('; '));
    });
  }
  return t.result();
}

/** A throwaway server whose ROLE logs in with a password (scram-sha-256); everyone else trusted as usual. */
async function passwordServer(): Promise<{ server: LocalServer; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rel-secrets-'));
  const server = await startLocalServer({ dataDir });
  const hba = path.join(dataDir, 'pg_hba.conf');
  fs.writeFileSync(
    hba,
    `host all ${ROLE} 127.0.0.1/32 scram-sha-256\nhost all ${ROLE} ::1/128 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`,
  );
  await query(
    server.url,
    `set password_encryption = 'scram-sha-256'; create role ${ROLE} login superuser password '${PASSWORD.replace(/'/g, "''")}'`,
  );
  await query(server.url, 'select pg_reload_conf()');
  await query(server.url, `create database vaultdb owner ${ROLE}`);
  return { server, dataDir };
}

const check: Check = {
  name: NAME,
  async run(ctx: CheckContext): Promise<CheckResult[]> {
    const jobs: Promise<CheckResult>[] = [];
    let pgServer: { server: LocalServer; dataDir: string } | undefined;
    if (ctx.engines.includes('pglite')) jobs.push(runEngine(ctx, 'pglite', undefined));
    if (ctx.engines.includes('postgres')) {
      jobs.push(
        (async () => {
          try {
            pgServer = await passwordServer();
          } catch (err) {
            const t = new Tally(NAME, 'postgres');
            t.fail('postgres: a server with password authentication', (err as Error).message);
            return t.result();
          }
          // the password is really checked: a wrong one is refused
          const wrong = new URL(pgServer.server.url);
          wrong.username = ROLE;
          wrong.password = 'definitely-wrong';
          const refused = await query(wrong.toString(), 'select 1').then(
            () => false,
            () => true,
          );
          const r = await runEngine(ctx, 'postgres', pgServer.server);
          if (!refused)
            r.failures.push({ case: 'setup', why: 'the server accepted a wrong password: the wrong-password cases prove nothing' });
          return r;
        })(),
      );
    }
    try {
      return await Promise.all(jobs);
    } finally {
      if (pgServer) {
        await pgServer.server.stop().catch(() => undefined);
        fs.rmSync(pgServer.dataDir, { recursive: true, force: true });
      }
    }
  },
};

export default check;
