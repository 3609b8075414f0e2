import { beforeAll, describe, expect, it } from 'vitest';
import { ensureParser } from '../../src/core/sql/parser.js';
import type { Finding } from '../../src/features/lint/finding.js';
import { lintMigrations, migrationRules } from '../../src/features/lint/migrations/index.js';
import { prepareFile } from '../../src/features/migrate/run-file.js';

beforeAll(async () => {
  await ensureParser();
});

const EXISTING = ['public.users', 'public.orders'];

/** Lints pending files (name → text, in order; a bare string is one file `001_m.sql`). */
function lint(files: Record<string, string> | string, existing: string[] = EXISTING): Finding[] {
  const map = typeof files === 'string' ? { '001_m.sql': files } : files;
  const prepared = Object.entries(map).map(([file, text]) => prepareFile({ file, path: file, text, sha256: file }));
  return lintMigrations(prepared, { existingTables: new Set(existing) });
}

const rulesOf = (findings: Finding[]) => findings.map((f) => f.rule);
const NO_TX = '-- keel:no-transaction\n';
/** Sets a lock timeout first, so require-lock-timeout stays out of the way of the rule under test. */
const LT = "set local lock_timeout = '2s';\n";

interface Case {
  rule: string;
  /** The risky change on an existing table. */
  bad: string;
  /** The safe pattern. */
  good: string;
  /** The same change on a table created earlier in the same file (safe unless `newFires`). */
  onNew?: string;
  /** The rule is not about table size (it fires on new tables too). */
  newFires?: boolean;
}

const CASES: Case[] = [
  {
    rule: 'adding-required-field',
    bad: 'alter table users add column plan text not null;',
    good: "alter table users add column plan text not null default 'free';",
    onNew: 'create table t (id bigint);\nalter table t add column plan text not null;',
  },
  {
    rule: 'adding-field-with-default',
    bad: 'alter table users add column api_key uuid default gen_random_uuid();',
    good: "alter table users add column joined_at timestamptz default now(), add column n int default 0, add column tags text[] default '{}';",
    onNew: 'create table t (id bigint);\nalter table t add column api_key uuid default gen_random_uuid();',
  },
  {
    rule: 'adding-not-nullable-field',
    bad: 'alter table users alter column email set not null;',
    good: 'alter table users add constraint users_email_not_null check (email is not null) not valid;',
    onNew: 'create table t (email text);\nalter table t alter column email set not null;',
  },
  {
    rule: 'changing-column-type',
    bad: 'alter table users alter column n type bigint;',
    good: 'alter table users add column n2 bigint;',
    onNew: 'create table t (n int);\nalter table t alter column n type bigint;',
  },
  {
    rule: 'ban-drop-column',
    bad: 'alter table users drop column legacy;',
    good: 'alter table users drop constraint users_legacy_check;',
    onNew: 'create table t (legacy text);\nalter table t drop column legacy;',
  },
  {
    rule: 'renaming-column',
    bad: 'alter table users rename column fullname to display_name;',
    good: 'alter table users add column display_name text;',
    onNew: 'create table t (fullname text);\nalter table t rename column fullname to display_name;',
  },
  {
    rule: 'constraint-missing-not-valid',
    bad: 'alter table users add constraint users_n_check check (n > 0);',
    good: 'alter table users add constraint users_n_check check (n > 0) not valid;',
    onNew: 'create table t (n int);\nalter table t add constraint t_n_check check (n > 0);',
  },
  {
    rule: 'adding-foreign-key-constraint',
    bad: 'alter table orders add constraint orders_user_fkey foreign key (user_id) references users (id);',
    good: 'alter table orders add constraint orders_user_fkey foreign key (user_id) references users (id) not valid;',
    onNew: 'create table t (user_id bigint);\nalter table t add constraint t_user_fkey foreign key (user_id) references users (id);',
  },
  {
    rule: 'disallowed-unique-constraint',
    bad: 'alter table users add constraint users_email_key unique (email);',
    good: 'alter table users add constraint users_email_key unique using index users_email_idx;',
    onNew: 'create table t (email text);\nalter table t add constraint t_email_key unique (email);',
  },
  {
    rule: 'adding-serial-primary-key-field',
    bad: 'alter table users add primary key (id);',
    good: 'alter table users add constraint users_pkey primary key using index users_id_idx;',
    onNew: 'create table t (id bigint not null);\nalter table t add primary key (id);',
  },
  {
    rule: 'require-concurrent-index-creation',
    bad: 'create index users_email_idx on users (email);',
    good: `${NO_TX}create index concurrently users_email_idx on users (email);`,
    onNew: 'create table t (email text);\ncreate index t_email_idx on t (email);',
  },
  {
    rule: 'require-concurrent-index-deletion',
    bad: 'drop index users_email_idx;',
    good: `${NO_TX}drop index concurrently users_email_idx;`,
    onNew: 'create table t (email text);\ncreate index t_email_idx on t (email);\ndrop index t_email_idx;',
  },
  {
    rule: 'ban-concurrent-index-creation-in-transaction',
    bad: 'create index concurrently users_email_idx on users (email);',
    good: `${NO_TX}create index concurrently users_email_idx on users (email);`,
    onNew: 'create table t (email text);\ncreate index concurrently t_email_idx on t (email);',
    newFires: true,
  },
  {
    rule: 'ban-drop-table',
    bad: 'drop table users;',
    good: 'drop view users_view;',
    onNew: 'create table t (id bigint);\ndrop table t;',
  },
  {
    rule: 'renaming-table',
    bad: 'alter table users rename to members;',
    good: 'alter view users_view rename to members_view;',
    onNew: 'create table t (id bigint);\nalter table t rename to t2;',
  },
  {
    rule: 'ban-truncate-cascade',
    bad: 'truncate users cascade;',
    good: 'truncate users, orders;',
    onNew: 'create table t (id bigint);\ntruncate t cascade;',
    newFires: true,
  },
  { rule: 'ban-drop-database', bad: 'drop database analytics;', good: 'drop schema analytics;' },
  {
    rule: 'prefer-text-field',
    bad: 'alter table users add column nick varchar(40);',
    good: 'alter table users add column nick text, add column other varchar;',
    onNew: 'create table t (name varchar(120));',
    newFires: true,
  },
  {
    rule: 'prefer-timestamp-tz',
    bad: 'alter table users add column seen_at timestamp;',
    good: 'alter table users add column seen_at timestamptz, add column other timestamp with time zone;',
    onNew: 'create table t (at timestamp without time zone);',
    newFires: true,
  },
  {
    rule: 'prefer-identity',
    bad: 'create table t (id bigserial primary key);',
    good: 'create table t (id bigint generated always as identity primary key);',
    onNew: 'create table t (id serial);',
    newFires: true,
  },
  {
    rule: 'require-lock-timeout',
    bad: 'alter table users add column nick text;',
    good: "set local lock_timeout = '2s';\nalter table users add column nick text;",
    onNew: 'create table t (id bigint);\nalter table t add column nick text;',
  },
  {
    rule: 'transaction-nesting',
    bad: 'begin;\nalter table users add column nick text;\ncommit;',
    good: 'alter table users add column nick text;',
  },
];

describe('every migration rule: a failing and a passing case, and the same change on a new table', () => {
  it('covers every rule in migrationRules', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual(migrationRules.map((r) => r.id).sort());
  });

  for (const c of CASES) {
    const prefix = c.rule === 'require-lock-timeout' || c.bad.startsWith('begin') ? '' : LT;
    it(`${c.rule}: fires on the risky change to an existing table`, () => {
      const found = lint(prefix + c.bad).filter((f) => f.rule === c.rule);
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) {
        expect(f.level).toBe(migrationRules.find((r) => r.id === c.rule)!.level);
        expect(f.message.length).toBeGreaterThan(30);
        expect(f.remediation.length).toBeGreaterThan(20);
        expect(f.location?.file).toBe('001_m.sql');
      }
    });
    it(`${c.rule}: quiet on the safe pattern`, () => {
      const good = c.good.startsWith('--') ? c.good.replace('\n', `\n${prefix}`) : prefix + c.good;
      expect(rulesOf(lint(good))).not.toContain(c.rule);
    });
    if (c.onNew) {
      it(`${c.rule}: ${c.newFires ? 'fires on a new table too (not about table size)' : 'quiet on a table created in the same file'}`, () => {
        const rules = rulesOf(lint(prefix + c.onNew!));
        if (c.newFires) expect(rules).toContain(c.rule);
        else expect(rules).not.toContain(c.rule);
      });
    }
  }
});

describe('rule metadata', () => {
  it('uses squawk names, the migration category and the agreed default levels', () => {
    const ids = migrationRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of migrationRules) {
      expect(r.category).toBe('migration');
      expect(r.summary.length).toBeGreaterThan(10);
    }
    const level = (id: string) => migrationRules.find((r) => r.id === id)?.level;
    expect(level('adding-required-field')).toBe('error');
    expect(level('ban-concurrent-index-creation-in-transaction')).toBe('error');
    expect(level('ban-truncate-cascade')).toBe('error');
    expect(level('ban-drop-database')).toBe('error');
    expect(level('adding-field-with-default')).toBe('warn');
    expect(level('require-lock-timeout')).toBe('warn');
  });
});

describe('new vs existing tables across the pending set', () => {
  it('a table created by an earlier pending file is new', () => {
    const findings = lint({
      '001_a.sql': 'create table projects (id bigint);',
      '002_b.sql': 'alter table projects add column slug text not null;\ncreate index projects_slug_idx on projects (slug);',
    });
    expect(findings).toEqual([]);
  });

  it('the same change on a table that exists before the pending files is reported', () => {
    const findings = lint({ '002_b.sql': 'alter table projects add column slug text not null;' }, ['public.projects']);
    expect(rulesOf(findings)).toEqual(['require-lock-timeout', 'adding-required-field']);
  });

  it('follows renames: a renamed new table stays new, a renamed existing table stays existing', () => {
    const findings = lint({
      '001_a.sql': `${LT}create table drafts (id bigint);\nalter table drafts rename to posts;\nalter table users rename to members;`,
      '002_b.sql': `${LT}alter table posts add column body text not null;\nalter table members add column plan text not null;`,
    });
    expect(findings.filter((f) => f.rule === 'adding-required-field').map((f) => f.object)).toEqual(['public.members.plan']);
    expect(findings.filter((f) => f.rule === 'renaming-table').map((f) => f.object)).toEqual(['public.users']);
  });

  it('a dropped and re-created table is new; `create table if not exists` of an existing table is not', () => {
    const findings = lint(
      `${LT}drop table orders;\ncreate table orders (id bigint);\nalter table orders add column n int not null;\ncreate table if not exists users (id bigint);\nalter table users add column n int not null;`,
    );
    expect(findings.filter((f) => f.rule === 'adding-required-field').map((f) => f.object)).toEqual(['public.users.n']);
    expect(rulesOf(findings)).toContain('ban-drop-table');
  });

  it('resolves unqualified names to public, and keeps other schemas apart', () => {
    const findings = lint(
      `${LT}create table app.users (id bigint);\nalter table app.users add column a int not null;\nalter table users add column b int not null;\nalter table public.users add column c int not null;`,
    );
    expect(findings.filter((f) => f.rule === 'adding-required-field').map((f) => f.object)).toEqual(['public.users.b', 'public.users.c']);
  });

  it('dropping or renaming a column that a pending file added to an existing table is quiet; a deployed column is not', () => {
    const findings = lint({
      '001_a.sql': `${LT}alter table users add column nick text;`,
      '002_b.sql': `${LT}alter table users rename column nick to handle;\nalter table users drop column handle;\nalter table users drop column email;`,
    });
    expect(
      findings.filter((f) => f.rule === 'ban-drop-column' || f.rule === 'renaming-column').map((f) => `${f.rule} ${f.object}`),
    ).toEqual(['ban-drop-column public.users.email']);
  });

  it('a table not known at all is treated as existing (the safe assumption)', () => {
    expect(rulesOf(lint(`${LT}alter table mystery add column a int not null;`, []))).toEqual(['adding-required-field']);
  });
});

describe('details of individual rules', () => {
  it('adding-field-with-default: known volatile, unknown functions, pending function volatility, identity, stored vs virtual generated, serial', () => {
    const sql = `${LT}create function pure_default() returns int language sql immutable as 'select 1';
create function noisy_default() returns int language sql as 'select 1';
alter table users add column a timestamptz default clock_timestamp();
alter table users add column b int default my_func();
alter table users add column c int default pure_default();
alter table users add column d int default noisy_default();
alter table users add column e bigint generated always as identity;
alter table users add column f int generated always as (n + 1) stored;
alter table users add column g int generated always as (n + 1) virtual;
alter table users add column h bigserial;
alter table users add column i text default lower('X');
alter table users add column j timestamptz default current_timestamp;`;
    const hits = lint(sql)
      .filter((f) => f.rule === 'adding-field-with-default')
      .map((f) => f.object.split('.').pop());
    expect(hits).toEqual(['a', 'b', 'd', 'e', 'f', 'h']);
  });

  it('adding-required-field: `default null` is no default', () => {
    expect(rulesOf(lint(`${LT}alter table users add column a int not null default null;`))).toContain('adding-required-field');
  });

  it('adding-field-with-default: a volatile call anywhere in the default counts', () => {
    const f = lint(`${LT}alter table users add column n int default floor(random() * 100)::int;`).find(
      (x) => x.rule === 'adding-field-with-default',
    );
    expect(f?.message).toContain('random()');
  });

  it('constraint-missing-not-valid: VALIDATE in the same transactional file as the NOT VALID add gains nothing', () => {
    const add = 'alter table orders add constraint orders_user_fkey foreign key (user_id) references users (id) not valid;';
    const validate = 'alter table orders validate constraint orders_user_fkey;';
    const same = lint(`${LT}${add}\n${validate}`).filter((f) => f.rule === 'constraint-missing-not-valid');
    expect(same.map((f) => f.location?.line)).toEqual([3]);
    expect(same[0]!.remediation).toContain('later migration');
    expect(rulesOf(lint({ '001_a.sql': LT + add, '002_b.sql': LT + validate }))).not.toContain('constraint-missing-not-valid');
  });

  it('adding-foreign-key-constraint: a column added with REFERENCES counts; the remediation is NOT VALID then VALIDATE', () => {
    const f = lint(`${LT}alter table orders add column user_id bigint references users (id);`).find(
      (x) => x.rule === 'adding-foreign-key-constraint',
    );
    expect(f?.object).toBe('public.orders.user_id');
    expect(f?.remediation).toMatch(/not valid/);
    const c = lint(`${LT}alter table orders add constraint orders_user_fkey foreign key (user_id) references users (id);`).find(
      (x) => x.rule === 'adding-foreign-key-constraint',
    );
    expect(c?.remediation).toContain('validate constraint orders_user_fkey');
    expect(c?.message).toContain('public.users');
  });

  it('ban-concurrent-index-creation-in-transaction: also inside an explicit BEGIN of a no-transaction file, and for DROP INDEX CONCURRENTLY', () => {
    const inBegin = lint(
      `${NO_TX}${LT}begin;\ncreate index concurrently i on users (email);\ncommit;\ncreate index concurrently j on users (name);`,
    );
    expect(inBegin.filter((f) => f.rule === 'ban-concurrent-index-creation-in-transaction').map((f) => f.location?.line)).toEqual([4]);
    expect(rulesOf(lint('drop index concurrently users_email_idx;'))).toContain('ban-concurrent-index-creation-in-transaction');
    const f = lint('create index concurrently i on users (email);')[0]!;
    expect(f.remediation).toContain('-- keel:no-transaction');
  });

  it('require-concurrent-index-deletion: dropping an index created by a pending file on a new table is quiet, on an existing table it is not', () => {
    const findings = lint({
      '001_a.sql': `${LT}create table t (a int);\ncreate index t_a_idx on t (a);`,
      '002_b.sql': `${NO_TX}${LT}create index concurrently users_a_idx on users (a);`,
      '003_c.sql': `${LT}drop index t_a_idx;\ndrop index users_a_idx;`,
    });
    expect(findings.filter((f) => f.rule === 'require-concurrent-index-deletion').map((f) => f.object)).toEqual(['public.users_a_idx']);
  });

  it('require-lock-timeout: once per file at the first unguarded statement, counting the rest; RESET and 0 do not count; set_config does', () => {
    const once = lint(
      'create table t (id bigint);\nalter table t add column a text;\nalter table users add column a text;\ndrop table orders;',
    );
    const f = once.filter((x) => x.rule === 'require-lock-timeout');
    expect(f.map((x) => x.location?.line)).toEqual([3]);
    expect(f[0]!.message).toContain('1 later statement');
    expect(f[0]!.objectKind).toBe('migration');
    expect(rulesOf(lint("set lock_timeout = '1s';\nreset lock_timeout;\nalter table users add column a text;"))).toContain(
      'require-lock-timeout',
    );
    expect(rulesOf(lint('set lock_timeout = 0;\nalter table users add column a text;'))).toContain('require-lock-timeout');
    expect(rulesOf(lint("select set_config('lock_timeout', '2s', true);\nalter table users add column a text;"))).not.toContain(
      'require-lock-timeout',
    );
    // In a no-transaction file, SET LOCAL outside BEGIN does nothing, and inside BEGIN it ends at COMMIT.
    expect(rulesOf(lint(`${NO_TX}set local lock_timeout = '2s';\nalter table users add column a text;`))).toContain('require-lock-timeout');
    const local = lint(
      `${NO_TX}begin;\nset local lock_timeout = '2s';\nalter table users add column a text;\ncommit;\nalter table users add column b text;`,
    );
    expect(local.filter((x) => x.rule === 'require-lock-timeout').map((x) => x.location?.line)).toEqual([6]);
    expect(rulesOf(lint(`${NO_TX}set lock_timeout = '2s';\nalter table users add column a text;`))).not.toContain('require-lock-timeout');
    // Not carried from one file to the next: each file is its own transaction.
    expect(rulesOf(lint({ '001_a.sql': LT, '002_b.sql': 'alter table users add column a text;' }))).toContain('require-lock-timeout');
    // Locks that only block schema changes do not need it: VALIDATE CONSTRAINT, CREATE INDEX CONCURRENTLY, SET STATISTICS.
    expect(rulesOf(lint('alter table orders validate constraint c;'))).not.toContain('require-lock-timeout');
    expect(rulesOf(lint(`${NO_TX}create index concurrently i on users (a);`))).not.toContain('require-lock-timeout');
    expect(rulesOf(lint('alter table users alter column a set statistics 500;'))).not.toContain('require-lock-timeout');
    // Locks that block writes do (SHARE, SHARE ROW EXCLUSIVE), and the message says which lock and what it blocks.
    const share = lint('create index i on users (a);').find((x) => x.rule === 'require-lock-timeout');
    expect(share?.message).toContain('SHARE lock, blocking writes');
    const fk = lint('alter table orders add constraint f foreign key (u) references users (id) not valid;').find(
      (x) => x.rule === 'require-lock-timeout',
    );
    expect(fk?.message).toContain('SHARE ROW EXCLUSIVE lock, blocking writes');
    expect(rulesOf(lint('create trigger t before update on users for each row execute function f();'))).toContain('require-lock-timeout');
    const policy = lint('drop policy p on users;').find((x) => x.rule === 'require-lock-timeout');
    expect(policy?.message).toContain('ACCESS EXCLUSIVE lock, blocking reads and writes');
    expect(
      rulesOf(
        lint('create table t (a int);\ncreate trigger tr before update on t for each row execute function f();\ndrop policy p on t;'),
      ),
    ).not.toContain('require-lock-timeout');
  });

  it('transaction-nesting: the dropped BEGIN/COMMIT wrapper is reported at both lines; nesting in a no-transaction file too', () => {
    const wrapped = lint(`begin;\n${LT}alter table users add column a text;\ncommit;`);
    expect(wrapped.filter((f) => f.rule === 'transaction-nesting').map((f) => f.location?.line)).toEqual([1, 4]);
    const nested = lint(`${NO_TX}begin;\nselect 1;\nbegin;\ncommit;\ncommit;`);
    expect(nested.filter((f) => f.rule === 'transaction-nesting').map((f) => f.location?.line)).toEqual([4, 6]);
    expect(rulesOf(lint(`${NO_TX}begin;\nselect 1;\ncommit;`))).not.toContain('transaction-nesting');
  });

  it('ban-truncate-cascade names the tables; plain TRUNCATE is fine', () => {
    const f = lint(`${LT}truncate users, orders cascade;`).find((x) => x.rule === 'ban-truncate-cascade');
    expect(f?.level).toBe('error');
    expect(f?.message).toContain('public.users, public.orders');
  });
});

describe('locations', () => {
  it('points at the offending subcommand of a multi-line ALTER TABLE, not the statement start', () => {
    const text = `${LT}alter table public.users\n  add column nick text,\n  drop column legacy,\n  add column plan text not null;`;
    const findings = lint(text);
    const drop = findings.find((f) => f.rule === 'ban-drop-column');
    const required = findings.find((f) => f.rule === 'adding-required-field');
    expect(drop?.location).toEqual({ file: '001_m.sql', line: 4, column: 3 });
    expect(required?.location).toEqual({ file: '001_m.sql', line: 5, column: 14 });
  });

  it('counts characters, not bytes, after non-ASCII text', () => {
    const findings = lint(`${LT}-- café ☕ 😀\nalter table users add column "naïve" text, add column zz varchar(3);`);
    const f = findings.find((x) => x.rule === 'prefer-text-field');
    const line = 'alter table users add column "naïve" text, add column zz varchar(3);';
    expect(f?.location).toEqual({ file: '001_m.sql', line: 3, column: line.indexOf('varchar') + 1 });
  });

  it('points at the statement for findings about a whole statement (DROP TABLE)', () => {
    expect(lint(`${LT}\n\n   drop table orders;`).find((f) => f.rule === 'ban-drop-table')?.location).toEqual({
      file: '001_m.sql',
      line: 4,
      column: 4,
    });
  });
});
