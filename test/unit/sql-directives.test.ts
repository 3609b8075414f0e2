import { describe, expect, it } from 'vitest';
import { readDirectives } from '../../src/core/sql/directives.js';

describe('readDirectives', () => {
  it('finds no-transaction after blank lines, comments and a block comment', () => {
    const text =
      '\uFEFF\n-- Add an index without locking writes\n/* multi\n   line */\n--keel:no-transaction\ncreate index concurrently i on t (a);';
    expect(readDirectives(text)).toEqual({ noTransaction: true, ignore: [], unknown: [] });
  });

  it('is false for a file without directives', () => {
    expect(readDirectives('create table t (id int);')).toEqual({ noTransaction: false, ignore: [], unknown: [] });
    expect(readDirectives('')).toEqual({ noTransaction: false, ignore: [], unknown: [] });
  });

  it('collects ignore names and reports unknown directives with their line', () => {
    const text = [
      '-- keel:ignore lock-timeout, drop-column',
      '-- KEEL:No-Transaction',
      '-- keel:no-transacton',
      '-- keel:ignore drop-column rename',
      '-- keel:',
      'select 1;',
    ].join('\n');
    expect(readDirectives(text)).toEqual({
      noTransaction: true,
      ignore: ['lock-timeout', 'drop-column', 'rename'],
      unknown: [
        { name: 'no-transacton', line: 3 },
        { name: '', line: 5 },
      ],
    });
    expect(readDirectives('-- keel:ignore\nselect 1;').ignore).toEqual(['*']);
  });

  it('does not read directives after the first statement or inside block comments', () => {
    expect(readDirectives('select 1;\n-- keel:no-transaction\n').noTransaction).toBe(false);
    expect(readDirectives('/*\n-- keel:no-transaction\n*/\nselect 1;').noTransaction).toBe(false);
    expect(readDirectives('/* a /* nested */\n-- keel:no-transaction\n*/ -- keel:bogus\nselect 1;')).toEqual({
      noTransaction: false,
      ignore: [],
      unknown: [{ name: 'bogus', line: 3 }],
    });
  });
});
