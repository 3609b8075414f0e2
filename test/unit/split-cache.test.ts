import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql } from '../../src/core/sql/split.js';
import { diskSplitCache } from '../../src/core/sql/split-cache.js';
import { prepareFile } from '../../src/features/migrate/run-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-split-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureParser());

const text = `-- comment\ncreate table a (id int);\ncreate function f() returns int language sql as $$ select 1; $$;\n`;
const file = { file: 'supabase/migrations/001_a.sql', path: '/x', text, sha256: 'abc123' };

describe('split cache', () => {
  it('returns exactly what the parser returned, without parsing again', () => {
    const cache = diskSplitCache(dir);
    expect(cache.get('abc123')).toBeUndefined();
    const first = prepareFile(file, { cache });
    expect(first.statements).toEqual(splitSql(text, file.file));
    // A second prepare reads the cache: prove it by planting a different entry under the same hash.
    const planted = [{ ...first.statements[0]!, sql: 'select 42' }];
    cache.set('abc123', planted);
    expect(prepareFile(file, { cache }).statements).toEqual(planted);
  });

  it('treats a damaged entry as a miss', () => {
    const cache = diskSplitCache(dir);
    fs.writeFileSync(path.join(dir, 'broken.json'), '[{"sql": "sel');
    expect(cache.get('broken')).toBeUndefined();
  });
});
