import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import boundaries from '../../../eslint.boundaries.js';

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } },
  ...boundaries,
];

/** The boundary messages ESLint reports for one import line in a file at `path`. */
function violations(path: string, importLine: string): string[] {
  return linter
    .verify(importLine, config, { filename: path })
    .map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

describe('import boundaries', () => {
  it('@webcontainer/api is allowed in the WebContainer backend only', () => {
    const line = "import { WebContainer } from '@webcontainer/api';";
    expect(violations('src/runtime/webcontainer/index.ts', line)).toEqual([]);
    for (const path of [
      'src/runtime/index.ts',
      'src/runtime/local/client.ts',
      'src/components/sandbox/Workspace.ts',
      'src/utils/x.ts',
      'test/unit/x.test.ts',
    ]) {
      expect(violations(path, line), path).toEqual([
        expect.stringMatching(/no-restricted-imports.*only under src\/runtime\/webcontainer/),
      ]);
    }
    expect(
      violations('src/utils/x.ts', "import type { X } from '@webcontainer/api/dist/x';"),
    ).toHaveLength(1);
  });

  it('no Node built-in anywhere under src/runtime/, with or without the node: prefix', () => {
    for (const line of [
      "import { readFile } from 'node:fs/promises';",
      "import fs from 'fs';",
      "import { join } from 'path';",
      "import { spawn } from 'child_process';",
      "import http from 'http';",
      "export { tmpdir } from 'os';",
    ]) {
      expect(violations('src/runtime/local/client.ts', line), line).toHaveLength(1);
      expect(violations('src/runtime/webcontainer/host.ts', line), line).toHaveLength(1);
    }
    expect(violations('src/runtime/select.ts', "import { x } from './fs-like.ts';")).toEqual([]);
    expect(violations('src/runner/server.ts', "import fs from 'node:fs';")).toEqual([]);
  });

  it('the sandbox model reads files only in its Node-only readers, since the page bundles it', () => {
    const line = "import { readFileSync } from 'node:fs';";
    expect(violations('src/sandbox/assemble.ts', line)).toHaveLength(1);
    expect(violations('src/sandbox/kit.ts', "import { join } from 'path';")).toHaveLength(1);
    expect(violations('src/sandbox/load.ts', line)).toEqual([]);
    expect(violations('src/sandbox/alternatives.ts', line)).toEqual([]);
    expect(
      violations('src/sandbox/load.ts', "import { WebContainer } from '@webcontainer/api';"),
    ).toHaveLength(1);
  });

  it('UI code imports the runtime only through src/runtime/index.ts', () => {
    const ui = 'src/components/sandbox/workspace.ts';
    expect(violations(ui, "import { getRuntime } from '../../runtime/index.ts';")).toEqual([]);
    expect(
      violations('src/client/question.ts', "import { x } from '../runtime/index.ts';"),
    ).toEqual([]);
    for (const line of [
      "import type { Runtime } from '../../runtime/types.ts';",
      "import { createWebContainerRuntime } from '../../runtime/webcontainer/index.ts';",
      "import { createLocalRuntime } from '../../runtime/local/index.ts';",
      "import { selectRuntime } from '../runtime/select.ts';",
    ]) {
      expect(violations(ui, line), line).toEqual([
        expect.stringMatching(/only through src\/runtime\/index\.ts/),
      ]);
    }
    // A UI folder of its own called "runtime" is not the runtime layer.
    expect(violations(ui, "import { x } from './runtime/panel.ts';")).toEqual([]);
  });
});

describe('more boundaries', () => {
  it('backend-neutral runtime code imports no backend, and backends not each other', () => {
    for (const line of [
      "import { isGestureRequired } from './webcontainer/errors.ts';",
      "import type { LocalRuntimeOptions } from './local/local-runtime.ts';",
    ]) {
      expect(violations('src/runtime/select.ts', line), line).toEqual([
        expect.stringMatching(/imports no backend/),
      ]);
    }
    expect(violations('src/runtime/index.ts', "import { x } from './types.ts';")).toEqual([]);
    expect(
      violations(
        'src/runtime/local/local-runtime.ts',
        "import { x } from '../webcontainer/tree.ts';",
      ),
    ).toHaveLength(1);
    expect(
      violations(
        'src/runtime/webcontainer/runtime.ts',
        "import { x } from '../local/protocol.ts';",
      ),
    ).toHaveLength(1);
    expect(
      violations('src/runtime/webcontainer/runtime.ts', "import { x } from '../types.ts';"),
    ).toEqual([]);
  });

  it('build code imports neither browser code nor the server', () => {
    for (const line of [
      "import type { SandboxBundle } from '../client/workspace/sandbox-bundle.ts';",
      "import { BUILD_STAMP } from '../server/build-freshness.ts';",
      "import { getRuntime } from '../runtime/index.ts';",
    ]) {
      expect(violations('src/integration/course.ts', line), line).toEqual([
        expect.stringMatching(/Build code/),
      ]);
    }
    for (const line of [
      "import { BUILD_STAMP } from '../utils/build-stamp.ts';",
      "import { sandboxSchema } from '../schemas/sandbox.ts';",
      "import { createRunner } from '../runner/index.ts';",
    ]) {
      expect(violations('src/integration/course.ts', line), line).toEqual([]);
    }
  });

  it('the runner shares only the local protocol file with the browser', () => {
    expect(
      violations(
        'src/runner/page.ts',
        "import type { RunnerEvent } from '../runtime/local/protocol.ts';",
      ),
    ).toEqual([]);
    expect(
      violations(
        'src/runner/page.ts',
        "import { LocalRuntime } from '../runtime/local/local-runtime.ts';",
      ),
    ).toHaveLength(1);
  });
});
