/**
 * The live WebContainer suite: the course under `npm start`, driven in a real browser against
 * StackBlitz's real service. Needs internet, so it is never part of `npm test`:
 *
 *   LIVE_WEBCONTAINER=1 npx playwright test --config test/live/playwright.config.ts
 */
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config.ts';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.spec.ts',
  // The first boot downloads the runtime; a whole lab's Check can take a while on it.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
});
