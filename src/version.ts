import fs from 'node:fs';

/** Keel's own version, recorded with every migration it applies. */
export const KEEL_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
