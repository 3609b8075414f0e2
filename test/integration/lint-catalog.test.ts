/**
 * The catalog rules of `keel lint` on one fixture schema (test/support/advisors.ts) that plants a failing and a
 * passing case of every rule side by side, on both engines: each test asserts the exact set of objects a rule
 * reports, so a rule that misses a bad object or reports a good one fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogRules, sensitivePattern } from '../../src/features/lint/catalog/index.js';
import type { Finding } from '../../src/features/lint/finding.js';
import { objectsOf, openLintFixture, type LintFixture } from '../support/advisors.js';
import { engineNames } from '../support/postgres.js';

const EXPECTED_RULES = [
  'rls_disabled_in_public',
  'policy_exists_rls_disabled',
  'rls_enabled_no_policy',
  'multiple_permissive_policies',
  'unindexed_foreign_keys',
  'duplicate_index',
  'no_primary_key',
  'function_search_path_mutable',
  'anon_security_definer_function_executable',
  'authenticated_security_definer_function_executable',
  'security_definer_view',
  'extension_in_public',
  'auth_users_exposed',
  'sensitive_columns_exposed',
];

describe('catalog rule descriptions', () => {
  it("lists each rule once, with splinter's name and level", () => {
    const ids = catalogRules.rules.map((r) => r.id);
    expect([...ids].sort()).toEqual([...EXPECTED_RULES].sort());
    const level = Object.fromEntries(catalogRules.rules.map((r) => [r.id, r.level]));
    expect(level).toMatchObject({
      rls_disabled_in_public: 'error',
      policy_exists_rls_disabled: 'error',
      rls_enabled_no_policy: 'info',
      multiple_permissive_policies: 'warn',
      unindexed_foreign_keys: 'info',
      duplicate_index: 'warn',
      no_primary_key: 'info',
      function_search_path_mutable: 'warn',
      security_definer_view: 'error',
      extension_in_public: 'warn',
      anon_security_definer_function_executable: 'warn',
      authenticated_security_definer_function_executable: 'warn',
      auth_users_exposed: 'error',
      sensitive_columns_exposed: 'error',
    });
  });
});

describe('sensitive column names', () => {
  it('match whole names from the broad list, and words inside names from the specific list', () => {
    expect(sensitivePattern('token')).toBe('token');
    expect(sensitivePattern('apiKey')).toBe('api_key');
    expect(sensitivePattern('stripe-api-key')).toBe('api_key');
    expect(sensitivePattern('password_hash')).toBe('password');
    expect(sensitivePattern('user_ssn')).toBe('ssn');
    expect(sensitivePattern('Credit_Card_Number')).toBe('credit_card');
    for (const harmless of ['token_count', 'display_name', 'otp_enabled', 'description', 'secretary_id', 'cvv2_hint_shown']) {
      expect(sensitivePattern(harmless), harmless).toBeUndefined();
    }
  });
});

describe.each(engineNames)('catalog lint rules on %s', (kind) => {
  let fx: LintFixture;
  let findings: Finding[];
  const found = (rule: string) => objectsOf(findings, rule);
  const one = (rule: string, object: string) => {
    const hits = findings.filter((f) => f.rule === rule && f.object === object);
    expect(hits, `${rule} on ${object}`).toHaveLength(1);
    return hits[0]!;
  };

  beforeAll(async () => {
    fx = await openLintFixture(kind);
    findings = catalogRules.check({ catalog: fx.catalog, exposedSchemas: ['public'] });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('gives every finding a rule, a level, a message naming its object, a remediation and a source, and no location', () => {
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(EXPECTED_RULES).toContain(f.rule);
      expect(['error', 'warn', 'info']).toContain(f.level);
      expect(f.remediation.length).toBeGreaterThan(10);
      expect(f.location).toBeUndefined();
      expect(f.source).toBeDefined();
      // The message names the object (for functions: without the argument list; for constraints: the constraint).
      const named = f.objectKind === 'constraint' ? f.object.split('.').pop()! : f.object.replace(/\(.*$/, '');
      expect(f.message, f.rule).toContain(named);
    }
  });

  it('never reports on the platform schemas (auth, extensions)', () => {
    expect(findings.filter((f) => /^(auth|extensions)\./.test(f.object))).toEqual([]);
  });

  it('rls_disabled_in_public: exposed tables anon/authenticated can reach without RLS', () => {
    // Not: secured_clients (RLS on), internal_tokens (revoked from anon and authenticated), private.audit_log (not exposed).
    expect(found('rls_disabled_in_public')).toEqual(['public.api_clients', 'public.drafts', 'public.open_notes']);
    const f = one('rls_disabled_in_public', 'public.open_notes');
    expect(f).toMatchObject({ level: 'error', objectKind: 'table', source: { kind: 'table', schema: 'public', name: 'open_notes' } });
    expect(f.message).toContain('anon can select');
    expect(f.remediation).toContain('alter table public.open_notes enable row level security');
  });

  it('policy_exists_rls_disabled: policies on a table whose RLS is off', () => {
    expect(found('policy_exists_rls_disabled')).toEqual(['public.drafts']);
    expect(one('policy_exists_rls_disabled', 'public.drafts').message).toContain('"drafts owner read"');
  });

  it('rls_enabled_no_policy: RLS on and no policy, in any user schema', () => {
    expect(found('rls_enabled_no_policy')).toEqual(['private.jobs', 'public.locked']);
    expect(one('rls_enabled_no_policy', 'public.locked').level).toBe('info');
  });

  it('multiple_permissive_policies: overlapping permissive policies per role and command; `all` and PUBLIC count', () => {
    // Not comments: its permissive policies are for different roles and commands, the third is restrictive.
    expect(found('multiple_permissive_policies')).toEqual(['public.feeds', 'public.posts']);
    const posts = one('multiple_permissive_policies', 'public.posts');
    expect(posts.message).toContain(
      'has overlapping permissive policies, and Postgres evaluates every one of them for each row: ' +
        '"posts author all" and "posts public read" for authenticated on select; "posts author all" and "posts author insert" for authenticated on insert',
    );
    expect(posts.message).not.toContain('posts no spam');
    expect(posts.message).not.toContain('anon');
    // The `for all` policy takes part in both overlaps: the finding points at it.
    expect(posts.source).toEqual({ kind: 'policy', schema: 'public', table: 'posts', name: 'posts author all' });
    const feeds = one('multiple_permissive_policies', 'public.feeds');
    expect(feeds.message).toContain(': "feeds everyone" and "feeds members" for authenticated on select');
  });

  it('unindexed_foreign_keys: only a plain btree whose leading columns are the key, in order, covers it', () => {
    // Not tasks_assignee_fk ((assignee_id, id)), milestones_project_fk ((org_id, code, id)), profiles → auth.users (its primary key).
    expect(found('unindexed_foreign_keys')).toEqual([
      'public.reviews.reviews_user_fk', // no index
      'public.tasks.tasks_org_code_fk', // (code, org_id): another order
      'public.tasks.tasks_project_fk', // no index
      'public.tasks.tasks_reviewer_fk', // partial index only
      'public.tasks.tasks_watcher_fk', // hash index only
    ]);
    const f = one('unindexed_foreign_keys', 'public.tasks.tasks_org_code_fk');
    expect(f).toMatchObject({
      objectKind: 'constraint',
      source: { kind: 'constraint', schema: 'public', table: 'tasks', name: 'tasks_org_code_fk' },
    });
    expect(f.remediation).toBe('create index on public.tasks (org_id, code);');
    expect(f.message).toContain('tasks_code_org_idx has these columns in another order');
    expect(one('unindexed_foreign_keys', 'public.tasks.tasks_project_fk').remediation).toBe('create index on public.tasks (project_id);');
    expect(one('unindexed_foreign_keys', 'public.reviews.reviews_user_fk').remediation).toBe('create index on public.reviews ("user");');
  });

  it("duplicate_index: same definition apart from the name; keeps the primary key's index", () => {
    // Not: desc, partial, unique, include and expression variants of tags_slug / tags_name_a.
    expect(found('duplicate_index')).toEqual(['public.tags_id_key', 'public.tags_name_b']);
    expect(one('duplicate_index', 'public.tags_name_b').message).toContain('public.tags_name_a');
    expect(one('duplicate_index', 'public.tags_name_b').remediation).toBe('drop index public.tags_name_b;');
    expect(one('duplicate_index', 'public.tags_id_key').message).toContain('public.tags_pkey');
  });

  it('no_primary_key: tables without one, even with a unique column', () => {
    expect(found('no_primary_key')).toEqual(['public.event_log']);
  });

  it('function_search_path_mutable: warn, and error for security definer', () => {
    // Not add_two and the other functions, which set search_path; not the shim's auth.* functions (platform schema).
    expect(found('function_search_path_mutable')).toEqual(['private.make_admin(uuid)', 'public.add_one(integer)']);
    expect(one('function_search_path_mutable', 'public.add_one(integer)').level).toBe('warn');
    const definer = one('function_search_path_mutable', 'private.make_admin(uuid)');
    expect(definer.level).toBe('error');
    expect(definer.message).toContain('security definer');
    expect(definer.source).toEqual({ kind: 'function', schema: 'private', name: 'make_admin' });
  });

  it('anon/authenticated_security_definer_function_executable: definer functions in exposed schemas the role may execute', () => {
    // Not admin_only (revoked), touch_row (a trigger function), reset_counts (a procedure), invoker_count (invoker), private.* (not exposed).
    expect(found('anon_security_definer_function_executable')).toEqual(['public.legacy_export()', 'public.purge_notes()']);
    expect(found('authenticated_security_definer_function_executable')).toEqual([
      'public.legacy_export()',
      'public.post_count()',
      'public.purge_notes()',
    ]);
    expect(one('anon_security_definer_function_executable', 'public.legacy_export()').message).toContain('(granted to PUBLIC)');
    expect(one('anon_security_definer_function_executable', 'public.purge_notes()').message).toContain('(granted to anon)');
    expect(one('authenticated_security_definer_function_executable', 'public.post_count()').remediation).toContain(
      'revoke execute on function public.post_count() from public, authenticated',
    );
  });

  it('security_definer_view: exposed views without security_invoker that the API roles can select', () => {
    // Not profile_cards_safe / user_emails_invoker / directory_cards (invoker), revoked_emails (not selectable), private.user_directory.
    expect(found('security_definer_view')).toEqual(['public.profile_cards', 'public.user_emails']);
    expect(one('security_definer_view', 'public.profile_cards').remediation).toBe(
      'alter view public.profile_cards set (security_invoker = on);',
    );
  });

  it('auth_users_exposed: views reading auth.users (found in the parsed definition, through views too)', () => {
    // Not user_emails_invoker (anon/authenticated may not select auth.users), revoked_emails, private.user_directory, post_stats.
    expect(found('auth_users_exposed')).toEqual(['public.directory_cards', 'public.user_emails', 'public.user_stats']);
    expect(one('auth_users_exposed', 'public.directory_cards').message).toContain(
      "reads auth.users (through private.user_directory) and anon and authenticated can select it: private.user_directory reads auth.users with its owner's privileges",
    );
    expect(one('auth_users_exposed', 'public.user_emails').message).toContain("it reads auth.users with its owner's privileges");
    expect(one('auth_users_exposed', 'public.user_stats').message).toContain('materialized view public.user_stats');
  });

  it('sensitive_columns_exposed: exposed tables without RLS with sensitive-looking columns, named', () => {
    // Not open_notes (token_count is not a token), secured_clients (RLS), internal_tokens (revoked), private.audit_log.
    expect(found('sensitive_columns_exposed')).toEqual(['public.api_clients']);
    expect(one('sensitive_columns_exposed', 'public.api_clients').message).toContain('columns api_key and password_hash');
  });

  it('extension_in_public: extensions in public, not the ones in extensions', () => {
    expect(found('extension_in_public')).toEqual(['citext']);
    expect(one('extension_in_public', 'citext').source).toEqual({ kind: 'extension', name: 'citext' });
  });

  it('applies the exposure rules to the configured schemas only', () => {
    const none = catalogRules.check({ catalog: fx.catalog, exposedSchemas: [] });
    for (const rule of [
      'rls_disabled_in_public',
      'security_definer_view',
      'auth_users_exposed',
      'sensitive_columns_exposed',
      'anon_security_definer_function_executable',
    ]) {
      expect(objectsOf(none, rule), rule).toEqual([]);
    }
    // Exposing `private` too: its definer functions (EXECUTE through PUBLIC) and its granted view show up; its
    // RLS-less table does not, as nothing grants anon or authenticated any privilege on it.
    const more = catalogRules.check({ catalog: fx.catalog, exposedSchemas: ['public', 'private'] });
    expect(objectsOf(more, 'rls_disabled_in_public')).toEqual(objectsOf(findings, 'rls_disabled_in_public'));
    expect(objectsOf(more, 'anon_security_definer_function_executable')).toEqual([
      'private.make_admin(uuid)',
      'private.rotate_keys()',
      'public.legacy_export()',
      'public.purge_notes()',
    ]);
    expect(objectsOf(more, 'security_definer_view')).toContain('private.user_directory');
  });
});
