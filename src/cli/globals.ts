/**
 * What every command registration shares: the global options, an action's outcome, the confirmation prompt, and
 * the options an action passes to its command (with progress output on a terminal).
 */
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import type * as keel from '../index.js';
import { fileLine, type Io } from './print.js';

export interface Globals {
  cwd?: string;
  dbUrl?: string;
  memory?: boolean;
  json?: boolean;
  yes?: boolean;
  debug?: boolean;
  /** Set by a command whose machine-readable output is not `--json` (`keel lint --format sarif`): errors print as it. */
  errorFormat?: 'json' | 'sarif';
}

/** The exit code a command's result calls for (0 unless the result says something needs attention). */
export type Outcome = { result: unknown; exitCode?: number; text: (io: Io) => string };

export async function confirm(target: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Reset ${target}? Every user schema on it is dropped. Type "yes" to go on: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

export function globals(cmd: Command, io: Io): Globals & keel.CommonOptions {
  const g = cmd.optsWithGlobals<Globals>();
  const progress = !g.json && process.stderr.isTTY;
  return { ...g, onFile: progress ? (e) => io.err(fileLine(io, e)) : undefined };
}

/** Runs an action and hands its outcome to `main`, which alone prints and sets the exit code. */
export type Run = (g: Globals, fn: () => Promise<Outcome>) => Promise<void>;
