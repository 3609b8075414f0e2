import { describe, expect, it } from 'vitest';
import {
  checkMigrationName,
  compareVersions,
  compareVersionText,
  detectStyle,
  nextVersion,
  orderOf,
  parseMigrationName,
} from '../../src/core/project/migration-name.js';

describe('migration file names', () => {
  it('reads both styles', () => {
    expect(parseMigrationName('001_create_users.sql')).toEqual({ version: '001', name: 'create_users', style: 'sequential' });
    expect(parseMigrationName('20251107000000_documentation_system.sql')).toEqual({
      version: '20251107000000',
      name: 'documentation_system',
      style: 'timestamp',
    });
    expect(parseMigrationName('update_db.sql')).toBeUndefined();
  });

  it("matches the Supabase CLI's pattern ^([0-9]+)_(.*)\\.sql$ exactly", () => {
    expect(parseMigrationName('local_20240101000000_x.sql')).toBeUndefined();
    expect(parseMigrationName('001_x.SQL')).toBeUndefined(); // case-sensitive, as in Go's regexp
    expect(parseMigrationName('001-x.sql')).toBeUndefined();
    expect(parseMigrationName('001_.sql')).toEqual({ version: '001', name: '', style: 'sequential' });
  });

  it('orders versions as the Supabase CLI lists the files: as text, a prefix after the longer version', () => {
    expect(['9', '10', '1', '202405011200', '20240501120000', '20240430000000'].sort(compareVersionText)).toEqual([
      '10',
      '1',
      '20240430000000',
      '20240501120000',
      '202405011200',
      '9',
    ]);
    // the same order as the file names sorted as bytes (Go's os.ReadDir)
    const names = ['9_a.sql', '10_b.sql', '1_c.sql', '202405011200_d.sql', '20240501120000_e.sql', '20240430000000_f.sql'];
    const byName = [...names].sort((a, b) => (a < b ? -1 : 1)).map((n) => n.split('_')[0]!);
    expect(byName).toEqual(['10', '1', '20240430000000', '20240501120000', '202405011200', '9']);
    expect(orderOf(byName.map((version) => ({ version })))).toBe('text');
    expect(orderOf(['9', '10'].map((version) => ({ version })))).toBe('numeric');
  });

  it('orders versions numerically, not as text', () => {
    const sorted = ['10', '9', '010', '2', '20240101000000'].sort(compareVersions);
    expect(sorted).toEqual(['2', '9', '10', '010', '20240101000000']);
    expect(compareVersions('9', '10')).toBe(-1);
    expect(compareVersions('010', '10')).toBe(0);
  });

  it("applies seed 000's rules", () => {
    expect(checkMigrationName('002_add_teams_table.sql')).toEqual([]);
    expect(checkMigrationName('update_db.sql').map((p) => [p.level, p.rule, p.skipped])).toEqual([
      ['warning', 'migration-name-version', true],
    ]);
    expect(checkMigrationName('april_8_changes.sql').map((p) => p.rule)).toEqual(['migration-name-version']);
    expect(checkMigrationName('007_april_8_changes.sql').map((p) => p.rule)).toEqual(['migration-name-date']);
    expect(checkMigrationName('008_fix_stuff.sql').map((p) => p.rule)).toEqual(['migration-name-vague']);
    expect(checkMigrationName('009_add-user-quotes-profiles.sql').map((p) => p.rule)).toEqual(['migration-name-case']);
    expect(checkMigrationName('notes.txt').map((p) => [p.level, p.rule, p.skipped])).toEqual([['warning', 'migration-file-type', true]]);
    expect(checkMigrationName('notes.txt')[0]!.message).toContain('skipped, as the Supabase CLI skips it');
  });

  it('picks the next version in the project style', () => {
    const now = new Date('2026-11-22T10:11:12Z');
    expect(nextVersion([], 'sequential', now)).toBe('001');
    expect(nextVersion(['001', '009'], 'sequential', now)).toBe('010');
    expect(nextVersion(['0099'], 'sequential', now)).toBe('0100');
    expect(nextVersion([], 'timestamp', now)).toBe('20261122101112');
    // A later file already exists (clock skew): the new one still sorts last.
    expect(nextVersion(['20270101000000'], 'timestamp', now)).toBe('20270101000001');
    expect(detectStyle(['001', '002'], 'timestamp')).toBe('sequential');
    expect(detectStyle([], 'timestamp')).toBe('timestamp');
  });
});
