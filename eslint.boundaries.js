// @ts-check
/**
 * Import boundaries. Spread into eslint.config.js after the other entries: each block sets
 * `no-restricted-imports` for its own files (ESLint replaces, not merges, a rule's options per
 * file, so the blocks don't overlap).
 *
 * - `@webcontainer/api` only under src/runtime/webcontainer/ (one adapter owns that dependency).
 * - No Node built-ins anywhere under src/runtime/ (it runs in the browser).
 * - UI code (src/components, src/client) reaches the runtime only through src/runtime/index.ts.
 * - Backend-neutral runtime code (src/runtime/*.ts) imports no backend, and neither backend
 *   imports the other; the facade loads backends with dynamic `import()`.
 * - Build code (src/integration/) imports no browser code and not the `npm start` server: what
 *   both sides need lives in src/sandbox/, src/schemas/ or src/utils/.
 * - The runner (Node) shares exactly one file with the browser: the local protocol.
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

const anyBackend = {
  regex: '^\\./(local|webcontainer)/',
  message: 'Backend-neutral runtime code imports no backend; the facade loads them with import().',
};

const localBackend = {
  regex: '^\\.\\./local/',
  message: 'The WebContainer backend does not import the local backend.',
};

const webContainerBackend = {
  regex: '^\\.\\./webcontainer/',
  message: 'The local backend does not import the WebContainer backend.',
};

const browserOrServerFromBuild = {
  regex: '^(\\.\\./)+(client|components|runtime|server|layouts|pages)/',
  message:
    'Build code (src/integration/) imports no browser code and not the server; move what both need to src/sandbox/, src/schemas/ or src/utils/.',
};

const runtimeFromRunner = {
  regex: '^(\\.\\./)+runtime/(?!local/protocol\\.ts$)',
  message: 'The runner shares only src/runtime/local/protocol.ts with the browser.',
};

/**
 * @param {{ regex: string, message: string }[]} patterns
 * @returns {import('eslint').Linter.RulesRecord}
 */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const RUNTIME = 'src/runtime/**';
const RUNTIME_NEUTRAL = 'src/runtime/*.ts';
const WEBCONTAINER_BACKEND = 'src/runtime/webcontainer/**';
const LOCAL_BACKEND = 'src/runtime/local/**';
const UI = ['src/components/**', 'src/client/**'];
const BUILD = 'src/integration/**';
const RUNNER = 'src/runner/**';
const SANDBOX_MODEL = 'src/sandbox/**';
const SANDBOX_READERS = ['src/sandbox/load.ts', 'src/sandbox/alternatives.ts'];

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    name: 'boundaries/everywhere-else',
    files: ['src/**', 'test/**', 'bench/**'],
    ignores: [RUNTIME, ...UI, BUILD, RUNNER, SANDBOX_MODEL],
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
    name: 'boundaries/runtime-neutral',
    files: [RUNTIME_NEUTRAL],
    rules: restrict([webContainerOutsideBackend, nodeBuiltin, anyBackend]),
  },
  {
    name: 'boundaries/local-backend',
    files: [LOCAL_BACKEND],
    rules: restrict([webContainerOutsideBackend, nodeBuiltin, webContainerBackend]),
  },
  {
    name: 'boundaries/webcontainer-backend',
    files: [WEBCONTAINER_BACKEND],
    rules: restrict([nodeBuiltin, localBackend]),
  },
  {
    name: 'boundaries/ui',
    files: UI,
    rules: restrict([webContainerOutsideBackend, runtimeInternals]),
  },
  {
    name: 'boundaries/build',
    files: [BUILD],
    rules: restrict([webContainerOutsideBackend, browserOrServerFromBuild]),
  },
  {
    name: 'boundaries/runner',
    files: [RUNNER],
    rules: restrict([webContainerOutsideBackend, runtimeFromRunner]),
  },
];
