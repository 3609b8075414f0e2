// `npm run lint:code` (and `npm test`): typescript-eslint's type-checked recommended rules for src/ and test/, the plain
// recommended ones for the JavaScript (bench/, bin/). Type-aware rules catch promises nobody awaits or handles.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'examples/**', 'bench/results/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: ['tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its rejection; an async callback where a void one is expected loses it too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Rollback sentinels are thrown out of engine.transaction callbacks on purpose (see pgtap/run-file.ts).
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'Rollback' }] }],
      // Off: async functions without await implement Promise-returning interfaces (mocks, async generators); not bugs.
      '@typescript-eslint/require-await': 'off',
      // Off: a redundant `as` is style, not a bug.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Off in tests: they read JSON.parse'd CLI output and query rows as `any` on purpose (~80 findings, all that).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // No type information outside the TypeScript projects (bench/, bin/, this file, stray .mts scratch files).
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.mts', '**/*.cts'], ...tseslint.configs.disableTypeChecked },
);
