/**
 * How every browser run here launches Chromium: Debian's /usr/bin/chromium where it exists
 * (browsers can't be downloaded on these machines), Playwright's own elsewhere, with the flags
 * that keep a headless Chromium from reaching for the network on its own.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumLaunchOptions(): LaunchOptions {
  return {
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: CHROMIUM_ARGS,
  };
}
