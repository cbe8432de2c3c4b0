import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './test/helpers/chromium.ts';

const port = Number(process.env['E2E_PORT'] ?? 4399);

export default defineConfig({
  testDir: 'test/e2e',
  // Fails the run when a sandbox process outlives the course server.
  globalTeardown: './test/e2e/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  retries: process.env['CI'] ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
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
  webServer: {
    // The same server learners start with `npm start`; the test command builds just before.
    command: 'node node_modules/tsx/dist/cli.mjs src/server/start.ts',
    // SVS_E2E_OWNER lets the global teardown find the servers this run started.
    env: { PORT: String(port), HOST: '127.0.0.1', SVS_E2E_OWNER: String(process.pid) },
    // SIGTERM first, so the runner stops its sandbox processes (Playwright's default is SIGKILL).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env['CI'],
    timeout: 180_000,
    stdout: 'pipe',
  },
});
