/**
 * `keel gen types` on hostile but legal Postgres identifiers, on both engines: names with quotes, backslashes, spaces,
 * newlines, U+2028, comment ends (star slash), `${`, backticks, unicode, reserved words, leading digits, names that camelCase or
 * PascalCase onto each other, and names of Object.prototype members (`__proto__`, `constructor`, `toString`) — in
 * schemas, tables, columns, enums, enum values, domains, composite types, views, functions, constraints.
 *
 * The three generated files must compile together under strict TypeScript (compiler API) with zero diagnostics;
 * transpiled and imported, the Zod schemas and the row mappers must round-trip real rows (read as supabase-js
 * receives them, `to_jsonb(row)`) with `__proto__` as an own property and Object.prototype untouched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { genTypes, openEngine, reset } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';

const REPO = path.resolve(__dirname, '../..');

/** SQL identifier and literal quoting for the migration below. */
const id = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (value: string) => `'${value.replace(/'/g, "''")}'`;

const ODD_SCHEMA = 's "q" */ ${x}\n`b`\u2028';
const EVIL_TABLE = 'x */\nexport const pwned = 1;\n/* ';
const EVIL_FN = 'fn */ ${x}\nexport const pwnedFn = 2; //';
const CHECK_NAME = 'chk\n*/ export const pwnedCheck = 3;';
const FK_NAME = 'fk "q" */\n\\';
const ENUM_VALUES = [
  '__proto__',
  'constructor',
  "a'b",
  'c"d',
  'e\\f',
  'g h',
  '*/',
  '${x}',
  'é',
  'in_progress',
  'in-progress',
  'In Progress',
  '1st',
  '!!!',
  '???',
  'new\nline',
  'class',
];

/** Text columns of the `__proto__` table besides the typed ones: every kind of odd name. */
const TEXT_COLUMNS = [
  'constructor',
  'to_string',
  'value_of',
  'user_Id',
  "it's",
  'say "hi"',
  'back\\slash',
  'two\nlines',
  'sep\u2028x',
  '*/ evil /*',
  '${x}',
  '` tick',
  'café',
  '日本語',
  'class',
  'default',
  'delete',
  'enum',
  'new',
  '1st',
  '_',
  '__',
  'with space',
  'await',
  'yield',
  'let',
];

const MIGRATION = `
create schema ${id(ODD_SCHEMA)};
create schema "__proto__";
create type "__proto__"."__proto__" as enum (${ENUM_VALUES.map(lit).join(', ')});
create type public."class" as enum ('default', 'delete', 'enum');
create type ${id(ODD_SCHEMA)}."constructor" as enum ('x');
create type public.my_enum as enum ('a');
create type public."MyEnum" as enum ('b');
create domain public."__proto__ dom" as text check (char_length(value) <= 10);
create type public."constructor type" as ("__proto__" text, "class" int);
create table public."__proto__" (
  id int primary key,
  "__proto__" text not null,
  "toString" int check ("toString" >= 0),
  "hasOwnProperty" boolean,
  user_id uuid,
  "userId" uuid,
${TEXT_COLUMNS.map((c) => `  ${id(c)} text,`).join('\n')}
  created_at timestamptz not null default '2024-01-02T03:04:05.678Z',
  kind "__proto__"."__proto__" not null default '__proto__',
  kinds "__proto__"."__proto__"[],
  status public."class",
  dom public."__proto__ dom",
  constraint ${id(CHECK_NAME)} check ("__proto__" <> '*/')
);
create table public."constructor" (
  id int primary key,
  "__proto__" jsonb,
  proto_id int constraint ${id(FK_NAME)} references public."__proto__" (id)
);
create table public.${id(EVIL_TABLE)} ("__proto__" int);
create table public.user_accounts (id int primary key);
create table public."UserAccounts" (id int primary key);
create table public."with" (id int primary key);
create table public."日本" (id int primary key);
create table public."中国" (id int primary key);
create table public."1st" (id int primary key);
create table ${id(ODD_SCHEMA)}.things (id int primary key, "__proto__" text, ${id(ODD_SCHEMA)} text);
create type ${id(ODD_SCHEMA)}."*/ e" as enum ('x', '*/');
create table "__proto__"."constructor" (id int primary key, kind ${id(ODD_SCHEMA)}."*/ e");
create view public."__proto__ view" as select id, "__proto__", "constructor" from public."__proto__";
create function public."__proto__"("constructor" int) returns int language sql as 'select 1';
create function public."class"("default" public."__proto__") returns setof public."constructor" language sql
  as 'select * from public."constructor"';
create function public.${id(EVIL_FN)}() returns text language sql as $$select '*/'$$;
insert into public."__proto__" (id, "__proto__", "toString", "hasOwnProperty", user_id, "userId", ${TEXT_COLUMNS.map(id).join(', ')}, kind, kinds, status, dom)
  values (1, 'own proto', 3, true, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002',
    ${TEXT_COLUMNS.map((c) => lit(`v:${c}`)).join(', ')}, 'constructor', array['__proto__', 'new\nline']::"__proto__"."__proto__"[], 'delete', 'short');
insert into public."constructor" values (1, '{"polluted": true}', 1);
`;

const SCHEMAS = ['public', ODD_SCHEMA, '__proto__'];
const FILES = ['database.types.ts', 'models.ts', 'validation.ts'];

type Json = Record<string, unknown>;
type Result = { ok: true; value: Json } | { ok: false; error: string };
type Fn<A, R> = (a: A) => R;

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A folder that resolves `zod` and `@supabase/supabase-js` from the repo, as an ES module package. */
function moduleDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-typegen-ids-'));
  tmpDirs.push(dir);
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  return dir;
}

/** Strict compile of the given files (compiler API): diagnostics as `file(line): message`. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noUnusedLocals: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Transpiles a generated module to JavaScript next to it and imports it. */
async function load(dir: string, file: string): Promise<Json> {
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } }).outputText;
  const out = path.join(dir, file.replace(/\.ts$/, '.mjs'));
  fs.writeFileSync(out, js.replace(/from '\.\/(.*)\.js'/g, "from './$1.mjs'"));
  return (await import(pathToFileURL(out).href)) as Json;
}

const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort();
const ownKeys = (o: object) => Object.keys(o).sort();

let previous: Record<string, string> | undefined;

describe.each(engineNames)('gen types on hostile identifiers (%s)', (engineName) => {
  let target: TestTarget;
  let dir: string;
  let files: Record<string, string>;
  let rows: { proto: Json; ctor: Json };
  const protoBefore = protoSnapshot();

  beforeAll(async () => {
    target = await targetFor(engineName);
    const p = makeProject({ 'migrations/20240101000000_odd_names.sql': MIGRATION });
    await reset({ cwd: p.root, ...target.options, yes: true });
    dir = moduleDir();
    await genTypes({ cwd: p.root, ...target.options, schemas: SCHEMAS, output: dir });
    files = Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const engine = await openEngine(databaseOf(p.root, target));
    try {
      const one = async (table: string) =>
        (await engine.query<{ row: Json }>(`select to_jsonb(t) as row from public.${id(table)} t`)).rows[0]!.row;
      rows = { proto: await one('__proto__'), ctor: await one('constructor') };
    } finally {
      await engine.close();
    }
  });

  afterEach(() => {
    expect(protoSnapshot()).toEqual(protoBefore);
    expect(({} as Json).polluted).toBeUndefined();
  });

  afterAll(async () => {
    await target?.drop();
  });

  it('reads the rows with the odd keys as own properties (the premise)', () => {
    expect(Object.prototype.hasOwnProperty.call(rows.proto, '__proto__')).toBe(true);
    expect(rows.proto['__proto__']).toBe('own proto');
    expect(Object.getPrototypeOf(rows.proto)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(rows.ctor, '__proto__')).toBe(true);
  });

  it('writes the same files as the other engine', () => {
    if (previous) expect(files).toEqual(previous);
    previous = files;
  });

  it('compiles all generated files and a sample using them with zero diagnostics (strict)', () => {
    const sample = path.join(dir, 'sample.ts');
    fs.writeFileSync(
      sample,
      `import { createClient } from '@supabase/supabase-js';
import { Constants, type Database, type Tables } from './database.types.js';
import { Proto, fromPublicProto, toPublicProto, type PublicProto, type PublicProtoRow, type PublicUserAccount, type UserAccount } from './models.js';
import { validatePublicProto, validatePublicConstructorUpdate, type PublicProtoInsert } from './validation.js';
const db = createClient<Database>('http://localhost:54321', 'anon-key');
export async function rows(): Promise<Tables<'__proto__'>[] | null> {
  const { data } = await db.from('__proto__').select('*');
  return data;
}
export function roundTrip(row: PublicProtoRow): Partial<PublicProtoRow> {
  const value: PublicProto = toPublicProto(row);
  const own: string = value.__proto__;
  const userId: string | null | undefined = value.userId;
  const snake: string | null | undefined = value.user_id;
  const when: Date = value.createdAt;
  const kind: Proto = Proto.CONSTRUCTOR;
  void own; void userId; void snake; void when; void kind;
  return fromPublicProto(value);
}
export function check(data: unknown): string {
  const r = validatePublicProto(data);
  return r.ok ? r.value.__proto__ : r.error;
}
export const update = validatePublicConstructorUpdate({});
export const insertKey: keyof PublicProtoInsert = '__proto__';
export const enumValues: readonly string[] = Constants.__proto__.Enums.__proto__;
export const ids: [UserAccount['id'], PublicUserAccount['id']] = [1, 2];
`,
    );
    expect(compile([...FILES.map((f) => path.join(dir, f)), sample])).toEqual([]);
  });

  it('names every entity without collisions, by the documented rule', async () => {
    const models = await load(dir, 'models.ts');
    const validation = await load(dir, 'validation.ts');
    // Enums claim names before tables; a taken name gets the schema prefix, then a number.
    for (const name of ['Proto', 'PublicProto', 'Class', 'Constructor', 'PublicConstructor', 'MyEnum', 'PublicMyEnum']) {
      expect(name in models || `to${name}` in models, name).toBe(true);
    }
    for (const name of [
      'toUserAccount',
      'toPublicUserAccount',
      'toUnnamed',
      'toPublicUnnamed',
      'to_1st',
      'toPublicWith',
      'toThing',
      'toProtoConstructor',
    ]) {
      expect(typeof models[name], name).toBe('function');
    }
    expect(typeof validation.validatePublicWith).toBe('function');
    expect(Object.keys(models)).not.toContain('pwned');
    expect(Object.keys(validation).some((k) => k.startsWith('pwned'))).toBe(false);
    // Enum keys: UPPER_SNAKE, collisions numbered in label order, empty ones EMPTY.
    expect(models.Proto).toMatchObject({
      PROTO: '__proto__',
      CONSTRUCTOR: 'constructor',
      IN_PROGRESS: 'in_progress',
      IN_PROGRESS_2: 'in-progress',
      IN_PROGRESS_3: 'In Progress',
      _1ST: '1st',
      EMPTY: '*/',
      EMPTY_2: 'é',
      EMPTY_3: '!!!',
      EMPTY_4: '???',
      NEW_LINE: 'new\nline',
    });
    expect(Object.values(models.Proto as Json).sort()).toEqual([...ENUM_VALUES].sort());
  });

  it('maps camelCase fields: a column keeps its own name when camelCase would clash', async () => {
    const models = await load(dir, 'models.ts');
    const toProto = models.toPublicProto as Fn<Json, Json>;
    const value = toProto(rows.proto);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(value['__proto__']).toBe('own proto');
    expect(value).toMatchObject({
      userId: '00000000-0000-0000-0000-000000000002',
      user_id: '00000000-0000-0000-0000-000000000001',
      user_Id: 'v:user_Id',
      toString: 3,
      to_string: 'v:to_string',
      valueOf: 'v:value_of',
      constructor: 'v:constructor',
      hasOwnProperty: true,
      'two\nlines': 'v:two\nlines',
      'sep\u2028x': 'v:sep\u2028x',
      '*/ evil /*': 'v:*/ evil /*',
      '${x}': 'v:${x}',
      class: 'v:class',
      '1st': 'v:1st',
      kind: 'constructor',
      kinds: ['__proto__', 'new\nline'],
    });
    expect(value.createdAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
    expect(Object.keys(value)).toHaveLength(Object.keys(rows.proto).length);
    const back = (models.fromPublicProto as Fn<Json, Json>)(value);
    expect(Object.prototype.hasOwnProperty.call(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(ownKeys(back)).toEqual(ownKeys(rows.proto));
    expect({ ...back, created_at: Date.parse(back.created_at as string) }).toEqual({
      ...rows.proto,
      created_at: Date.parse(rows.proto.created_at as string),
    });
    // A partial value sets only its own keys: nothing read from Object.prototype (constructor, toString, __proto__).
    expect(ownKeys((models.fromPublicProto as Fn<Json, Json>)({ id: 2 }))).toEqual(['id']);
    const ctor = (models.toPublicConstructor as Fn<Json, Json>)(rows.ctor);
    expect(Object.getPrototypeOf(ctor)).toBe(Object.prototype);
    expect(ctor['__proto__']).toEqual({ polluted: true });
    expect(ctor.polluted).toBeUndefined();
  });

  it('validates and returns rows with __proto__ / constructor columns as own properties', async () => {
    const v = await load(dir, 'validation.ts');
    const call = (name: string, data: unknown) => (v[name] as Fn<unknown, Result>)(data);
    const r = call('validatePublicProto', rows.proto);
    expect(r).toEqual({ ok: true, value: expect.anything() });
    const value = (r as { value: Json }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(ownKeys(value)).toEqual(ownKeys(rows.proto));
    expect(value).toEqual(rows.proto);
    // The own __proto__ is validated like any column, its error names it; a missing one is required.
    expect(call('validatePublicProto', { ...rows.proto, ['__proto__']: 5 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^__proto__: /),
    });
    const { ['__proto__']: _drop, ...rest } = rows.proto;
    expect(Object.prototype.hasOwnProperty.call(rest, '__proto__')).toBe(false);
    expect(call('validatePublicProto', rest)).toEqual({ ok: false, error: expect.stringMatching(/^__proto__: /) });
    // Missing optional keys are absent, not Object.prototype's (constructor, toString, hasOwnProperty).
    expect(call('validatePublicProtoUpdate', {})).toEqual({ ok: true, value: {} });
    expect(call('validatePublicConstructorUpdate', {})).toEqual({ ok: true, value: {} });
    expect(call('validatePublicProtoUpdate', JSON.parse('{"toString": -1}'))).toEqual({
      ok: false,
      error: expect.stringMatching(/^toString: /),
    });
    expect(call('validatePublicProtoUpdate', { nope: 1 })).toEqual({ ok: false, error: expect.stringMatching(/Unrecognized key: "nope"/) });
    const ctor = call('validatePublicConstructor', rows.ctor);
    expect(ctor.ok).toBe(true);
    const cv = (ctor as { value: Json }).value;
    expect(Object.getPrototypeOf(cv)).toBe(Object.prototype);
    expect(cv['__proto__']).toEqual({ polluted: true });
    expect(cv.polluted).toBeUndefined();
    const update = call('validatePublicConstructorUpdate', JSON.parse('{"__proto__": {"polluted": 1}}'));
    expect(update.ok && Object.prototype.hasOwnProperty.call(update.value, '__proto__')).toBe(true);
    // A table without a __proto__ column still rejects one as an unknown key.
    expect(call('validateUserAccountInsert', JSON.parse('{"id": 1, "__proto__": {"polluted": 1}}'))).toEqual({
      ok: false,
      error: expect.stringMatching(/Unrecognized key: "__proto__"/),
    });
  });

  it('puts enums of odd schemas and names in Constants as own keys', async () => {
    const db = await load(dir, 'database.types.ts');
    const constants = db.Constants as Record<string, { Enums: Record<string, string[]> }>;
    expect(Object.keys(constants).sort()).toEqual([...SCHEMAS].sort());
    expect(Object.getPrototypeOf(constants)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(constants, '__proto__')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(constants['__proto__']!.Enums, '__proto__')).toBe(true);
    expect(constants['__proto__']!.Enums['__proto__']).toEqual(ENUM_VALUES);
    expect(constants.public!.Enums).toEqual({ class: ['default', 'delete', 'enum'], my_enum: ['a'], MyEnum: ['b'] });
    expect(constants[ODD_SCHEMA]!.Enums).toEqual({ '*/ e': ['x', '*/'], constructor: ['x'] });
    expect(Object.keys(db).some((k) => k.startsWith('pwned'))).toBe(false);
  });
});
