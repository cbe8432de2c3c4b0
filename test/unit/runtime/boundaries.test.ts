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
