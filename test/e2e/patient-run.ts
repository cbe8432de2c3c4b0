import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Clicks Run and waits, generously, until the preview shows the server's page. For specs that run
 * beside other work on small machines and test what happens, not how fast (bench/ measures that).
 */
export async function runUntilPreview(page: Page, lab: Locator): Promise<void> {
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByRole('button', { name: 'Stop', exact: true })).toHaveAttribute(
    'aria-disabled',
    'false',
    { timeout: 60_000 },
  );
  await expect(page.locator('iframe[title="Preview of your server"]')).toBeVisible({
    timeout: 60_000,
  });
}
