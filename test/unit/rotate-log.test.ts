import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateLog } from '../../src/core/fs.js';

describe('rotateLog', () => {
  it('moves a log over the limit to .1 (replacing the one before) and leaves a smaller one alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rotate-'));
    try {
      const log = path.join(dir, 'host.log');
      fs.writeFileSync(log, 'x'.repeat(10));
      expect(rotateLog(log, 100)).toBe(false);
      expect(fs.readFileSync(log, 'utf8')).toHaveLength(10);
      fs.writeFileSync(`${log}.1`, 'older');
      fs.writeFileSync(log, 'y'.repeat(101));
      expect(rotateLog(log, 100)).toBe(true);
      expect(fs.existsSync(log)).toBe(false);
      expect(fs.readFileSync(`${log}.1`, 'utf8')).toBe('y'.repeat(101));
      expect(rotateLog(path.join(dir, 'missing.log'), 100)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
