/**
 * hostile-input: a generated corpus of bad and odd input, each case run in this process through `main(argv, io)`,
 * on PGlite and on the Postgres test server for the cases that touch a database.
 *
 * Classes (each a generator: templates × hostile values):
 * - sql: malformed SQL (unterminated quotes, dollar quotes and comments, BOM, CRLF, NUL, invalid UTF-8, binary junk,
 *   a 10 MB statement, 10000 nested parentheses, `copy … from stdin`, psql meta-commands, errors after a write) in
 *   migrations, policies, seeds; through migrate, seed, lint and reset
 * - names: odd, skipped and duplicate migration file names
 * - symlinks: links out of the project, dangling, looping, to folders and devices
 * - keel-toml / config-toml: every setting × values of the wrong type or out of range, syntax errors, bad encodings
 * - rls-spec: rls.yaml paths × wrong values, YAML syntax errors, alias bombs
 * - url: bad connection URLs × commands (flag and DATABASE_URL), unreachable host, unknown role, wrong password
 * - flags: unknown flags on every command (text and --json), bad option values
 * - identifiers: legal odd identifiers as schema, table, column, policy, enum and enum label, through migrate,
 *   validate, lint, gen types (all outputs compiled in one TypeScript program), backup + restore, test rls
 *
 * Per case: the exit code (non-zero for bad input, 0 for legal), no stack trace, no "internal error", the message
 * names the input (the file for a file problem), no password in the output, and — when the command failed — the
 * database fingerprint (catalog + row counts + history tables) unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { tableName } from '../../../src/features/rls/spec.js';
import type { Check, CheckContext, CheckFailure, CheckResult } from '../check.js';
import {
  dataDirFilesHash,
  dataDirFingerprint,
  describe,
  judge,
  quoteIdent,
  runMain,
  ScratchServer,
  urlFingerprint,
  type CliRun,
  type Expectation,
} from '../support/in-process.js';

const NAME = 'hostile-input';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type EngineName = 'pglite' | 'postgres';
type Cls = 'sql' | 'names' | 'symlinks' | 'keel-toml' | 'config-toml' | 'rls-spec' | 'url' | 'flags' | 'identifiers';
type Want = Omit<Expectation, 'exit'> & { exit: Expectation['exit'] | 'clean' };

/** What a case sees of where it runs. */
interface Where {
  engine: EngineName | 'none';
  root: string;
  /** Outside the project: targets for symlinks, backups. */
  outside: string;
  pgAdminUrl: string | null;
}

interface Case {
  id: string;
  cls: Cls;
  /** Runs on each engine against the workspace database (fingerprint checked on failure); else once, engine none. */
  db: boolean;
  /** supabase/<rel> files; base files are written first unless `noBase`. */
  files?: Record<string, string | Buffer>;
  noBase?: boolean;
  /** supabase/<rel> → target (absolute, or relative to the link). */
  links?: (w: Where) => Record<string, string>;
  dirs?: string[];
  argv: string[] | ((w: Where) => string[]);
  /** Add `--db-url <workspace db>` on postgres (default: true for db cases). */
  target?: boolean;
  env?: (w: Where) => Record<string, string | undefined>;
  want: Want | ((w: Where) => Want);
  /** Needs the Postgres server even though it is not a db case (URLs naming its port). */
  needsServer?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The base project every db case starts from

const BASE_FILES: Record<string, string> = {
  'migrations/001_base.sql': `create type public.mood as enum ('ok', 'meh');
create table public.items (id int primary key, name text not null, mood public.mood not null default 'ok', owner_id uuid);
insert into public.items (id, name, mood) values (1, 'a', 'ok'), (2, 'b', 'meh');
alter table public.items enable row level security;
create policy "items owner read" on public.items for select using (owner_id = (select auth.uid()));
grant select on public.items to authenticated;
`,
};

const GOOD_RLS = `personas:
  anon: { role: anon }
  owner: { role: authenticated, sub: 00000000-0000-0000-0000-000000000001 }
  service: { role: service_role }
tables:
  public.items:
    select: { anon: none, owner: none, service: all }
`;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic junk

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function junk(seed: number, n: number): Buffer {
  const r = prng(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
}

const b = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

// ---------------------------------------------------------------------------------------------------------------
// sql: malformed SQL × where it is × which command reads it

interface SqlValue {
  id: string;
  sql: Buffer | string;
  legal: boolean;
  /** Also through the policies / seed / reset / after-a-statement templates. */
  core?: boolean;
  /** Big: only the plain migration template. */
  heavy?: boolean;
  /** Fails only when run: `lint` on a database (which reads pending files without running them) may pass it. */
  runtime?: boolean;
}

function sqlValues(seed: number): SqlValue[] {
  const TEN_MB = 10 * 1024 * 1024;
  const values: SqlValue[] = [
    { id: 'unterminated-quote', sql: "select 'never closed;\n", legal: false, core: true },
    { id: 'unterminated-ident', sql: 'select "never closed;\n', legal: false },
    { id: 'unterminated-dollar', sql: 'do $$ begin perform 1; end;\n', legal: false, core: true },
    { id: 'unterminated-tagged-dollar', sql: 'create function public.f() returns int language sql as $fn$ select 1 $f$;\n', legal: false },
    { id: 'unterminated-comment', sql: '/* never closed\nselect 1;\n', legal: false },
    { id: 'unterminated-e-string', sql: "select E'abc\\';\n", legal: false },
    { id: 'bom', sql: b([0xef, 0xbb, 0xbf], 'create table public.bom_t (id int);\n'), legal: true, core: true },
    {
      id: 'crlf',
      sql: 'create table public.crlf_t (\r\n  id int\r\n);\r\ninsert into public.crlf_t values (1);\r\n',
      legal: true,
      core: true,
    },
    { id: 'cr-only', sql: 'create table public.cr_t (id int);\rselect 1;\r', legal: true },
    { id: 'nul-between-statements', sql: b('select 1;\n', [0], '\nselect 2;\n'), legal: false, core: true },
    { id: 'nul-in-string', sql: b("select 'a", [0], "b';\n"), legal: false },
    { id: 'utf8-invalid-ff', sql: b("select '", [0xff, 0xfe], "';\n"), legal: false, core: true },
    { id: 'utf8-overlong', sql: b("select '", [0xc0, 0xaf], "';\n"), legal: false },
    { id: 'utf8-lone-continuation', sql: b('select 1; -- ', [0x80], '\n'), legal: false },
    { id: 'utf8-truncated-at-eof', sql: b("select 'x'; -- ", [0xe2, 0x82]), legal: false },
    { id: 'utf8-surrogate', sql: b("select '", [0xed, 0xa0, 0x80], "';\n"), legal: false },
    { id: 'latin1-text', sql: b("select 'caf", [0xe9], "';\n"), legal: false },
    { id: 'utf16le', sql: Buffer.from('\ufeffselect 1;\n', 'utf16le'), legal: false, core: true },
    { id: 'binary-junk-1', sql: junk(seed, 4096), legal: false, core: true },
    { id: 'binary-junk-2', sql: junk(seed + 1, 512), legal: false },
    {
      id: 'junk-after-statement',
      sql: Buffer.concat([Buffer.from('create table public.pre_junk (id int);\n'), junk(seed + 2, 256)]),
      legal: false,
    },
    { id: 'ten-mb-statement', sql: `select '${'x'.repeat(TEN_MB)}' as big;\n`, legal: true, heavy: true },
    { id: 'ten-mb-unterminated', sql: `select '${'x'.repeat(TEN_MB)};\n`, legal: false, heavy: true },
    { id: 'nested-parens-10000', sql: `select ${'('.repeat(10000)}1${')'.repeat(10000)};\n`, legal: false, core: true },
    { id: 'unbalanced-parens-10000', sql: `select ${'('.repeat(10000)}1;\n`, legal: false },
    { id: 'copy-from-stdin', sql: 'copy public.items (id, name, mood) from stdin;\n3\tc\tok\n\\.\n', legal: false, core: true },
    { id: 'copy-from-stdin-csv', sql: 'copy public.items (id, name, mood) from stdin with (format csv);\n3,c,ok\n\\.\n', legal: false },
    { id: 'psql-include', sql: '\\i other.sql\nselect 1;\n', legal: false },
    { id: 'psql-set', sql: '\\set ON_ERROR_STOP on\nselect 1;\n', legal: false },
    {
      id: 'runtime-error-after-insert',
      sql: "insert into public.items (id, name) values (3, 'c');\nselect 1 / 0;\n",
      legal: false,
      core: true,
      runtime: true,
    },
    { id: 'syntax-error-after-insert', sql: "insert into public.items (id, name) values (3, 'c');\nselec 1;\n", legal: false, core: true },
    { id: 'empty-file', sql: '', legal: true },
    { id: 'only-comments', sql: '-- nothing here\n/* nor here */\n', legal: true },
    { id: 'long-identifier', sql: `create table public.t_${'x'.repeat(100)} (id int);\n`, legal: true },
  ];
  return values;
}

function sqlCases(seed: number): Case[] {
  const cases: Case[] = [];
  const file = '002_hostile.sql';
  for (const v of sqlValues(seed)) {
    const fail = (names: string[]): Want => (v.legal ? { exit: 'ok' } : { exit: 'fail', names: [names] });
    cases.push({
      id: `sql/${v.id}/migration/db migrate`,
      cls: 'sql',
      db: true,
      files: { [`migrations/${file}`]: v.sql },
      argv: ['db', 'migrate'],
      want: fail([file]),
    });
    cases.push({
      id: `sql/${v.id}/migration/lint`,
      cls: 'sql',
      db: true,
      files: { [`migrations/${file}`]: v.sql },
      argv: ['lint'],
      // lint may report findings on legal SQL (exit 1); what matters there is a clean report
      want: (w) => (v.legal || (v.runtime && w.engine === 'postgres') ? { exit: 'clean' } : { exit: 'fail', names: [[file]] }),
    });
    if (v.heavy || !v.core) continue;
    const after = Buffer.concat([
      Buffer.from('create table public.pre_ok (id int);\n'),
      Buffer.isBuffer(v.sql) ? v.sql : Buffer.from(v.sql),
    ]);
    cases.push({
      id: `sql/${v.id}/after-a-statement/db migrate`,
      cls: 'sql',
      db: true,
      files: { [`migrations/${file}`]: after },
      argv: ['db', 'migrate'],
      // Keel drops a BOM at the start of a file only: after a statement it is part of the SQL, a syntax error for Postgres
      want: v.id === 'bom' ? { exit: 'fail', names: [[file]] } : fail([file]),
    });
    cases.push({
      id: `sql/${v.id}/policy/db migrate`,
      cls: 'sql',
      db: true,
      files: { 'policies/items_rls.sql': v.sql },
      argv: ['db', 'migrate'],
      want: fail(['items_rls.sql']),
    });
    cases.push({
      id: `sql/${v.id}/seed/db seed`,
      cls: 'sql',
      db: true,
      files: { 'seed/001_hostile.sql': v.sql },
      argv: ['db', 'seed'],
      want: fail(['001_hostile.sql']),
    });
    cases.push({
      id: `sql/${v.id}/migration/db reset`,
      cls: 'sql',
      db: true,
      files: { [`migrations/${file}`]: v.sql },
      argv: ['db', 'reset', '--yes', '--no-seed'],
      want: fail([file]),
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// names: migration file names

function nameCases(): Case[] {
  const sql = (i: number) => `create table public.name_case_${i} (id int);\n`;
  const legal = [
    '002_has space.sql',
    '002_café.sql',
    "002_it's.sql",
    '002_x;drop table items;--.sql',
    '002_$(touch pwned).sql',
    '002_`id`.sql',
    `002_${'a'.repeat(240)}.sql`,
    '99999999999999999999_big_version.sql',
    '002_UPPER_case.sql',
    '002_emoji_🙂.sql',
    '002_tab\tname.sql',
    '002_back\\slash.sql',
    '002_.sql',
    '0_zero.sql',
  ];
  const skipped = [
    'update_db.sql',
    '002.sql',
    '002_x.SQL',
    '002_x.sql.bak',
    'abc_002.sql',
    '002-dash.sql',
    'README.md',
    '002_newline\nname.sql',
  ];
  const cases: Case[] = [];
  let i = 0;
  for (const cmd of [
    ['db', 'migrate'],
    ['migration', 'list'],
  ]) {
    const c = cmd.join(' ');
    for (const name of legal) {
      i++;
      cases.push({
        id: `names/legal ${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…(${name.length})` : name)}/${c}`,
        cls: 'names',
        db: true,
        files: { [`migrations/${name}`]: sql(i) },
        argv: cmd,
        want: { exit: 'ok' },
      });
    }
    for (const name of skipped) {
      i++;
      // skipped as the Supabase CLI skips it, with a warning naming the file
      cases.push({
        id: `names/skipped ${JSON.stringify(name)}/${c}`,
        cls: 'names',
        db: true,
        files: { [`migrations/${name}`]: sql(i) },
        argv: cmd,
        want: { exit: 'ok', names: [name.includes('\n') ? ['newline', '002_newline'] : name] },
      });
    }
    i++;
    cases.push({
      id: `names/folder named 003_dir.sql/${c}`,
      cls: 'names',
      db: true,
      dirs: ['migrations/003_dir.sql'],
      argv: cmd,
      want: { exit: 'ok', names: ['003_dir.sql'] },
    });
    const dups: [string, string][] = [
      ['002_a.sql', '002_b.sql'],
      ['20250101000000_a.sql', '20250101000000_b.sql'],
      ['001_again.sql', '001_base.sql'],
    ];
    for (const [a, bb] of dups) {
      i++;
      // migrate refuses a duplicate version; migration list reports it (a warning naming both files)
      const want: Want = cmd[0] === 'db' ? { exit: 'fail', names: [a, bb] } : { exit: 'clean', names: [a, bb] };
      cases.push({
        id: `names/duplicate ${a} + ${bb}/${c}`,
        cls: 'names',
        db: true,
        files: { [`migrations/${a}`]: sql(i), [`migrations/${bb}`]: sql(i + 1000) },
        argv: cmd,
        want,
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// symlinks

function symlinkCases(): Case[] {
  const m = 'migrations';
  const list: Omit<Case, 'cls' | 'db'>[] = [
    {
      id: 'symlinks/migration → outside file',
      links: (w) => ({ [`${m}/002_outside.sql`]: path.join(w.outside, 'valid.sql') }),
      argv: ['db', 'migrate'],
      want: { exit: 'ok' },
    },
    {
      id: 'symlinks/migration → dangling',
      links: (w) => ({ [`${m}/002_dangling.sql`]: path.join(w.outside, 'missing.sql') }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['002_dangling.sql'] },
    },
    {
      id: 'symlinks/migration → itself (loop)',
      links: () => ({ [`${m}/002_loop.sql`]: '002_loop.sql' }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['002_loop.sql'] },
    },
    {
      id: 'symlinks/migration pair loop',
      links: () => ({ [`${m}/002_a.sql`]: '003_b.sql', [`${m}/003_b.sql`]: '002_a.sql' }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: [['002_a.sql', '003_b.sql']] },
    },
    {
      id: 'symlinks/migration → outside folder',
      links: (w) => ({ [`${m}/002_dir.sql`]: w.outside }),
      argv: ['db', 'migrate'],
      want: { exit: 'clean', names: ['002_dir.sql'] },
    },
    {
      id: 'symlinks/migration → /etc/hostname (not SQL)',
      links: () => ({ [`${m}/002_etc.sql`]: '/etc/hostname' }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['002_etc.sql'] },
    },
    {
      id: 'symlinks/migration → /dev/null',
      links: () => ({ [`${m}/002_null.sql`]: '/dev/null' }),
      argv: ['db', 'migrate'],
      want: { exit: 'clean' },
    },
    {
      id: 'symlinks/migration → outside bad SQL',
      links: (w) => ({ [`${m}/002_bad.sql`]: path.join(w.outside, 'bad.sql') }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['002_bad.sql'] },
    },
    {
      id: 'symlinks/seed → outside bad SQL',
      links: (w) => ({ 'seed/001_link.sql': path.join(w.outside, 'bad.sql') }),
      argv: ['db', 'seed'],
      want: { exit: 'fail', names: ['001_link.sql'] },
    },
    {
      id: 'symlinks/policy → dangling',
      links: (w) => ({ 'policies/items_rls.sql': path.join(w.outside, 'missing.sql') }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['items_rls.sql'] },
    },
    {
      id: 'symlinks/keel.toml → dangling',
      links: (w) => ({ 'keel.toml': path.join(w.outside, 'missing.toml') }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['keel.toml'] },
    },
    {
      id: 'symlinks/config.toml → dangling',
      links: (w) => ({ 'config.toml': path.join(w.outside, 'missing.toml') }),
      argv: ['db', 'seed'],
      want: { exit: 'fail', names: ['config.toml'] },
    },
    {
      id: 'symlinks/rls.yaml → dangling',
      links: (w) => ({ 'tests/rls.yaml': path.join(w.outside, 'missing.yaml') }),
      argv: ['test', 'rls'],
      want: { exit: 'fail', names: ['rls.yaml'] },
    },
    {
      id: 'symlinks/rls.yaml → outside folder',
      links: (w) => ({ 'tests/rls.yaml': w.outside }),
      argv: ['test', 'rls'],
      want: { exit: 'fail', names: ['rls.yaml'] },
    },
    {
      id: 'symlinks/keel.toml → outside folder',
      links: (w) => ({ 'keel.toml': w.outside }),
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['keel.toml'] },
    },
  ];
  return list.map((c) => ({ ...c, cls: 'symlinks', db: true }));
}

// ---------------------------------------------------------------------------------------------------------------
// keel.toml and config.toml

interface Setting {
  table: string | null;
  key: string;
  ok: (v: unknown) => boolean;
}

const isStrList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const SETTINGS: Setting[] = [
  { table: 'migrations', key: 'style', ok: (v) => v === 'sequential' || v === 'timestamp' },
  { table: 'migrations', key: 'order', ok: (v) => v === 'text' || v === 'numeric' },
  { table: 'seed', key: 'paths', ok: isStrList },
  { table: null, key: 'schemas', ok: (v) => isStrList(v) && (v as string[]).length > 0 },
  { table: 'types', key: 'on_migrate', ok: (v) => typeof v === 'boolean' },
  { table: 'types', key: 'output', ok: (v) => typeof v === 'string' && v.trim() !== '' },
  { table: 'secrets', key: 'key_env', ok: (v) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) },
  { table: 'lint', key: 'conventions', ok: (v) => typeof v === 'boolean' },
  { table: 'lint', key: 'fail_on', ok: (v) => v === 'error' || v === 'warn' || v === 'info' },
  { table: 'db', key: 'stand_ins', ok: (v) => typeof v === 'boolean' },
  { table: 'lint.rules', key: 'prefer-text-field', ok: (v) => ['error', 'warn', 'info', 'off'].includes(v as string) },
];

/** TOML literal → the value it parses to. */
const BAD_VALUES: [string, unknown][] = [
  ['1', 1],
  ['-1.5', -1.5],
  ['true', true],
  ['"nope"', 'nope'],
  ['""', ''],
  ['[]', []],
  ['[1, 2]', [1, 2]],
  ['{ a = 1 }', { a: 1 }],
  ['1979-05-27T07:32:00Z', new Date('1979-05-27T07:32:00Z')],
  ['"x; drop table items; --"', 'x; drop table items; --'],
];

function tomlCases(): Case[] {
  const cases: Case[] = [];
  for (const s of SETTINGS) {
    for (const [literal, value] of BAD_VALUES) {
      if (s.ok(value)) continue;
      const text = s.table ? `[${s.table}]\n${s.key} = ${literal}\n` : `${s.key} = ${literal}\n`;
      const full = s.table ? `${s.table}.${s.key}` : s.key;
      cases.push({
        id: `keel-toml/${full} = ${literal}`,
        cls: 'keel-toml',
        db: true,
        files: { 'keel.toml': text },
        argv: ['db', 'migrate'],
        want: { exit: 'fail', names: ['keel.toml', s.key] },
      });
    }
  }
  const syntax: [string, string | Buffer, string[]][] = [
    ['unknown key', '[migrations]\ncolour = "blue"\n', ['colour']],
    ['unknown table', '[nope]\nx = 1\n', ['nope']],
    ['table as value', 'migrations = 1\n', ['migrations']],
    ['unclosed table header', '[migrations\nstyle = "sequential"\n', []],
    ['unterminated string', '[migrations]\nstyle = "sequential\n', []],
    ['duplicate key', '[migrations]\nstyle = "sequential"\nstyle = "timestamp"\n', []],
    ['duplicate table', '[migrations]\nstyle = "sequential"\n[migrations]\norder = "text"\n', []],
    ['missing key', '= "x"\n', []],
    ['nul byte', b('[migrations]\nstyle = "seq', [0], 'uential"\n'), []],
    ['invalid utf-8', b('[migrations]\nstyle = "', [0xff, 0xfe], '"\n'), []],
    ['binary junk', junk(7, 300), []],
    ['unknown lint.ignore key', '[[lint.ignore]]\nrule = "x"\nwhy = "y"\n', ['why']],
    ['lint.ignore without rule', '[[lint.ignore]]\nreason = "y"\n', ['rule']],
  ];
  for (const [id, text, names] of syntax) {
    cases.push({
      id: `keel-toml/${id}`,
      cls: 'keel-toml',
      db: true,
      files: { 'keel.toml': text },
      argv: ['db', 'migrate'],
      want: { exit: 'fail', names: ['keel.toml', ...names] },
    });
  }
  cases.push({
    id: 'keel-toml/bom + valid',
    cls: 'keel-toml',
    db: true,
    files: { 'keel.toml': b([0xef, 0xbb, 0xbf], '[migrations]\norder = "text"\n') },
    argv: ['db', 'migrate'],
    want: { exit: 'ok' },
  });

  // supabase/config.toml (the Supabase CLI's file; Keel reads [db.seed])
  const cli: [string, string | Buffer, boolean][] = [
    ['unterminated string', '[db.seed]\nsql_paths = ["./seed.sql\n', false],
    ['unclosed header', '[db.seed\nsql_paths = ["./seed.sql"]\n', false],
    ['duplicate key', '[db]\nport = 1\nport = 2\n', false],
    ['sql_paths a number', '[db.seed]\nsql_paths = 5\n', false],
    ['sql_paths numbers', '[db.seed]\nsql_paths = [1, 2]\n', false],
    ['sql_paths a string', '[db.seed]\nsql_paths = "./seed.sql"\n', false],
    ['db.seed a number', '[db]\nseed = 1\n', false],
    ['enabled not boolean', '[db.seed]\nenabled = "yes"\n', false],
    ['nul byte', b('[db.seed]\nsql_paths = ["./se', [0], 'ed.sql"]\n'), false],
    ['invalid utf-8', b('project_id = "', [0xc0, 0xaf], '"\n'), false],
    ['binary junk', junk(11, 400), false],
    ['bom + valid', b([0xef, 0xbb, 0xbf], 'project_id = "x"\n[db.seed]\nenabled = true\n'), true],
    ['valid with other sections', 'project_id = "x"\n[api]\nport = 54321\n[auth]\nsite_url = "http://localhost"\n', true],
  ];
  for (const cmd of [['db', 'seed'], ['status']]) {
    for (const [id, text, legal] of cli) {
      cases.push({
        id: `config-toml/${id}/${cmd.join(' ')}`,
        cls: 'config-toml',
        db: true,
        files: { 'config.toml': text },
        argv: cmd,
        want: legal ? { exit: 'ok' } : { exit: 'fail', names: ['config.toml'] },
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// rls.yaml

function rlsCases(): Case[] {
  const cases: Case[] = [];
  const persona = (p: string) =>
    `personas:\n  anon: { role: anon }\n  owner: ${p}\n  service: { role: service_role }\ntables:\n  public.items:\n    select: { anon: none, owner: none, service: all }\n`;
  const table = (key: string, body: string) =>
    `personas:\n  anon: { role: anon }\n  owner: { role: authenticated, sub: 00000000-0000-0000-0000-000000000001 }\n  service: { role: service_role }\ntables:\n  ${key}:\n${body}`;
  const values = ['42', 'nope', '[1, 2]', '{ x: 1 }', '~'];
  const templates: [string, (v: string) => string][] = [
    ['personas', (v) => `personas: ${v}\ntables:\n  public.items:\n    select: { anon: none }\n`],
    ['personas.owner', (v) => persona(v)],
    ['personas.owner.role', (v) => persona(`{ role: ${v}, sub: 00000000-0000-0000-0000-000000000001 }`)],
    ['personas.owner.sub', (v) => persona(`{ role: authenticated, sub: ${v} }`)],
    ['personas.owner.claims', (v) => persona(`{ role: authenticated, sub: 00000000-0000-0000-0000-000000000001, claims: ${v} }`)],
    ['tables', (v) => `personas:\n  anon: { role: anon }\ntables: ${v}\n`],
    ['tables.public.items', (v) => `personas:\n  anon: { role: anon }\ntables:\n  public.items: ${v}\n`],
    ['select', (v) => table('public.items', `    select: ${v}\n`)],
    ['select.owner', (v) => table('public.items', `    select: { anon: none, owner: ${v} }\n`)],
    ['insert.row', (v) => table('public.items', `    insert:\n      row: ${v}\n      owner: deny\n`)],
    ['insert.owner', (v) => table('public.items', `    insert:\n      row: { id: 9, name: x }\n      owner: ${v}\n`)],
    ['update.where', (v) => table('public.items', `    update:\n      where: ${v}\n      set: { name: y }\n      owner: deny\n`)],
    ['delete.owner', (v) => table('public.items', `    delete:\n      where: { id: 1 }\n      owner: ${v}\n`)],
  ];
  for (const [where, make] of templates) {
    for (const v of values) {
      // `claims: ~` means no claims (legal)
      if (where === 'personas.owner.claims' && (v === '~' || v === '{ x: 1 }')) continue; // any mapping is legal claims
      // a count is a legal cell (a wrong one fails the run after the reset, as it should)
      if (where === 'select.owner' && v === '42') continue;
      cases.push({
        id: `rls-spec/${where}: ${v}`,
        cls: 'rls-spec',
        db: true,
        files: { 'tests/rls.yaml': make(v) },
        argv: ['test', 'rls'],
        want: { exit: 'fail', names: ['rls.yaml'] },
      });
    }
  }
  const others: [string, string | Buffer, string[]][] = [
    ['unqualified table', table('items', '    select: { anon: none }\n'), ['items']],
    ['unknown table', table('public.nope', '    select: { anon: none }\n'), ['public.nope']],
    ['three-part table', table('a.b.c', '    select: { anon: none }\n'), ['a.b.c']],
    ['unknown persona', table('public.items', '    select: { ghost: none }\n'), ['ghost']],
    ['unknown operation', table('public.items', '    truncate: { anon: deny }\n'), ['truncate']],
    [
      'unknown column in row',
      table('public.items', '    insert:\n      row: { no_such_column: 1 }\n      owner: deny\n'),
      ['no_such_column'],
    ],
    ['tab indentation', 'personas:\n\tanon: { role: anon }\n', []],
    ['unclosed flow map', 'personas: { anon: { role: anon }\n', []],
    ['duplicate key', 'personas:\n  anon: { role: anon }\n  anon: { role: anon }\ntables: {}\n', []],
    ['empty file', '', []],
    ['only a comment', '# nothing\n', []],
    ['a list at the top', '- 1\n- 2\n', []],
    ['nul byte', b('personas:\n  anon: { role: an', [0], 'on }\n'), []],
    ['invalid utf-8', b('personas:\n  anon: { role: "', [0xff], '" }\n'), []],
    ['binary junk', junk(13, 500), []],
    [
      'alias bomb',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\npersonas: *f\n`,
      [],
    ],
  ];
  for (const [id, text, names] of others) {
    cases.push({
      id: `rls-spec/${id}`,
      cls: 'rls-spec',
      db: true,
      files: { 'tests/rls.yaml': text },
      argv: ['test', 'rls'],
      want: { exit: 'fail', names: [['rls.yaml'], ...names] },
    });
  }
  cases.push({
    id: 'rls-spec/--spec missing file',
    cls: 'rls-spec',
    db: true,
    files: { 'tests/rls.yaml': GOOD_RLS },
    argv: ['test', 'rls', '--spec', 'no/such/spec.yaml'],
    want: { exit: 'fail', names: ['spec.yaml'] },
  });
  cases.push({
    id: 'rls-spec/valid spec (control)',
    cls: 'rls-spec',
    db: true,
    files: { 'tests/rls.yaml': GOOD_RLS },
    argv: ['test', 'rls'],
    want: { exit: 'ok' },
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// url

interface BadUrl {
  id: string;
  url: (w: Where) => string;
  secret: string;
  names: string[];
  server?: boolean;
  /** Legal: the server accepts it (trust auth ignores the password). */
  legal?: boolean;
}

function serverAddr(w: Where): string {
  const u = new URL(w.pgAdminUrl!);
  return `${u.hostname}:${u.port}`;
}

const BAD_URLS: BadUrl[] = [
  { id: 'no scheme, with password', url: () => 'keel:pw-nosch3me@localhost:5432/db', secret: 'pw-nosch3me', names: ['postgres'] },
  { id: 'mysql://', url: () => 'mysql://root:pw-mysq1@127.0.0.1:3306/db', secret: 'pw-mysq1', names: ['mysql'] },
  { id: 'file://', url: () => 'file:///etc/passwd', secret: '', names: ['file'] },
  { id: 'empty', url: () => '', secret: '', names: [] },
  { id: 'bad percent-encoding', url: () => 'postgres://u%zz:pw-perc3nt@127.0.0.1:5432/db', secret: 'pw-perc3nt', names: ['%zz'] },
  { id: 'bad percent-encoding in password', url: () => 'postgres://u:pw-%zz-s3cret@127.0.0.1:5432/db', secret: 's3cret', names: [] },
  { id: 'unreachable 127.0.0.1:1', url: () => 'postgres://u:pw-unr3ach@127.0.0.1:1/db', secret: 'pw-unr3ach', names: ['127.0.0.1:1'] },
  { id: 'port out of range', url: () => 'postgres://u:pw-p0rt@127.0.0.1:99999/db', secret: 'pw-p0rt', names: ['99999'] },
  { id: 'bad IPv6 host', url: () => 'postgresql://u:pw-ipv6x@[::1/db', secret: 'pw-ipv6x', names: [] },
  { id: 'http://', url: () => 'http://u:pw-h77p@example.com/db', secret: 'pw-h77p', names: ['http'] },
  { id: 'leading space', url: () => ' postgres://u:pw-spac3@127.0.0.1:1/db', secret: 'pw-spac3', names: ['127.0.0.1:1'] },
  {
    id: 'bogus sslmode',
    url: (w) => `postgres://postgres:pw-ss1m0de@${serverAddr(w)}/postgres?sslmode=bogus`,
    secret: 'pw-ss1m0de',
    names: ['sslmode'],
    server: true,
  },
  {
    id: 'unknown role, wrong password',
    url: (w) => `postgres://nosuchrole:pw-wr0ng1@${serverAddr(w)}/postgres`,
    secret: 'pw-wr0ng1',
    names: ['nosuchrole'],
    server: true,
  },
  {
    id: 'unknown database',
    url: (w) => `postgres://postgres:pw-wr0ng2@${serverAddr(w)}/nosuchdb_rel`,
    secret: 'pw-wr0ng2',
    names: ['nosuchdb_rel'],
    server: true,
  },
  {
    id: 'wrong password (server trusts loopback)',
    url: (w) => `postgres://postgres:pw-wr0ng3@${serverAddr(w)}/postgres`,
    secret: 'pw-wr0ng3',
    names: [],
    server: true,
    legal: true,
  },
];

function urlCases(): Case[] {
  const cases: Case[] = [];
  const commands: string[][] = [
    ['status'],
    ['db', 'ping'],
    ['db', 'migrate'],
    ['db', 'validate'],
    ['gen', 'types', '--output', '-'],
    ['lint', '--db-url'],
    ['db', 'backup'],
    ['db', 'reset', '--yes'],
    ['test', 'rls'],
  ];
  for (const u of BAD_URLS) {
    for (const cmd of commands) {
      // a legal URL only for the read-only commands (it is the server's maintenance database)
      if (u.legal && !['status', 'db ping'].includes(cmd.join(' '))) continue;
      const label = cmd.filter((a) => a !== '--db-url' && a !== '--output' && a !== '-').join(' ');
      const argv = (w: Where) =>
        cmd[0] === 'lint'
          ? ['lint', '--db-url', u.url(w)]
          : cmd[0] === 'db' && cmd[1] === 'backup'
            ? [...cmd, '--output', path.join(w.outside, 'bk'), '--db-url', u.url(w)]
            : [...cmd, '--db-url', u.url(w)];
      const want = (w: Where): Want => ({
        exit: u.legal ? 'ok' : 'fail',
        names: u.legal ? [] : u.names.length ? [u.names] : [['url', 'database', serverAddr0(w)]],
        secrets: [u.secret],
      });
      cases.push({
        id: `url/${u.id}/${label}`,
        cls: 'url',
        db: false,
        needsServer: u.server,
        files: { 'tests/rls.yaml': GOOD_RLS },
        argv,
        target: false,
        want,
      });
    }
    for (const cmd of [['status'], ['db', 'migrate']]) {
      if (u.legal && cmd[0] !== 'status') continue;
      // an empty DATABASE_URL is no DATABASE_URL (the embedded database), as with most tools
      const legal = u.legal || u.id === 'empty';
      const want = (w: Where): Want => ({
        exit: legal ? 'ok' : 'fail',
        names: legal ? [] : u.names.length ? [u.names] : [['url', 'database', serverAddr0(w)]],
        secrets: [u.secret],
      });
      cases.push({
        id: `url/${u.id}/DATABASE_URL ${cmd.join(' ')}`,
        cls: 'url',
        db: false,
        needsServer: u.server,
        argv: cmd,
        target: false,
        env: (w) => ({ DATABASE_URL: u.url(w) }),
        want,
      });
    }
  }
  return cases;
}

const serverAddr0 = (w: Where) => (w.pgAdminUrl ? serverAddr(w) : 'url');

// ---------------------------------------------------------------------------------------------------------------
// flags

function flagCases(): Case[] {
  const commands: string[][] = [
    ['init'],
    ['status'],
    ['db', 'migrate'],
    ['db', 'push'],
    ['db', 'reset', '--yes'],
    ['db', 'seed'],
    ['db', 'ping'],
    ['db', 'validate'],
    ['db', 'backup'],
    ['db', 'backup', 'prune'],
    ['db', 'backup', 'verify', 'x'],
    ['db', 'restore', 'x'],
    ['migration', 'list'],
    ['migration', 'new', 'x'],
    ['migration', 'repair', '001', '--status', 'applied'],
    ['migration', 'up'],
    ['gen', 'types'],
    ['lint'],
    ['test', 'rls'],
    ['test', 'db'],
  ];
  const cases: Case[] = [];
  for (const cmd of commands) {
    for (const flag of ['--nope', '--db-urll=postgres://x', '-z']) {
      const shown = flag.split('=')[0]!;
      cases.push({
        id: `flags/${cmd.filter((a) => !a.startsWith('--')).join(' ')} ${flag}`,
        cls: 'flags',
        db: false,
        argv: [...cmd, flag, '--memory'],
        want: { exit: 'usage', names: [shown] },
      });
    }
    cases.push({
      id: `flags/${cmd.filter((a) => !a.startsWith('--')).join(' ')} --nope --json`,
      cls: 'flags',
      db: false,
      argv: [...cmd, '--nope', '--json', '--memory'],
      want: { exit: 'usage', names: ['--nope', '"ok": false'] },
    });
  }
  const bad: [string[], Want][] = [
    [['db', 'migrate', '--to', 'abc'], { exit: 'fail', names: ['abc'] }],
    [['db', 'migrate', '--to', ''], { exit: 'fail', names: ['--to'] }],
    [['db', 'migrate', '--to'], { exit: 'usage', names: ['--to'] }],
    [['db', 'migrate', '--to', '999'], { exit: 'fail', names: ['999'] }],
    [['lint', '--fail-on', 'bogus'], { exit: 'usage', names: ['bogus'] }],
    [['lint', '--format', 'xml'], { exit: 'usage', names: ['xml'] }],
    [['lint', '--format', 'sarif', '--fail-on', 'bogus'], { exit: 'usage', names: ['bogus'] }],
    [['lint', '--rule', 'no_such_rule'], { exit: 'fail', names: ['no_such_rule'] }],
    [['lint', '--since', 'abc'], { exit: 'fail', names: ['abc'] }],
    [['migration', 'new', 'x', '--style', 'weird'], { exit: 'usage', names: ['weird'] }],
    [['migration', 'new', ''], { exit: 'fail', names: ['name'] }],
    [['migration', 'new', '../../escape'], { exit: 'fail', names: ['escape'] }],
    [['migration', 'new', 'a/b'], { exit: 'fail', names: ['a/b'] }],
    [['migration', 'new', 'x'.repeat(300)], { exit: 'fail', names: [['long', 'name']] }],
    [['migration', 'repair', 'abc', '--status', 'applied'], { exit: 'fail', names: ['abc'] }],
    [['migration', 'repair', '001', '--status', 'maybe'], { exit: 'usage', names: ['maybe'] }],
    [['migration', 'repair', '001'], { exit: 'usage', names: ['--status'] }],
    [['db', 'backup', 'prune', '--keep', '-1'], { exit: 'usage', names: ['-1'] }],
    [['db', 'backup', 'prune', '--keep', '1.5'], { exit: 'usage', names: ['1.5'] }],
    [['db', 'backup', 'prune', '--keep', 'abc'], { exit: 'usage', names: ['abc'] }],
    [['db', 'backup', 'prune', '--older-than', 'forever'], { exit: 'fail', names: ['forever'] }],
    [['db', 'backup', 'prune', '--older-than', '-3d'], { exit: 'fail', names: ['-3d'] }],
    [['test', 'db', '--timeout', '0'], { exit: 'usage', names: ['--timeout'] }],
    [['test', 'db', '--timeout', 'abc'], { exit: 'usage', names: ['abc'] }],
    [['test', 'db', '--timeout', '-5'], { exit: 'usage', names: ['-5'] }],
    [['test', 'db', 'no/such/suite.sql'], { exit: 'fail', names: ['suite.sql'] }],
    [['db', 'validate', '--only', 'bogus'], { exit: 'fail', names: ['bogus'] }],
    [['db', 'validate', '--schema', ''], { exit: 'fail', names: ['schema'] }],
    [['db', 'validate', '--schema', 'no_such_schema'], { exit: 'fail', names: ['no_such_schema'] }],
    [['gen', 'types', '--schema', 'no_such_schema'], { exit: 'fail', names: ['no_such_schema'] }],
    [['gen', 'types', '--output', ''], { exit: 'fail', names: ['--output'] }],
    [['db', 'restore', '/nonexistent/backup.keel'], { exit: 'fail', names: ['/nonexistent/backup.keel'] }],
    [['db', 'backup', 'verify', '/nonexistent/backup.keel'], { exit: 'fail', names: ['/nonexistent/backup.keel'] }],
    [['db', 'restore', 'x', '--into', 'y'], { exit: 'fail', names: [['--into', '--table', 'backup folder']] }],
    [['test', 'rls', '--spec', '/nonexistent/spec.yaml'], { exit: 'fail', names: ['spec.yaml'] }],
    [['--cwd', '/nonexistent/project', 'status'], { exit: 'fail', names: ['/nonexistent/project'] }],
    [['nosuchcommand'], { exit: 'usage', names: ['nosuchcommand'] }],
    [['db', 'nosuch'], { exit: 'usage', names: ['nosuch'] }],
    [['gen', 'typez'], { exit: 'usage', names: ['typez'] }],
  ];
  for (const [argv, want] of bad) {
    const id = argv.map((a) => (a === '' ? "''" : a.length > 30 ? `${a.slice(0, 10)}…(${a.length})` : a)).join(' ');
    cases.push({ id: `flags/${id}`, cls: 'flags', db: false, argv: [...argv, '--memory'], want });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// identifiers: legal odd names in every object kind, through the whole pipeline

const IDENTS = [
  "it's",
  'has space',
  'with"quote',
  'café',
  '日本語',
  'select',
  '__proto__',
  'constructor',
  'x; drop table y; --',
  'Upper Case',
  '$1',
  'a.b',
  'emoji 🙂',
  '*/ end',
  'back\\slash',
  'q'.repeat(63),
];
const OWNER = '00000000-0000-0000-0000-000000000001';

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function identFiles(v: string): Record<string, string> {
  const q = quoteIdent(v);
  // the enum in public (a table's row type takes its name in its own schema), the table in the odd schema, and a
  // second table in public, whose name starts with t_ (cut so it stays within 63 bytes)
  const pubName = `t_${Buffer.from(v).length > 60 ? v.slice(0, 20) : v}`;
  const p = quoteIdent(pubName);
  const sql = `create schema ${q};
grant usage on schema ${q} to anon, authenticated, service_role;
create type public.${q} as enum (${lit(v)}, 'plain');
create table ${q}.${q} (id int primary key, ${q} public.${q} not null default ${lit(v)}, owner_id uuid);
create table public.${p} (id int primary key, ${q} text, owner_id uuid);
insert into ${q}.${q} (id, ${q}, owner_id) values (1, ${lit(v)}, '${OWNER}'), (2, 'plain', null);
insert into public.${p} (id, ${q}, owner_id) values (1, ${lit(v)}, '${OWNER}');
alter table ${q}.${q} enable row level security;
alter table public.${p} enable row level security;
create policy ${q} on ${q}.${q} for select to authenticated using (owner_id = (select auth.uid()));
create policy ${q} on public.${p} for select to authenticated using (owner_id = (select auth.uid()));
grant select on ${q}.${q}, public.${p} to authenticated, service_role;
comment on table public.${p} is ${lit(`${v} */ comment`)};
comment on column ${q}.${q}.${q} is ${lit(`*/ ${v}`)};
`;
  const spec = `personas:
  anon: { role: anon }
  owner: { role: authenticated, sub: ${OWNER} }
  service: { role: service_role }
tables:
  ${JSON.stringify(tableName('public', pubName))}:
    select: { anon: none, owner: 1, service: all }
  ${JSON.stringify(tableName(v, v))}:
    select: { anon: none, owner: 1, service: all }
  public.items:
    select: { anon: none, owner: none, service: all }
`;
  // every command reads the odd schema too (types, lint's exposure rules, validate)
  const config = `schemas = ["public", ${JSON.stringify(v)}]\n`;
  return { 'migrations/002_odd_identifiers.sql': sql, 'tests/rls.yaml': spec, 'keel.toml': config };
}

// ---------------------------------------------------------------------------------------------------------------
// Workspaces: one base project per engine, built once

interface Workspace extends Where {
  engine: EngineName | 'none';
  /** pglite: the saved .keel folder of the base database. */
  baseKeel?: string;
  dataDir: string;
  baseFingerprint?: string;
  goodHashes: Set<string>;
  /** postgres: the template database and the case database. */
  template?: string;
  db?: { name: string; url: string };
  server?: ScratchServer;
}

function cleanProject(root: string): void {
  fs.mkdirSync(path.join(root, 'supabase'), { recursive: true });
  for (const e of fs.readdirSync(root)) if (e !== 'supabase') fs.rmSync(path.join(root, e), { recursive: true, force: true });
  for (const e of fs.readdirSync(path.join(root, 'supabase')))
    if (e !== '.keel') fs.rmSync(path.join(root, 'supabase', e), { recursive: true, force: true });
}

function writeProject(w: Where, c: Pick<Case, 'files' | 'noBase' | 'links' | 'dirs'>): void {
  cleanProject(w.root);
  const sb = path.join(w.root, 'supabase');
  fs.mkdirSync(path.join(sb, 'migrations'), { recursive: true });
  const write = (rel: string, data: string | Buffer) => {
    const file = path.join(sb, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  };
  if (!c.noBase) for (const [rel, text] of Object.entries(BASE_FILES)) write(rel, text);
  for (const [rel, data] of Object.entries(c.files ?? {})) write(rel, data);
  for (const d of c.dirs ?? []) fs.mkdirSync(path.join(sb, d), { recursive: true });
  for (const [rel, target] of Object.entries(c.links?.(w) ?? {})) {
    const link = path.join(sb, rel);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
  }
}

function makeOutside(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'valid.sql'), 'create table public.from_outside (id int);\n');
  fs.writeFileSync(path.join(dir, 'bad.sql'), "select 'never closed;\n");
}

async function pgliteWorkspace(ctx: CheckContext): Promise<Workspace> {
  const base = path.join(ctx.tmpRoot, 'hostile-pglite');
  const w: Workspace = {
    engine: 'pglite',
    root: path.join(base, 'ws'),
    outside: path.join(base, 'outside'),
    pgAdminUrl: ctx.pgAdminUrl,
    dataDir: path.join(base, 'ws', 'supabase', '.keel', 'pglite'),
    goodHashes: new Set(),
  };
  makeOutside(w.outside);
  writeProject(w, {});
  const r = await runMain(['db', 'migrate', '--cwd', w.root]);
  if (r.code !== 0) throw new Error(`the base project does not migrate on PGlite:\n${describe(r)}`);
  w.baseFingerprint = await dataDirFingerprint(w.dataDir); // also sets hint bits, so the saved copy stays as it is read
  w.baseKeel = path.join(base, 'base-keel');
  fs.cpSync(path.join(w.root, 'supabase', '.keel'), w.baseKeel, { recursive: true });
  w.goodHashes.add(dataDirFilesHash(w.dataDir));
  return w;
}

async function postgresWorkspace(ctx: CheckContext): Promise<Workspace> {
  const base = path.join(ctx.tmpRoot, 'hostile-postgres');
  const server = new ScratchServer(ctx.pgAdminUrl!, 'rel_hostile');
  const w: Workspace = {
    engine: 'postgres',
    root: path.join(base, 'ws'),
    outside: path.join(base, 'outside'),
    pgAdminUrl: ctx.pgAdminUrl,
    dataDir: '',
    goodHashes: new Set(),
    server,
  };
  makeOutside(w.outside);
  writeProject(w, {});
  const tpl = await server.create('tpl');
  const r = await runMain(['db', 'migrate', '--cwd', w.root, '--db-url', tpl.url]);
  if (r.code !== 0) throw new Error(`the base project does not migrate on Postgres:\n${describe(r)}`);
  w.baseFingerprint = await urlFingerprint(tpl.url);
  w.template = tpl.name;
  w.db = await server.create('case', tpl.name);
  return w;
}

function noneWorkspace(ctx: CheckContext): Workspace {
  const base = path.join(ctx.tmpRoot, 'hostile-none');
  const w: Workspace = {
    engine: 'none',
    root: path.join(base, 'ws'),
    outside: path.join(base, 'outside'),
    pgAdminUrl: ctx.pgAdminUrl,
    dataDir: path.join(base, 'ws', 'supabase', '.keel', 'pglite'),
    goodHashes: new Set(),
  };
  makeOutside(w.outside);
  return w;
}

/** Whether the workspace database still is the base database. */
async function unchanged(w: Workspace): Promise<boolean> {
  if (w.engine === 'pglite') {
    if (!fs.existsSync(w.dataDir)) return false;
    const h = dataDirFilesHash(w.dataDir);
    if (w.goodHashes.has(h)) return true;
    const same = (await dataDirFingerprint(w.dataDir)) === w.baseFingerprint;
    if (same) w.goodHashes.add(dataDirFilesHash(w.dataDir));
    return same;
  }
  if (w.engine === 'postgres') return (await urlFingerprint(w.db!.url)) === w.baseFingerprint;
  return true;
}

async function restoreBase(w: Workspace): Promise<void> {
  if (w.engine === 'pglite') {
    const keel = path.join(w.root, 'supabase', '.keel');
    fs.rmSync(keel, { recursive: true, force: true });
    fs.cpSync(w.baseKeel!, keel, { recursive: true });
  } else if (w.engine === 'postgres') {
    await w.server!.drop(w.db!.name);
    w.db = await w.server!.create('case', w.template);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running

class Tally {
  trials = 0;
  worstMs = 0;
  failures: CheckFailure[] = [];
  constructor(
    readonly engine: EngineName | 'none',
    private seed: number,
  ) {}
  fail(id: string, why: string): void {
    this.failures.push({ case: id, seed: this.seed, why });
  }
  result(): CheckResult {
    return { check: NAME, engine: this.engine, trials: this.trials, failures: this.failures, worstMs: this.worstMs };
  }
}

function judgeWant(run: CliRun, want: Want): string[] {
  if (want.exit !== 'clean') return judge(run, want as Expectation);
  const problems = judge(run, { ...want, exit: 'fail' }).filter((p) => !p.startsWith('exit '));
  if (run.code !== 0 && run.code !== 1) problems.unshift(`exit ${run.code}, expected 0 or 1`);
  return problems;
}

async function runCase(w: Workspace, c: Case, t: Tally): Promise<void> {
  t.trials++;
  let run: CliRun | undefined;
  try {
    writeProject(w, c);
    const own = typeof c.argv === 'function' ? c.argv(w) : c.argv;
    const argv = own.includes('--cwd') ? [...own] : [...own, '--cwd', w.root];
    if (w.engine === 'postgres' && (c.target ?? c.db)) argv.push('--db-url', w.db!.url);
    run = await runMain(argv, c.env?.(w));
    t.worstMs = Math.max(t.worstMs, run.ms);
    const want = typeof c.want === 'function' ? c.want(w) : c.want;
    const problems = judgeWant(run, want);
    if (c.db) {
      if (run.code !== 0) {
        if (!(await unchanged(w))) {
          problems.push('the database changed although the command failed');
          await restoreBase(w);
        }
      } else {
        await restoreBase(w);
      }
    }
    if (problems.length > 0) t.fail(`${c.id}`, `${problems.join('; ')}\n${describe(run)}`);
  } catch (err) {
    t.fail(
      c.id,
      `the harness failed on this case: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${run ? `\n${describe(run)}` : ''}`,
    );
    await restoreBase(w).catch(() => undefined);
  }
}

interface TypesOutput {
  id: string;
  dir: string;
}

/** One identifier through migrate, validate, lint, gen types, backup + restore, test rls. */
async function runIdentifier(
  w: Workspace,
  v: string,
  t: Tally,
  restoreTarget: () => Promise<{ argv: string[]; fingerprint: () => Promise<string>; done: () => Promise<void> }>,
  types: TypesOutput[],
): Promise<void> {
  const tag = `identifiers/${JSON.stringify(v.length > 20 ? `${v.slice(0, 8)}…(${v.length})` : v)}`;
  writeProject(w, { files: identFiles(v) });
  const url = w.engine === 'postgres' ? ['--db-url', w.db!.url] : [];
  const step = async (label: string, argv: string[], want: Want): Promise<CliRun | undefined> => {
    t.trials++;
    try {
      const run = await runMain([...argv, '--cwd', w.root, ...url]);
      t.worstMs = Math.max(t.worstMs, run.ms);
      const problems = judgeWant(run, { ...want, names: want.names });
      if (problems.length > 0) t.fail(`${tag}/${label}`, `${problems.join('; ')}\n${describe(run)}`);
      return run;
    } catch (err) {
      t.fail(`${tag}/${label}`, `the harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  };
  try {
    const migrated = await step('db migrate', ['db', 'migrate'], { exit: 'ok' });
    if (migrated?.code !== 0) return;
    await step('db validate', ['db', 'validate'], { exit: 'ok' });
    await step('lint', w.engine === 'postgres' ? ['lint'] : ['lint', '--database'], { exit: 'clean' });
    const typesDir = path.join(w.outside, 'types', `${w.engine}-${types.length}`);
    const gen = await step('gen types', ['gen', 'types', '--output', typesDir], { exit: 'ok' });
    if (gen?.code === 0) types.push({ id: `${tag}/gen types [${w.engine}]`, dir: typesDir });
    const bk = path.join(w.outside, `backup-${Date.now()}`);
    const backup = await step('db backup', ['db', 'backup', '--output', bk], { exit: 'ok' });
    if (backup?.code === 0) {
      t.trials++;
      const target = await restoreTarget();
      try {
        const run = await runMain([...target.argv, 'db', 'restore', bk]);
        t.worstMs = Math.max(t.worstMs, run.ms);
        const problems = judgeWant(run, { exit: 'ok' });
        if (run.code === 0) {
          const before = w.engine === 'postgres' ? await urlFingerprint(w.db!.url) : await dataDirFingerprint(w.dataDir);
          const after = await target.fingerprint();
          if (before !== after) problems.push('the restored database differs from the one backed up (catalog, row counts or history)');
        }
        if (problems.length > 0) t.fail(`${tag}/db backup + restore`, `${problems.join('; ')}\n${describe(run)}`);
      } finally {
        await target.done();
      }
    }
    await step('test rls', ['test', 'rls'], { exit: 'ok' });
  } finally {
    await restoreBase(w).catch(() => undefined);
  }
}

/** Every gen types output in one TypeScript program (strict): a diagnostic fails the case whose folder it is in. */
function compileTypes(outputs: TypesOutput[], t: Tally): void {
  if (outputs.length === 0) return;
  t.trials++;
  const started = Date.now();
  const files = outputs.flatMap((o) =>
    fs
      .readdirSync(o.dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(o.dir, f)),
  );
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    baseUrl: REPO,
    paths: { zod: [path.join(REPO, 'node_modules/zod')], 'zod/*': [path.join(REPO, 'node_modules/zod/*')] },
  });
  const diags = ts.getPreEmitDiagnostics(program);
  const byCase = new Map<string, string[]>();
  for (const d of diags) {
    const file = d.file?.fileName ?? '';
    const owner = outputs.find((o) => file.startsWith(o.dir + path.sep));
    const where =
      d.file && d.start !== undefined
        ? `${path.basename(file)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : file || 'program';
    const key = owner?.id ?? 'identifiers/tsc (no case)';
    const list = byCase.get(key) ?? [];
    list.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`);
    byCase.set(key, list);
  }
  for (const [id, list] of byCase) t.fail(`${id} (tsc)`, `${list.length} TypeScript error(s):\n${list.slice(0, 8).join('\n')}`);
  t.worstMs = Math.max(t.worstMs, Date.now() - started);
}

// ---------------------------------------------------------------------------------------------------------------

/** Every generated case (ids unique), in a fixed order. */
export function generateCases(seed: number): Case[] {
  const cases = [...sqlCases(seed), ...nameCases(), ...symlinkCases(), ...tomlCases(), ...rlsCases(), ...urlCases(), ...flagCases()];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    seen.add(c.id);
  }
  return cases;
}

/** Case counts per class (identifier cases: values × pipeline steps). */
export function caseCounts(seed = 1): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of generateCases(seed)) counts[c.cls] = (counts[c.cls] ?? 0) + 1;
  counts.identifiers = IDENTS.length * 7;
  return counts;
}

/**
 * The bounded sample: every Nth case of each class (a fixed choice, whatever the seed), and one identifier through
 * the pipeline on one engine (Postgres when there is a server: it is the cheaper one).
 */
const BOUNDED_EVERY = 64;

const check: Check = {
  name: NAME,
  async run(ctx: CheckContext): Promise<CheckResult[]> {
    let cases = generateCases(ctx.seed);
    let idents = IDENTS;
    if (ctx.bounded) {
      const byClass = new Map<Cls, Case[]>();
      for (const c of cases) byClass.set(c.cls, [...(byClass.get(c.cls) ?? []), c]);
      cases = [...byClass.values()].flatMap((list) => list.filter((_, i) => i % BOUNDED_EVERY === 0));
      idents = ['x; drop table y; --'];
    }
    // a sample of the full corpus: every Nth case of each class and every Nth identifier (a quicker full-mode run)
    const every = Number(process.env.KEEL_RELIABILITY_EVERY ?? 1);
    if (!ctx.bounded && every > 1) {
      const byClass = new Map<Cls, Case[]>();
      for (const c of cases) byClass.set(c.cls, [...(byClass.get(c.cls) ?? []), c]);
      cases = [...byClass.values()].flatMap((list) => list.filter((_, i) => i % every === 0));
      idents = idents.filter((_, i) => i % every === 0);
    }
    if (process.env.KEEL_RELIABILITY_FILTER) {
      const re = new RegExp(process.env.KEEL_RELIABILITY_FILTER);
      cases = cases.filter((c) => re.test(c.id));
      idents = idents.filter((v) => re.test(`identifiers/${v}`));
    }
    ctx.log(`${NAME}: ${cases.length} cases (${cases.filter((c) => c.db).length} on each engine), ${idents.length} identifiers`);
    const results: CheckResult[] = [];
    const types: TypesOutput[] = [];

    // cases that touch no database: once
    const none = noneWorkspace(ctx);
    const tn = new Tally('none', ctx.seed);
    for (const c of cases.filter((x) => !x.db)) {
      if (c.needsServer && !ctx.pgAdminUrl) continue;
      await runCase(none, c, tn);
    }
    results.push(tn.result());
    ctx.log(`${NAME}: engine none done (${tn.trials} trials, ${tn.failures.length} failures)`);

    for (const engine of ctx.engines) {
      const t = new Tally(engine, ctx.seed);
      let w: Workspace;
      try {
        w = engine === 'pglite' ? await pgliteWorkspace(ctx) : await postgresWorkspace(ctx);
      } catch (err) {
        t.trials++;
        t.fail('base project', err instanceof Error ? err.message : String(err));
        results.push(t.result());
        continue;
      }
      try {
        const dbCases = cases.filter((x) => x.db);
        let n = 0;
        for (const c of dbCases) {
          await runCase(w, c, t);
          if (++n % 25 === 0) ctx.log(`${NAME} [${engine}]: ${n}/${dbCases.length} cases, ${t.failures.length} failures`);
        }
        const second = path.join(ctx.tmpRoot, `hostile-${engine}`, 'restore-target');
        const restoreTarget = async () => {
          if (engine === 'postgres') {
            const db = await w.server!.create('restore');
            return {
              argv: ['--cwd', w.outside, '--db-url', db.url],
              fingerprint: () => urlFingerprint(db.url),
              done: () => w.server!.drop(db.name),
            };
          }
          fs.rmSync(second, { recursive: true, force: true });
          fs.mkdirSync(path.join(second, 'supabase', 'migrations'), { recursive: true });
          const dataDir = path.join(second, 'supabase', '.keel', 'pglite');
          return {
            argv: ['--cwd', second],
            fingerprint: () => dataDirFingerprint(dataDir),
            done: async () => fs.rmSync(second, { recursive: true, force: true }),
          };
        };
        const identsHere = ctx.bounded && engine !== ctx.engines.at(-1) ? [] : idents;
        for (const v of identsHere) {
          await runIdentifier(w, v, t, restoreTarget, types);
          ctx.log(`${NAME} [${engine}]: identifier ${JSON.stringify(v)} done, ${t.failures.length} failures`);
        }
      } finally {
        await w.server?.dropAll();
      }
      results.push(t.result());
    }

    const tt = new Tally('none', ctx.seed);
    compileTypes(types, tt);
    if (tt.trials > 0) {
      const r = results.find((x) => x.engine === 'none')!;
      r.trials += tt.trials;
      r.failures.push(...tt.failures);
      r.worstMs = Math.max(r.worstMs, tt.worstMs);
    }
    return results;
  },
};

export default check;
