import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/project/config.js';
import { KeelError } from '../../src/core/errors.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('keel.toml', () => {
  it('has defaults without a file', () => {
    expect(loadConfig(dirWith({}))).toEqual({
      migrations: {},
      seed: { paths: ['seed/*.sql', 'seed.sql'], enabled: true },
      schemas: ['public'],
      secrets: { keyEnv: 'KEEL_ENCRYPTION_KEY' },
      types: { onMigrate: false, output: 'supabase/types' },
      lint: { conventions: true, failOn: 'error', rules: {}, ignore: [] },
      db: { standIns: true, engine: 'pglite' },
      validate: { ignore: [] },
    });
  });

  it('reports every problem at once', () => {
    const dir = dirWith({ 'keel.toml': '[migrations]\nstyle = "weekly"\nfoo = 1\n[seed]\npaths = "seed.sql"\n[extra]\n' });
    let err: unknown;
    try {
      loadConfig(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).problems).toEqual([
      'supabase/keel.toml:2:1: migrations.style must be "sequential" or "timestamp", not "weekly"',
      'supabase/keel.toml:3:1: unknown key "migrations.foo" (known: style, order)',
      'supabase/keel.toml:5:1: seed.paths must be a list of globs relative to supabase/',
      'supabase/keel.toml:6:1: unknown key "extra" (known: migrations, seed, schemas, types, secrets, lint, validate, db)',
    ]);
  });

  it('points at the line of a TOML syntax error', () => {
    const dir = dirWith({ 'keel.toml': '[migrations]\nstyle = \n' });
    expect(() => loadConfig(dir)).toThrow(KeelError);
    try {
      loadConfig(dir);
    } catch (e) {
      expect((e as KeelError).location).toMatchObject({ file: 'supabase/keel.toml', line: 2 });
    }
  });

  it("uses the Supabase CLI's seed paths from config.toml", () => {
    const dir = dirWith({ 'config.toml': '[db.seed]\nenabled = true\nsql_paths = ["./seed.sql", "./seeds/*.sql"]\n' });
    expect(loadConfig(dir).seed.paths).toEqual(['seed.sql', 'seeds/*.sql']);
  });
});

describe('keel.toml [lint]', () => {
  it('reads levels, fail_on, conventions and ignores (a missing reason is kept for lint to report)', () => {
    const dir = dirWith({
      'keel.toml':
        '[lint]\nconventions = false\nfail_on = "warn"\n[lint.rules]\nno_primary_key = "off"\nprefer-text-field = "info"\n[[lint.ignore]]\nrule = "duplicate_index"\nobject = "public.t"\nreason = "kept on purpose"\n[[lint.ignore]]\nrule = "no_primary_key"\n',
    });
    expect(loadConfig(dir).lint).toEqual({
      conventions: false,
      failOn: 'warn',
      rules: { no_primary_key: 'off', 'prefer-text-field': 'info' },
      ignore: [{ rule: 'duplicate_index', object: 'public.t', reason: 'kept on purpose' }, { rule: 'no_primary_key' }],
    });
  });

  it('reports bad lint values all at once', () => {
    const dir = dirWith({
      'keel.toml': '[lint]\nconventions = "yes"\nfail_on = "never"\n[lint.rules]\nx = "loud"\n[[lint.ignore]]\nreason = "no rule"\n',
    });
    try {
      loadConfig(dir);
      expect.unreachable();
    } catch (err) {
      expect((err as KeelError).problems).toEqual([
        'supabase/keel.toml:2:1: lint.conventions must be true or false',
        'supabase/keel.toml:3:1: lint.fail_on must be "error", "warn" or "info", not "never"',
        'supabase/keel.toml:5:1: lint.rules.x must be one of error, warn, info, off, not "loud"',
        'supabase/keel.toml:6:1: lint.ignore[0] needs rule = "<rule id>"',
      ]);
    }
  });
});

describe('keel.toml [validate]', () => {
  it('reads ignores and requires a reason for each', () => {
    const ok = dirWith({
      'keel.toml': '[[validate.ignore]]\ncheck = "references_soft_deleted"\nobject = "public.a.a_b_fkey"\nreason = " kept for history "\n',
    });
    expect(loadConfig(ok).validate).toEqual({
      ignore: [{ check: 'references_soft_deleted', object: 'public.a.a_b_fkey', reason: 'kept for history' }],
    });
    const bad = dirWith({ 'keel.toml': '[[validate.ignore]]\ncheck = "orphaned_rows"\n[[validate.ignore]]\nobject = "x"\nreason = "y"\n' });
    try {
      loadConfig(bad);
      expect.unreachable();
    } catch (err) {
      expect((err as KeelError).problems).toEqual([
        'supabase/keel.toml:1:1: validate.ignore[0] needs reason = "<why these rows are accepted>"',
        'supabase/keel.toml:3:1: validate.ignore[1] needs check = "<check id>"',
      ]);
    }
  });
});
