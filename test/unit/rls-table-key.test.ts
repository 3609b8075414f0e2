import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { loadRlsSpec, parseTableKey, tableName } from '../../src/features/rls/spec.js';

describe('rls.yaml table keys', () => {
  it.each([
    ['public.notes', { schema: 'public', name: 'notes' }],
    ['public."a.b"', { schema: 'public', name: 'a.b' }],
    ['"my.schema"."x.y"', { schema: 'my.schema', name: 'x.y' }],
    ['public."say ""hi"""', { schema: 'public', name: 'say "hi"' }],
    ['public.Notes', { schema: 'public', name: 'Notes' }],
    ['public.t_with"quote', { schema: 'public', name: 't_with"quote' }],
  ])('%s → %o, and back', (key, parts) => {
    expect(parseTableKey(key)).toEqual(parts);
    expect(parseTableKey(tableName(parts.schema, parts.name))).toEqual(parts);
  });

  it.each(['notes', 'a.b.c', 'public.', '.notes', 'public."a.b', 'public."a"b', 'public.""'])('%s is refused', (key) => {
    expect(parseTableKey(key)).toBeUndefined();
  });

  it('writes a part with a dot or a quote in quotes and leaves the rest bare', () => {
    expect(tableName('public', 'notes')).toBe('public.notes');
    expect(tableName('public', 'a.b')).toBe('public."a.b"');
    expect(tableName('public', 'say "hi"')).toBe('public."say ""hi"""');
  });

  it('a persona sub that is not a UUID, and a YAML alias bomb, are spec errors naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rls-key-'));
    const file = path.join(dir, 'rls.yaml');
    const problemsOf = (text: string) => {
      fs.writeFileSync(file, text);
      try {
        loadRlsSpec(file, 'rls.yaml');
        return [];
      } catch (err) {
        expect(err).toBeInstanceOf(KeelError);
        return (err as KeelError).problems ?? [(err as KeelError).message];
      }
    };
    expect(problemsOf('personas:\n  u: { role: authenticated, sub: nope }\ntables: {}\n')).toEqual([
      expect.stringMatching(/^rls\.yaml:2:3: persona "u": sub must be a user id, a UUID/),
    ]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [n, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ])
      bomb.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    expect(problemsOf(`${bomb.join('\n')}\npersonas: *f\n`)).toEqual([expect.stringMatching(/^rls\.yaml cannot be read: .*alias/)]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a spec naming a table with a dot loads; a three-part name is refused at its line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rls-key-'));
    const file = path.join(dir, 'rls.yaml');
    fs.writeFileSync(file, 'personas:\n  anon: { role: anon }\ntables:\n  public."a.b":\n    select: { anon: none }\n');
    const spec = loadRlsSpec(file, 'rls.yaml');
    expect(spec.tables.map((t) => [t.table, t.schema, t.name])).toEqual([['public."a.b"', 'public', 'a.b']]);
    fs.writeFileSync(file, 'personas:\n  anon: { role: anon }\ntables:\n  a.b.c:\n    select: { anon: none }\n');
    let problems: string[] | undefined;
    try {
      loadRlsSpec(file, 'rls.yaml');
    } catch (err) {
      problems = (err as KeelError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^rls\.yaml:4:3: "a\.b\.c" must be schema-qualified/)]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
