import { expect, test } from '@playwright/test';
import { openLesson } from './workspace-helpers.ts';

test.describe('the topology view of a lab with a store (local runtime)', () => {
  test('stop the store keeping its data, start it, then stop it losing its data, from the keyboard', async ({
    page,
  }) => {
    // The store answers before the three instances are up; on a busy machine they take a while.
    test.setTimeout(180_000);
    const lab = await openLesson(page, 'fault-tolerance');
    await lab.getByRole('button', { name: 'Run', exact: true }).click();
    const services = lab.getByRole('table', { name: 'Store and cache' });
    const storeRow = services.getByRole('row', { name: /^Store\b/ });
    const stateCell = storeRow.getByRole('cell').first();
    await expect(stateCell).toHaveText('up', { timeout: 90_000 });
    await expect(storeRow.getByRole('cell').nth(1)).toContainText('ops/s');

    const stopKeeping = lab.getByRole('button', { name: 'Stop the store, keeping its data' });
    const stopLosing = lab.getByRole('button', { name: 'Stop the store and lose its data' });
    const start = lab.getByRole('button', { name: 'Start the store' });
    await expect(start).toBeDisabled();

    await stopKeeping.focus();
    await page.keyboard.press('Enter');
    await expect(stateCell).toHaveText('down', { timeout: 15_000 });
    await expect(stopKeeping).toBeDisabled();

    await start.focus();
    await page.keyboard.press('Space');
    await expect(stateCell).toHaveText('up', { timeout: 15_000 });
    await expect(start).toBeDisabled();

    await stopLosing.focus();
    await page.keyboard.press('Enter');
    await expect(stateCell).toHaveText('down', { timeout: 15_000 });
    await expect(storeRow.getByRole('cell').nth(2)).toHaveText('0 keys');
  });
});
