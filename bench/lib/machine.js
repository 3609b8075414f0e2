/**
 * Facts about the machine and the software under test, printed with every result so numbers can be compared.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { pgliteVersion } from '../../dist/db/pglite/template.js';

function cpuModel() {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^model name\s*:/.test(l));
    if (line) return line.split(':')[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function loadAverage() {
  return os.loadavg().map((n) => Number(n.toFixed(2)));
}

export function machineFacts() {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no', 'src']);
  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pglite: pgliteVersion(),
    commit: commit && `${commit}${dirty ? ' (src/ has uncommitted changes)' : ''}`,
    loadAverageAtStart: loadAverage(),
  };
}
