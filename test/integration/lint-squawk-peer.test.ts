/**
 * Keel's migration-safety rules side by side with the real squawk (squawk-cli, a dev dependency) on the same files:
 * test/fixtures/squawk-peer/*.sql, migrations with planted problems, linted as one pending set in name order.
 *
 * Keel must report at least every (rule, file, line) squawk reports on the rules Keel covers, except the differences
 * listed below, each with the reason Keel's answer is the right one. Both directions of each listed difference are
 * checked (squawk reports it, Keel does not), so the list cannot go stale.
 *
 * Squawk is run the way Keel runs the files: `--assume-in-transaction` for every file except `-- keel:no-transaction`
 * ones (Keel wraps each migration in a transaction).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSqlFile } from '../../src/core/project/files.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import type { Finding } from '../../src/features/lint/finding.js';
import { lintMigrations, migrationRules } from '../../src/features/lint/migrations/index.js';
import { prepareFile, type PreparedFile } from '../../src/features/migrate/run-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixtures = path.join(root, 'test/fixtures/squawk-peer');
const squawkBin = path.join(root, 'node_modules/.bin/squawk');

/** Tables the fixtures treat as already deployed (and big). */
const EXISTING = new Set([
  'public.users',
  'public.orders',
  'public.accounts',
  'public.legacy_logs',
  'public.audit_events',
  'public.sessions',
]);

const SAME_FILE =
  'the table is created earlier in the same file, so it is empty and unused: squawk does not follow CREATE TABLE for this rule';
const EARLIER_FILE = 'the table is created by 001, an earlier file of the same pending set: squawk lints files one by one and cannot know';

const NO_NOT_VALID =
  'Postgres rejects NOT VALID on this constraint type, so the advice cannot be followed; Keel reports it under the rule with the USING INDEX pattern';

/** Findings squawk reports that Keel deliberately does not (1-based lines). */
const EXPECTED_DIFFERENCES: { rule: string; file: string; line: number; reason: string }[] = [
  { rule: 'require-lock-timeout', file: '001_create_projects.sql', line: 9, reason: SAME_FILE },
  { rule: 'adding-required-field', file: '001_create_projects.sql', line: 9, reason: SAME_FILE },
  { rule: 'adding-field-with-default', file: '001_create_projects.sql', line: 10, reason: SAME_FILE },
  { rule: 'changing-column-type', file: '001_create_projects.sql', line: 15, reason: SAME_FILE },
  {
    rule: 'constraint-missing-not-valid',
    file: '002_alter_existing.sql',
    line: 12,
    reason: `UNIQUE: ${NO_NOT_VALID} (disallowed-unique-constraint)`,
  },
  {
    rule: 'constraint-missing-not-valid',
    file: '002_alter_existing.sql',
    line: 22,
    reason: `PRIMARY KEY: ${NO_NOT_VALID} (adding-serial-primary-key-field)`,
  },
  { rule: 'require-lock-timeout', file: '003_new_table_from_earlier_file.sql', line: 2, reason: EARLIER_FILE },
  { rule: 'adding-required-field', file: '003_new_table_from_earlier_file.sql', line: 2, reason: EARLIER_FILE },
  { rule: 'require-concurrent-index-creation', file: '003_new_table_from_earlier_file.sql', line: 3, reason: EARLIER_FILE },
  { rule: 'constraint-missing-not-valid', file: '003_new_table_from_earlier_file.sql', line: 4, reason: EARLIER_FILE },
  { rule: 'disallowed-unique-constraint', file: '003_new_table_from_earlier_file.sql', line: 4, reason: EARLIER_FILE },
  { rule: 'ban-drop-column', file: '003_new_table_from_earlier_file.sql', line: 5, reason: EARLIER_FILE },
  { rule: 'renaming-column', file: '003_new_table_from_earlier_file.sql', line: 6, reason: EARLIER_FILE },
  {
    rule: 'require-lock-timeout',
    file: '005_concurrent_in_transaction.sql',
    line: 2,
    reason:
      'CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes; Keel reports the real problem there (ban-concurrent-index-creation-in-transaction)',
  },
  { rule: 'renaming-table', file: '007_drops_and_renames.sql', line: 5, reason: EARLIER_FILE },
  { rule: 'ban-drop-table', file: '007_drops_and_renames.sql', line: 6, reason: `${EARLIER_FILE} (renamed to workspaces in this file)` },
];

interface Hit {
  rule: string;
  file: string;
  line: number;
}

const key = (h: Hit) => `${h.rule} ${h.file}:${h.line}`;

function runSquawk(files: string[], assumeInTransaction: boolean): Hit[] {
  if (files.length === 0) return [];
  const args = [...(assumeInTransaction ? ['--assume-in-transaction'] : []), '--reporter', 'json', ...files];
  const res = spawnSync(squawkBin, args, { cwd: fixtures, encoding: 'utf8' });
  if (res.error) throw res.error;
  // squawk exits 1 when it finds anything; anything else (or no JSON) is a failure to run.
  if (res.status !== 0 && res.status !== 1) throw new Error(`squawk exited ${res.status}: ${res.stderr}`);
  const out = JSON.parse(res.stdout) as { file: string; line: number; rule_name: string }[];
  // squawk's lines are 0-based.
  return out.map((v) => ({ rule: v.rule_name, file: path.basename(v.file), line: v.line + 1 }));
}

let files: PreparedFile[];
let keel: Finding[];
let squawk: Hit[];
const covered = new Set(migrationRules.map((r) => r.id));

beforeAll(async () => {
  await ensureParser();
  const names = fs
    .readdirSync(fixtures)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  files = names.map((n) => prepareFile({ ...readSqlFile({ root: fixtures }, path.join(fixtures, n)), file: n }));
  keel = lintMigrations(files, { existingTables: EXISTING });
  squawk = [
    ...runSquawk(
      files.filter((f) => !f.noTransaction).map((f) => f.file.file),
      true,
    ),
    ...runSquawk(
      files.filter((f) => f.noTransaction).map((f) => f.file.file),
      false,
    ),
  ];
});

describe('keel lint (migrations) vs squawk on test/fixtures/squawk-peer', () => {
  it('squawk ran and found problems on the rules Keel covers', () => {
    expect(squawk.filter((h) => covered.has(h.rule)).length).toBeGreaterThan(30);
  });

  it('Keel reports every (rule, file, line) squawk reports on the rules Keel covers, except the listed differences', () => {
    const keelKeys = new Set(keel.map((f) => key({ rule: f.rule, file: f.location!.file, line: f.location!.line })));
    const expected = new Set(EXPECTED_DIFFERENCES.map(key));
    const missing = squawk.filter((h) => covered.has(h.rule) && !keelKeys.has(key(h)) && !expected.has(key(h))).map(key);
    expect(missing).toEqual([]);

    // The side-by-side table, per rule (shown with --reporter verbose or on failure).
    const rows = [...new Set([...squawk.map((h) => h.rule), ...keel.map((f) => f.rule)])].sort().map((rule) => ({
      rule,
      squawk: squawk.filter((h) => h.rule === rule).length,
      keel: covered.has(rule) ? keel.filter((f) => f.rule === rule).length : '(not covered)',
    }));
    console.table(rows);
  });

  it('every listed difference is real: squawk reports it and Keel does not', () => {
    const squawkKeys = new Set(squawk.map(key));
    const keelKeys = new Set(keel.map((f) => key({ rule: f.rule, file: f.location!.file, line: f.location!.line })));
    for (const d of EXPECTED_DIFFERENCES) {
      expect(squawkKeys.has(key(d)), `squawk no longer reports ${key(d)}`).toBe(true);
      expect(keelKeys.has(key(d)), `Keel now reports ${key(d)}; remove it from EXPECTED_DIFFERENCES`).toBe(false);
    }
  });

  it('Keel goes further where squawk cannot see: CONCURRENTLY in a transactional file, serial added to an existing table', () => {
    const at = (rule: string, file: string, line: number) =>
      keel.some((f) => f.rule === rule && f.location!.file === file && f.location!.line === line);
    expect(at('ban-concurrent-index-creation-in-transaction', '005_concurrent_in_transaction.sql', 2)).toBe(true);
    expect(
      squawk.some((h) => h.rule === 'ban-concurrent-index-creation-in-transaction' && h.file === '005_concurrent_in_transaction.sql'),
    ).toBe(false);
    expect(at('adding-field-with-default', '002_alter_existing.sql', 18)).toBe(true);
  });

  it('every Keel migration rule fires somewhere on the fixtures', () => {
    const fired = new Set(keel.map((f) => f.rule));
    expect(migrationRules.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });
});
