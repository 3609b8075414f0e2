import { describe, expect, it } from 'vitest';
import { compareHistory } from '../../src/features/migrate/compare.js';
import type { MigrationFile } from '../../src/core/project/files.js';
import type { AppliedMigration } from '../../src/features/migrate/history.js';

const file = (version: string, sha256 = `sha-${version}`): MigrationFile => ({
  version,
  name: `m${version}`,
  file: `supabase/migrations/${version}_m${version}.sql`,
  path: `/x/${version}`,
  text: '',
  sha256,
});
const applied = (version: string, sha256: string | null = `sha-${version}`): AppliedMigration => ({
  version,
  name: `m${version}`,
  sha256,
  appliedAt: null,
  durationMs: null,
  toolVersion: null,
});

describe('compareHistory', () => {
  it('classifies applied, pending, changed and missing', () => {
    const cmp = compareHistory([file('1'), file('2', 'edited'), file('4')], [applied('1'), applied('2'), applied('3')]);
    expect(cmp.entries.map((e) => [e.version, e.state])).toEqual([
      ['1', 'applied'],
      ['2', 'changed'],
      ['3', 'missing'],
      ['4', 'pending'],
    ]);
    expect(cmp.pending.map((p) => p.version)).toEqual(['4']);
    expect(cmp.newerInDb).toEqual([]);
  });

  it('treats versions recorded by another tool (no hash) as applied', () => {
    const cmp = compareHistory([file('001', 'whatever')], [applied('001', null)]);
    expect(cmp.entries.map((e) => e.state)).toEqual(['applied']);
  });

  it('matches versions as written, as the Supabase CLI does: 001 is not 1', () => {
    const cmp = compareHistory([file('001')], [applied('1')]);
    expect(cmp.entries.map((e) => [e.version, e.state])).toEqual([
      ['001', 'pending'],
      ['1', 'missing'],
    ]);
  });

  it('reports versions newer than every local file and pending files out of order', () => {
    const cmp = compareHistory([file('1'), file('2')], [applied('1'), applied('5')]);
    expect(cmp.newerInDb).toEqual(['5']);
    expect(cmp.entries.find((e) => e.version === '2')).toMatchObject({ state: 'pending', outOfOrder: true });
  });
});
