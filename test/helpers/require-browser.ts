/**
 * Runs before the end-to-end tests: without a usable Chromium, Playwright fails every test with a
 * long stack trace. Say in one line what is missing and how to get it, and stop.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { SYSTEM_CHROMIUM } from './chromium.ts';

function playwrightChromium(): string | null {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

if (!existsSync(SYSTEM_CHROMIUM) && !playwrightChromium()) {
  console.error(
    `No Chromium for the end-to-end tests: install one with \`sudo apt-get install chromium\` (Debian/Ubuntu) or \`npx playwright install chromium\`, then run npm test again.`,
  );
  process.exit(1);
}
