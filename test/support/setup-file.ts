/**
 * vitest setupFiles: runs before every test file. Test files share a worker process (`isolate: false` in
 * vitest.config.ts: importing Keel's modules once per worker instead of once per file), so what a module registered
 * at import would register for the first file only; per-file cleanup is registered here instead.
 */
import { afterAll } from 'vitest';
import { removeProjects } from './projects.js';

afterAll(() => removeProjects());
