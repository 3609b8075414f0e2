import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DbError, genTypes, KeelError, lint, openEngine, reset, validate } from '../../src/index.js';
import { withTransactionSettings } from '../../src/db/transaction-settings.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';
import { runCli } from '../support/cli.js';

const KEY = 'kEy-Th4t-Must-N0t-Leak';
const PROJECT = {
  'migrations/001_create_vault.sql': 'create table public.vault (id int primary key, token bytea not null);',
  'seed/001_vault.sql': "insert into public.vault values (1, keel.encrypt_secret('tok-123456'));",
};

describe.each(engineNames)('secret helpers on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it('encrypt with the key from the environment; stored bytes are not the plaintext; a wrong key fails cleanly', async () => {
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    await reset({ cwd: p.root, ...target.options, env: { KEEL_ENCRYPTION_KEY: KEY }, yes: true });
    const engine = await openEngine(
      target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
    );
    try {
      const { rows } = await engine.query<{ plain: boolean; len: number }>(
        `select position(convert_to('tok-123456', 'UTF8') in token) > 0 as plain, length(token) as len from public.vault`,
      );
      expect(rows).toEqual([{ plain: false, len: expect.any(Number) }]);
      expect(rows[0]!.len).toBeGreaterThan(30);
      const right = withTransactionSettings(engine, { 'app.settings.encryption_key': KEY });
      expect(
        await right.transaction(async (tx) => (await tx.query(`select keel.decrypt_secret(token) as t from public.vault`)).rows),
      ).toEqual([{ t: 'tok-123456' }]);
      const wrong = withTransactionSettings(engine, { 'app.settings.encryption_key': 'not-the-key' });
      const err = await wrong.transaction((tx) => tx.query(`select keel.decrypt_secret(token) from public.vault`)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbError);
      expect(err).toMatchObject({ code: '39000', message: 'keel.decrypt_secret: wrong key or damaged data' });
      const none = await engine
        .transaction((tx) => tx.query(`select keel.decrypt_secret(token) from public.vault`))
        .catch((e: unknown) => e);
      expect(none).toMatchObject({ code: '55000' });
    } finally {
      await engine.close();
    }
  });

  it('with the key set, the commands that read the catalog in a snapshot (validate, lint, gen types) still run', async () => {
    // Their transactions start with SET TRANSACTION ISOLATION LEVEL, which must come before the key's set_config.
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    const env = { KEEL_ENCRYPTION_KEY: KEY };
    await reset({ cwd: p.root, ...target.options, env, yes: true });
    const v = await validate({ cwd: p.root, ...target.options, env });
    expect(v.checks.length).toBeGreaterThan(0);
    const l = await lint({ cwd: p.root, ...target.options, env });
    expect(Array.isArray(l.findings)).toBe(true);
    const t = await genTypes({ cwd: p.root, ...target.options, env });
    expect(t.files.length).toBeGreaterThan(0);
  });

  it('without a key the seed stops with a clear error and the reset changes nothing', async () => {
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    const err = await reset({ cwd: p.root, ...target.options, yes: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect(err).toMatchObject({ sqlState: '55000', location: { file: 'supabase/seed/001_vault.sql', line: 1 } });
    expect((err as KeelError).message).toContain('keel.encrypt_secret: no encryption key');
  });
});

describe('the key never reaches the output', () => {
  it('is absent from text, JSON and --debug output, also on failure', async () => {
    const p = makeProject({ ...PROJECT, 'seed/002_broken.sql': "select keel.decrypt_secret('\\x00'::bytea);" });
    const env = { KEEL_ENCRYPTION_KEY: KEY };
    const outs = [
      await runCli(['db', 'reset', '--cwd', p.root], { env }),
      await runCli(['db', 'reset', '--json', '--cwd', p.root], { env }),
      await runCli(['db', 'reset', '--debug', '--cwd', p.root], { env }),
    ];
    expect(outs.map((o) => o.code)).toEqual([1, 1, 1]);
    expect(outs[0]!.stderr).toContain('keel.decrypt_secret: wrong key or damaged data');
    for (const o of outs) expect(`${o.stdout}${o.stderr}`).not.toContain(KEY);
  });
});

describe.each(engineNames)('an example using the helpers (renubu OAuth tokens) on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it('stores ciphertext with the key from KEEL_ENCRYPTION_KEY, decrypts with it, and refuses a wrong key cleanly', async () => {
    target = await targetFor(engineName);
    const p = makeProject();
    fs.cpSync(path.resolve(__dirname, '../../examples/renubu/supabase'), path.join(p.root, 'supabase'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.keel`),
    });
    await reset({ cwd: p.root, ...target.options, env: { KEEL_ENCRYPTION_KEY: KEY }, yes: true });
    const engine = await openEngine(
      target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
    );
    try {
      const plain = await engine.query<{ n: string }>(
        `select count(*) as n from public.oauth_tokens where position(convert_to('xoxb-local-dev-casey-0001', 'UTF8') in access_token_encrypted) > 0`,
      );
      expect(plain.rows[0]!.n).toBe('0');
      const right = withTransactionSettings(engine, { 'app.settings.encryption_key': KEY });
      const tokens = await right.transaction(async (tx) =>
        (
          await tx.query<{ t: string }>(
            `select public.decrypt_oauth_token(access_token_encrypted) as t from public.oauth_tokens order by 1`,
          )
        ).rows.map((r) => r.t),
      );
      expect(tokens).toContain('xoxb-local-dev-casey-0001');
      const wrong = withTransactionSettings(engine, { 'app.settings.encryption_key': 'wrong' });
      const err = await wrong
        .transaction((tx) => tx.query(`select public.decrypt_oauth_token(access_token_encrypted) from public.oauth_tokens`))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: '39000' });
    } finally {
      await engine.close();
    }
  });
});
