import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

/** Runs the CLI with its stdout and stderr pipes closed by the reader before it writes (`keel --help | head -0`). */
function withClosedOutput(args: string[], closeStderr: boolean): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  child.stdout.destroy();
  let stderr = '';
  if (closeStderr) child.stderr.destroy();
  else child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('a reader that goes away', () => {
  it('ends keel quietly with the exit code it would have had (help: 0, an unknown command: 2)', async () => {
    const help = await withClosedOutput(['--help'], false);
    expect(help.stderr).toBe(''); // no unhandled EPIPE, no stack
    expect(help.code).toBe(0);
    const json = await withClosedOutput(['--version', '--json'], false);
    expect(json).toEqual({ code: 0, stderr: '' });
    const unknown = await withClosedOutput(['no-such-command'], true);
    expect(unknown.code).toBe(2);
  });
});
