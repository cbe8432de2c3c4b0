import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleOf, extractCheckTitles } from '../../../src/sandbox/assemble.ts';
import { listLabIds, readLab } from '../../../src/sandbox/load.ts';

const readSandbox = (id: string, sandboxesDir: string) => bundleOf(readLab(id, sandboxesDir));

let dir: string;

function write(path: string, text: string) {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
}

const manifest = {
  title: 'A tiny lab',
  run: ['node', 'server.js'],
  open: ['server.js'],
  kit: ['check-helpers'],
  hints: { 'It answers 200': 'Look at the status code you pass to writeHead.' },
};

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'svs-sbx-')), 'sandboxes');
  write('_kit/reporter.mjs', '// reporter');
  write('_kit/check-helpers.mjs', "import { EVENT_MARKER } from './protocol.mjs';");
  write('_kit/protocol.mjs', "export const EVENT_MARKER = '@@svs-event';");
  write('_kit/balancer.mjs', '// not asked for');
  write('_kit/balancer.test.mjs', '// a kit test, not for learners');
  write('lab/sandbox.json', JSON.stringify(manifest));
  write('lab/starter/server.js', 'starter');
  write('lab/solution/server.js', 'solution');
  write('lab/checks/a.test.mjs', "test('It answers 200', async () => {});");
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('reading a sandbox at build time', () => {
  it('bundles starter, solution, the kit modules the lab reaches and checks, with titles', () => {
    const bundle = readSandbox('lab', dir);
    expect(bundle.starter).toEqual({ 'server.js': 'starter' });
    expect(bundle.solution).toEqual({ 'server.js': 'solution' });
    expect(Object.keys(bundle.support).sort()).toEqual([
      '_kit/check-helpers.mjs',
      '_kit/protocol.mjs',
      '_kit/reporter.mjs',
      'checks/a.test.mjs',
    ]);
    expect(bundle.checkCommand).toEqual([
      'node',
      '--test',
      '--test-reporter=./_kit/reporter.mjs',
      'checks/a.test.mjs',
    ]);
    expect(bundle.checkTitles).toEqual(['It answers 200']);
    expect(bundle.manifest.topology).toBeNull();
  });

  it('lists sandboxes, not the kit', () => {
    expect(listLabIds(dir)).toEqual(['lab']);
  });

  describe('steps', () => {
    const hints = {
      'It answers 200': 'Look at the status code you pass to writeHead.',
      'It sets a cookie': 'Send a Set-Cookie header with the session id.',
    };
    const withSteps = (steps: unknown) =>
      write('lab/sandbox.json', JSON.stringify({ ...manifest, hints, steps }));

    it('bundles the steps when every check is in exactly one', () => {
      const steps = [
        { title: 'Answer the request', checks: ['It answers 200'] },
        { title: 'Give each visitor a session', checks: ['It sets a cookie'] },
      ];
      withSteps(steps);
      expect(readSandbox('lab', dir).manifest.steps).toEqual(steps);
    });

    it('gives null when the lab has no steps', () => {
      expect(readSandbox('lab', dir).manifest.steps).toBeNull();
    });

    it('names the file when a lab with more than three checks has no steps', () => {
      const four = Object.fromEntries(
        ['It answers 200', 'It sets a cookie', 'It counts', 'It forgets'].map((title) => [
          title,
          'A hint long enough to help.',
        ]),
      );
      write('lab/sandbox.json', JSON.stringify({ ...manifest, hints: four }));
      expect(() => readSandbox('lab', dir)).toThrow(
        /sandboxes\/lab\/sandbox\.json[\s\S]*a lab with 4 checks must be split into steps/,
      );
    });

    it('names the file and a check that is in no step', () => {
      withSteps([{ title: 'Answer the request', checks: ['It answers 200'] }]);
      expect(() => readSandbox('lab', dir)).toThrow(
        /sandboxes\/lab\/sandbox\.json[\s\S]*"It sets a cookie" is in no step/,
      );
    });

    it('names a stray check that is not in hints', () => {
      withSteps([
        { title: 'Answer the request', checks: ['It answers 200', 'It sets a cookie'] },
        { title: 'Misspelt', checks: ['It answer 200'] },
      ]);
      expect(() => readSandbox('lab', dir)).toThrow(
        /steps\.1\.checks\.0: "It answer 200" is not a check name/,
      );
    });

    it('names a check listed in two steps', () => {
      withSteps([
        { title: 'Answer the request', checks: ['It answers 200', 'It sets a cookie'] },
        { title: 'Again', checks: ['It sets a cookie'] },
      ]);
      expect(() => readSandbox('lab', dir)).toThrow(/"It sets a cookie" is already in step 1/);
    });
  });

  it('names the manifest file and the field when the manifest is invalid', () => {
    write('lab/sandbox.json', JSON.stringify({ ...manifest, run: ['python', 'x.py'] }));
    expect(() => readSandbox('lab', dir)).toThrow(/sandboxes\/lab\/sandbox\.json.*\n.*run/);
  });

  it('names the manifest file when it is not JSON', () => {
    write('lab/sandbox.json', '{ "title": ');
    expect(() => readSandbox('lab', dir)).toThrow(
      /sandboxes\/lab\/sandbox\.json is not valid JSON/,
    );
  });

  it('says which file is missing when the manifest opens one the starter lacks', () => {
    write('lab/sandbox.json', JSON.stringify({ ...manifest, open: ['app.js'] }));
    expect(() => readSandbox('lab', dir)).toThrow(/opens "app\.js".*starter\/app\.js/);
  });

  it('mounts a kit module that a check imports even when the manifest does not list it', () => {
    write('lab/checks/b.test.mjs', "import '../_kit/balancer.mjs';");
    expect(Object.keys(readSandbox('lab', dir).support)).toContain('_kit/balancer.mjs');
  });

  it('mounts a kit module that another resolves against import.meta.url, as a preload does', () => {
    write(
      '_kit/check-helpers.mjs',
      "import './protocol.mjs';\nconst guard = new URL('./orphan-guard.mjs', import.meta.url).href;",
    );
    write('_kit/orphan-guard.mjs', '// preloaded into every child');
    expect(Object.keys(readSandbox('lab', dir).support)).toContain('_kit/orphan-guard.mjs');
  });

  it('names the lab and the missing module when a kit module does not exist', () => {
    write('lab/sandbox.json', JSON.stringify({ ...manifest, kit: ['check-helpers', 'cache'] }));
    expect(() => readSandbox('lab', dir)).toThrow(
      /sandboxes\/lab\/sandbox\.json "kit" needs the kit module "cache".*_kit\/cache\.mjs does not exist/,
    );
  });

  it('names the lab when a kit module imports one that does not exist', () => {
    write('_kit/check-helpers.mjs', "import { x } from './gone.mjs';");
    expect(() => readSandbox('lab', dir)).toThrow(
      /_kit\/check-helpers\.mjs needs the kit module "gone"/,
    );
  });

  it('refuses a lab whose checks folder is empty, naming the lab', () => {
    rmSync(join(dir, 'lab/checks/a.test.mjs'));
    mkdirSync(join(dir, 'lab/checks'), { recursive: true });
    expect(() => readSandbox('lab', dir)).toThrow(
      /sandboxes\/lab\/checks\/ has no \*\.test\.mjs file: lab "lab"/,
    );
  });

  it('lists the known sandboxes when the id is wrong', () => {
    expect(() => readSandbox('labb', dir)).toThrow(
      /no folder sandboxes\/labb\/.*Known sandboxes: lab/,
    );
  });
});

describe('check titles from source', () => {
  it('reads string-literal test names, with escapes', () => {
    const source = `test('Says \\'hi\\'', () => {});\nit("Counts visits", async () => {});`;
    expect(extractCheckTitles(source)).toEqual(["Says 'hi'", 'Counts visits']);
  });

  it('skips names it cannot know before running', () => {
    expect(extractCheckTitles('test(`Case ${n}`, () => {}); test(name, () => {});')).toEqual([]);
  });
});
