import { describe, expect, it } from 'vitest';
import { redact, registerSecret, scrub } from '../../src/core/redact.js';

describe('redact', () => {
  it('hides passwords in URLs and key=value strings', () => {
    expect(redact('postgres://app:s3cret@db.example.com:6543/postgres')).toBe('postgres://app:***@db.example.com:6543/postgres');
    expect(redact('postgresql://u:p%40ss@h/db and postgres://x@h/db')).toBe('postgresql://u:***@h/db and postgres://x@h/db');
    expect(redact('host=h password=hunter2 user=u')).toBe('host=h password=*** user=u');
  });

  it('scrubs registered secrets wherever they appear', () => {
    registerSecret('tr0ub4dor');
    expect(scrub('server said: bad password "tr0ub4dor"')).toBe('server said: bad password "***"');
  });
});
