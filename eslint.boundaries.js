// @ts-check
/**
 * Import boundaries between the browser runtime layer, its backends and the UI. Spread into
 * eslint.config.js after the other entries: each block sets `no-restricted-imports` for its own
 * files (ESLint replaces, not merges, a rule's options per file, so the blocks don't overlap).
 *
 * - `@webcontainer/api` only under src/runtime/webcontainer/ (one adapter owns that dependency).
 * - No Node built-ins anywhere under src/runtime/ (it runs in the browser).
 * - UI code (src/components, src/client) reaches the runtime only through src/runtime/index.ts.
 * - src/sandbox/ is shared with the browser: Node built-ins only in its file-reading modules.
 *
 * Not covered: dynamic `import()` expressions, which this rule doesn't inspect.
 */
import { builtinModules } from 'node:module';

const escape = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nodeBuiltinNames = [...new Set(builtinModules.map((name) => name.split('/')[0] ?? name))]
  .filter((name) => !name.startsWith('_'))
  .map(escape);

const webContainerOutsideBackend = {
  regex: '^@webcontainer/api(/|$)',
  message:
    'Import @webcontainer/api only under src/runtime/webcontainer/; elsewhere use src/runtime/index.ts.',
};

const nodeBuiltin = {
  regex: `^(node:|(${nodeBuiltinNames.join('|')})(/|$))`,
  message:
    'This code runs in the browser: no Node built-ins (Node-only code lives in src/runner/, src/sandbox/load.ts).',
};

const runtimeInternals = {
  regex: '^((\\.\\./)+|/)(src/)?runtime/(?!index\\.ts$)',
  message: 'UI code talks to the runtime only through src/runtime/index.ts.',
};

/**
 * @param {{ regex: string, message: string }[]} patterns
 * @returns {import('eslint').Linter.RulesRecord}
 */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const RUNTIME = 'src/runtime/**';
const WEBCONTAINER_BACKEND = 'src/runtime/webcontainer/**';
const UI = ['src/components/**', 'src/client/**'];
const SANDBOX_MODEL = 'src/sandbox/**';
const SANDBOX_READERS = ['src/sandbox/load.ts', 'src/sandbox/alternatives.ts'];

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    name: 'boundaries/everywhere-else',
    files: ['src/**', 'test/**', 'bench/**'],
    ignores: [RUNTIME, ...UI, SANDBOX_MODEL],
    rules: restrict([webContainerOutsideBackend]),
  },
  {
    name: 'boundaries/sandbox-model',
    files: [SANDBOX_MODEL],
    ignores: SANDBOX_READERS,
    rules: restrict([webContainerOutsideBackend, nodeBuiltin]),
  },
  {
    name: 'boundaries/sandbox-readers',
    files: SANDBOX_READERS,
    rules: restrict([webContainerOutsideBackend]),
  },
  {
    name: 'boundaries/runtime',
    files: [RUNTIME],
    ignores: [WEBCONTAINER_BACKEND],
    rules: restrict([webContainerOutsideBackend, nodeBuiltin]),
  },
  {
    name: 'boundaries/webcontainer-backend',
    files: [WEBCONTAINER_BACKEND],
    rules: restrict([nodeBuiltin]),
  },
  {
    name: 'boundaries/ui',
    files: UI,
    rules: restrict([webContainerOutsideBackend, runtimeInternals]),
  },
];
