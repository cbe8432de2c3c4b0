import type { APIContext } from 'astro';
import { describe, expect, it } from 'vitest';
import { GET } from '../../../src/pages/sandboxes/[id].json.ts';
import {
  checkCommand,
  checkFilesOf,
  mountTree,
  supportFiles,
} from '../../../src/sandbox/assemble.ts';
import { kitImportsOf } from '../../../src/sandbox/kit.ts';
import { listLabIds, readLab } from '../../../src/sandbox/load.ts';
import type { Files, SandboxBundle } from '../../../src/sandbox/types.ts';

/** What the page gets: the built /sandboxes/<id>.json endpoint's body. */
async function pageBundle(id: string): Promise<SandboxBundle> {
  const response = await GET({ params: { id } } as unknown as APIContext);
  return (await response.json()) as SandboxBundle;
}

const ids = listLabIds();

describe('one sandbox model for the page and the grader', () => {
  it('finds the labs', () => {
    expect(ids.length).toBeGreaterThan(0);
  });

  describe.each(ids)('%s', (id) => {
    it('mounts the same tree and runs the same command on the page as in npm run grade', async () => {
      const bundle = await pageBundle(id);
      const lab = readLab(id);
      for (const learner of [lab.starter, lab.solution]) {
        // The page mounts the learner's files plus the bundle's support files (session.ts).
        const pageTree = mountTree(learner, bundle.support);
        const graderTree = mountTree(learner, supportFiles(lab));
        expect(pageTree).toEqual(graderTree);
        expect(bundle.checkCommand).toEqual(checkCommand(checkFilesOf(graderTree)));
      }
    });

    it('names every check file in the check command, and never a folder', async () => {
      const { checkCommand: argv, support } = await pageBundle(id);
      const [node, test, reporter, ...files] = argv;
      expect([node, test]).toEqual(['node', '--test']);
      expect(reporter).toBe('--test-reporter=./_kit/reporter.mjs');
      expect(Object.hasOwn(support, '_kit/reporter.mjs')).toBe(true);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file).toMatch(/^checks\/.+\.test\.mjs$/);
        expect(Object.hasOwn(support, file)).toBe(true);
      }
      expect(files).toEqual(
        Object.keys(support)
          .filter((p) => p.endsWith('.test.mjs'))
          .sort(),
      );
    });

    it('mounts every kit module that a mounted kit module imports', async () => {
      const { support } = await pageBundle(id);
      const kit: Files = Object.fromEntries(
        Object.entries(support).filter(([path]) => path.startsWith('_kit/')),
      );
      for (const [path, source] of Object.entries(kit)) {
        for (const imported of kitImportsOf(source)) {
          expect(Object.keys(kit), `${path} imports ./${imported}.mjs`).toContain(
            `_kit/${imported}.mjs`,
          );
        }
      }
    });
  });
});

describe('kit module references', () => {
  it('sees static imports, dynamic imports and files a kit module preloads into a child', () => {
    const source = [
      "import { a } from './net.mjs';",
      "import './protocol.mjs';",
      "const m = await import('./store-client.mjs');",
      "const GUARD = new URL('./orphan-guard.mjs', import.meta.url).href;",
      "const notKit = './README.md';",
    ].join('\n');
    expect(kitImportsOf(source)).toEqual(['net', 'protocol', 'store-client', 'orphan-guard']);
  });
});
