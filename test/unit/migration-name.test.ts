import { describe, expect, it } from 'vitest';
import { checkMigrationName, compareVersions, detectStyle, nextVersion, parseMigrationName } from '../../src/core/project/migration-name.js';

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

  it('orders versions numerically, not as text', () => {
    const sorted = ['10', '9', '010', '2', '20240101000000'].sort(compareVersions);
    expect(sorted).toEqual(['2', '9', '10', '010', '20240101000000']);
    expect(compareVersions('9', '10')).toBe(-1);
    expect(compareVersions('010', '10')).toBe(0);
  });

  it("applies seed 000's rules", () => {
    expect(checkMigrationName('002_add_teams_table.sql')).toEqual([]);
    expect(checkMigrationName('update_db.sql').map((p) => [p.level, p.rule])).toEqual([['error', 'migration-name-version']]);
    expect(checkMigrationName('april_8_changes.sql').map((p) => p.rule)).toEqual(['migration-name-version']);
    expect(checkMigrationName('007_april_8_changes.sql').map((p) => p.rule)).toEqual(['migration-name-date']);
    expect(checkMigrationName('008_fix_stuff.sql').map((p) => p.rule)).toEqual(['migration-name-vague']);
    expect(checkMigrationName('009_add-user-quotes-profiles.sql').map((p) => p.rule)).toEqual(['migration-name-case']);
    expect(checkMigrationName('notes.txt').map((p) => p.rule)).toEqual(['migration-file-type']);
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
