// @ts-check
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import boundaries from './eslint.boundaries.js';

export default tseslint.config(
  {
    ignores: ['dist/', '.astro/', 'node_modules/', 'test-results/', 'playwright-report/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Build-time, server-side and tooling code runs in Node.
    files: [
      'src/server/**',
      'src/runner/**',
      'src/integration/**',
      'src/grading/**',
      'bench/**',
      'test/**',
      '*.config.*',
      'sandboxes/**',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Browser code: islands, client scripts and the runtime layer.
    files: ['src/client/**', 'src/runtime/**', 'src/components/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Sandbox code is what learners read: plain modern JavaScript, Node built-ins only.
    files: ['sandboxes/**/*.js', 'sandboxes/**/*.mjs'],
    rules: {
      // Starters deliberately leave helpers unused: they are what the learner wires in.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:|\\.{1,2}/)',
              message: 'Sandbox code may import only Node built-ins (node:*) and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    // Blocked or full storage throws; src/client/storage.ts is the one place that handles it.
    files: ['src/client/**', 'src/components/**'],
    ignores: ['src/client/storage.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'localStorage',
          message: 'Use browserStorage() from src/client/storage.ts: it survives blocked storage.',
        },
        {
          name: 'sessionStorage',
          message: 'Use browserStorage() from src/client/storage.ts: it survives blocked storage.',
        },
      ],
    },
  },
  // Which code may import what (runtime backends, Node built-ins, the facade).
  ...boundaries,
);
