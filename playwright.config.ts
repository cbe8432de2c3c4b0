import { defineConfig, devices } from '@playwright/test';
import { node22Binary } from './src/grading/node22.ts';
import { chromiumLaunchOptions } from './test/helpers/chromium.ts';

const port = Number(process.env['E2E_PORT'] ?? 4399);
/** A second `npm start` whose runner runs learner code on Node 22 (test/e2e/node22.spec.ts). */
const node22Port = Number(process.env['E2E_NODE22_PORT'] ?? port + 1);
// The same server learners start with `npm start`; the test command builds just before.
const startCommand = 'node node_modules/tsx/dist/cli.mjs src/server/start.ts';

/**
 * Fetched from the npm registry on first use (src/grading/node22.ts), then cached. If that fails
 * (offline, first run), only node22.spec.ts fails, with the reason; every other spec still runs.
 */
function tryNode22(): string | null {
  try {
    return node22Binary();
  } catch (error) {
    console.warn(`No Node 22 for node22.spec.ts: ${(error as Error).message}`);
    return null;
  }
}
const node22 = tryNode22();

export default defineConfig({
  testDir: 'test/e2e',
  // Fails the run when a sandbox process outlives the course server.
  globalTeardown: './test/e2e/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  // No retries anywhere: a flaky test is a bug to fix, not to hide.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    // On wide screens Run opens focus mode. Specs test the lab inside the lesson unless they say
    // otherwise (workspace-focus.spec.ts starts from an empty browser).
    storageState: {
      cookies: [],
      origins: [port, node22Port].map((each) => ({
        origin: `http://127.0.0.1:${each}`,
        localStorage: [{ name: 'svs:focus:v1', value: JSON.stringify({ openOnRun: false }) }],
      })),
    },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
  webServer: [
    {
      command: startCommand,
      // SVS_E2E_OWNER lets the global teardown find the servers this run started.
      env: { PORT: String(port), HOST: '127.0.0.1', SVS_E2E_OWNER: String(process.pid) },
      // SIGTERM first, so the runner stops its sandbox processes (Playwright's default is SIGKILL).
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: !process.env['CI'],
      timeout: 180_000,
      stdout: 'pipe',
    },
    ...(node22 === null
      ? []
      : [
          {
            command: startCommand,
            env: {
              PORT: String(node22Port),
              HOST: '127.0.0.1',
              SVS_NODE_BINARY: node22,
              SVS_E2E_OWNER: String(process.pid),
            },
            gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
            url: `http://127.0.0.1:${node22Port}/`,
            reuseExistingServer: !process.env['CI'],
            timeout: 180_000,
            stdout: 'pipe' as const,
          },
        ]),
  ],
});
