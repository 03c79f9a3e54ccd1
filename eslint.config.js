// Lint: typescript-eslint (type-aware, no floating promises) plus the layering rule of
// DESIGN.md §2: the domain never imports protocol, server, store or executors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const domainDirs = ['batch', 'network', 'logs', 'iam', 'policy', 'core'];
const forbiddenForDomain = ['protocol', 'server', 'store', 'executors', 'services', 'cli'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.batchlink/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...domainDirs.map((dir) => ({
    files: [`src/${dir}/**/*.ts`],
    ignores: [`src/${dir}/**/*.test.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbiddenForDomain.map((layer) => ({
            group: [`../${layer}/*`, `../../${layer}/*`],
            message: `The domain (src/${dir}) must not import src/${layer}: declare a port instead (DESIGN.md §2).`,
          })),
        },
      ],
    },
  })),
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['batch', 'network', 'logs', 'iam', 'store', 'server', 'executors'].map((layer) => ({ group: [`../${layer}/*`], message: 'Protocols know no domain rule (DESIGN.md §2).' })) },
      ],
    },
  },
);
