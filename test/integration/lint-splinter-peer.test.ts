/**
 * Keel's catalog rules side by side with splinter, the linter behind the Supabase advisors, run by the real Supabase
 * CLI (`supabase db advisors --remote=<db-url>`: no Docker, no login) on the fixture database of
 * test/integration/lint-catalog.test.ts. Keel must report at least every object splinter reports on the rules Keel
 * covers; each difference is listed below with the reason it is right.
 *
 * Postgres engine only: splinter is SQL that the CLI runs over a connection, and PGlite has none to offer it.
 * Skipped when there is no PostgreSQL test server, or locally when the CLI is not installed (under CI with `supabase`
 * in devDependencies a missing binary fails; see supabaseCliRequired).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogRules } from '../../src/features/lint/catalog/index.js';
import type { Finding } from '../../src/features/lint/finding.js';
import { advisorFinding, openLintFixture, runAdvisors, withoutArgs, type AdvisorFinding, type LintFixture } from '../support/advisors.js';
import { pgAdminUrl } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';
import { openSupabaseCli, supabaseCliRequired, type CliRun, type SupabaseCli } from '../support/supabase-cli.js';

const cli = await openSupabaseCli();
const runnable = pgAdminUrl() !== null && (cli !== undefined || supabaseCliRequired());

/**
 * Objects splinter reports and Keel, rightly, does not: `rule object` → why.
 */
const SPLINTER_ONLY: Record<string, string> = {
  // none: splinter flags a security invoker view over auth.users only while auth.users has no RLS, and the shim (v2)
  // enables RLS on it as the platform does, so splinter and Keel agree on public.user_emails_invoker (neither reports it).
};

/**
 * Objects Keel reports on the rules both cover and splinter does not: `rule object` → why Keel is right.
 */
const KEEL_ONLY: Record<string, string> = {
  'unindexed_foreign_keys public.tasks.tasks_reviewer_fk':
    'only a partial index covers it; splinter accepts any index whose columns match, but a partial index cannot serve the FK check for every row',
  'unindexed_foreign_keys public.tasks.tasks_watcher_fk':
    'only a hash index covers it; splinter accepts any access method, Keel only a plain btree',
  'auth_users_exposed public.directory_cards':
    'reads auth.users through private.user_directory, a definer view; splinter looks at direct dependencies (pg_depend) only',
  'anon_security_definer_function_executable public.legacy_export': 'splinter 0028 is not in the CLI 3.1 advisors',
  'anon_security_definer_function_executable public.purge_notes': 'splinter 0028 is not in the CLI 3.1 advisors',
  'authenticated_security_definer_function_executable public.legacy_export': 'splinter 0029 is not in the CLI 3.1 advisors',
  'authenticated_security_definer_function_executable public.post_count': 'splinter 0029 is not in the CLI 3.1 advisors',
  'authenticated_security_definer_function_executable public.purge_notes': 'splinter 0029 is not in the CLI 3.1 advisors',
};

const shown = (run: CliRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

describe.skipIf(!runnable)(`Keel lint and splinter (Supabase CLI ${cli?.version ?? 'not installed'} db advisors) on one database`, () => {
  let fx: LintFixture;
  let keel: Finding[];
  let splinter: AdvisorFinding[];
  const covered = new Set(catalogRules.rules.map((r) => r.id));
  const keelKeys = () => new Set(keel.map((f) => `${f.rule} ${withoutArgs(f.object)}`));

  beforeAll(async () => {
    expect(cli, 'the Supabase CLI is a devDependency; install it (npm ci)').toBeDefined();
    fx = await openLintFixture('postgres');
    keel = catalogRules.check({ catalog: fx.catalog, exposedSchemas: ['public'] });
    const { run, results } = await runAdvisors(cli as SupabaseCli, fx.url!, makeProject().root);
    expect(run.code, shown(run)).toBe(0);
    splinter = results.map(advisorFinding);
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
    await cli?.dispose();
  });

  it('prints the side-by-side table (rule, object, who reports it)', () => {
    const rows = new Map<string, { keel: boolean; splinter: boolean }>();
    const mark = (key: string, side: 'keel' | 'splinter') =>
      rows.set(key, { keel: false, splinter: false, ...rows.get(key), [side]: true });
    for (const f of keel) mark(`${f.rule} ${withoutArgs(f.object)}`, 'keel');
    for (const s of splinter) for (const o of s.objects) mark(`${s.rule} ${o}`, 'splinter');
    const lines = [...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${v.keel ? 'K' : '-'} ${v.splinter ? 'S' : '-'}  ${k}`);
    console.log(`K = Keel, S = splinter (Supabase CLI ${cli!.version})\n${lines.join('\n')}`);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('splinter runs and reports on the fixture (the comparison is not vacuous)', () => {
    const rules = new Set(splinter.map((s) => s.rule));
    for (const rule of [
      'rls_disabled_in_public',
      'policy_exists_rls_disabled',
      'rls_enabled_no_policy',
      'multiple_permissive_policies',
      'unindexed_foreign_keys',
      'duplicate_index',
      'no_primary_key',
      'function_search_path_mutable',
      'security_definer_view',
      'extension_in_public',
      'auth_users_exposed',
      'sensitive_columns_exposed',
    ]) {
      expect(rules, `splinter reported nothing for ${rule}`).toContain(rule);
    }
  });

  it('Keel reports every object splinter reports on the rules Keel covers, apart from the listed differences', () => {
    const have = keelKeys();
    const missing: string[] = [];
    for (const s of splinter.filter((x) => covered.has(x.rule))) {
      if (s.rule === 'duplicate_index') {
        // splinter names the whole group; Keel reports every index of it but the one to keep.
        const reported = s.objects.filter((o) => have.has(`duplicate_index ${o}`));
        if (reported.length < s.objects.length - 1) missing.push(`duplicate_index ${s.objects.join(' = ')}`);
        continue;
      }
      for (const o of s.objects) {
        const key = `${s.rule} ${o}`;
        if (!have.has(key) && !(key in SPLINTER_ONLY)) missing.push(`${key}: ${s.detail}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the listed differences are exactly the differences (both ways)', () => {
    const have = keelKeys();
    const theirs = new Set(
      splinter.filter((s) => covered.has(s.rule) && s.rule !== 'duplicate_index').flatMap((s) => s.objects.map((o) => `${s.rule} ${o}`)),
    );
    const splinterOnly = [...theirs].filter((k) => !have.has(k)).sort();
    expect(splinterOnly).toEqual(Object.keys(SPLINTER_ONLY).sort());
    const keelOnly = [...have].filter((k) => !theirs.has(k) && !k.startsWith('duplicate_index ')).sort();
    expect(keelOnly).toEqual(Object.keys(KEEL_ONLY).sort());
  });
});
