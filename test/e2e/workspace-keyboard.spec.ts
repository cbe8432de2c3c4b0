import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { editorOf, lab } from './workspace-helpers.ts';

const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, { back = false, limit = 120 } = {}) {
  for (let i = 0; i < limit; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

test.describe('the lab with the keyboard alone', () => {
  test('from the home page: reach a lab, edit, leave the editor, Run, Check, open a hint, reach Next', async ({
    page,
  }) => {
    // A long walk: dozens of Tab presses through the sidebar, the lab and the page.
    test.setTimeout(180_000);
    await page.goto('/?runtime=local');
    await tabTo(page, page.getByRole('link', { name: 'Start the course' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/how-this-course-works/);
    // The runtime is chosen by the address; keep it across the navigation.
    await page.goto(`${new URL(page.url()).pathname}?runtime=local`);

    const scope = lab(page);
    await tabTo(page, scope.getByRole('tab', { name: 'server.js' }));
    const editor = editorOf(scope);
    await expect(editor).toBeAttached({ timeout: 20_000 });
    await tabTo(page, editor);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(helloStarter.replace('Hello, world!', 'Hello there!'));

    // Esc then Tab lands on the toolbar, not further down the page.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const run = scope.getByRole('button', { name: 'Run', exact: true });
    await expect(run).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(scope.getByRole('button', { name: 'Stop', exact: true })).toHaveAttribute(
      'aria-disabled',
      'false',
    );

    await tabTo(page, scope.getByRole('button', { name: 'Check', exact: true }));
    await page.keyboard.press('Enter');
    const failed = scope.getByRole('listitem').filter({ hasText: 'Failed' }).first();
    await expect(failed).toBeVisible({ timeout: 45_000 });

    const hint = failed.getByRole('button', { name: 'Show hint' });
    await tabTo(page, hint);
    await page.keyboard.press('Enter');
    await expect(failed.getByRole('button', { name: 'Hide hint' })).toBeVisible();

    // Past the terminal and the rest of the lab, the page goes on: the next lesson is reachable.
    await tabTo(page, page.getByRole('link', { name: /^Next\b/ }).first(), { limit: 200 });
    // And back again with Shift+Tab, through the terminal, to the toolbar.
    await tabTo(page, run, { back: true, limit: 200 });
  });

  test('Tab and Shift+Tab leave the terminal; shortcuts check and list themselves', async ({
    page,
  }) => {
    await page.goto('/lessons/how-this-course-works/?runtime=local');
    const scope = lab(page);
    await scope.getByRole('tab', { name: 'server.js' }).click();
    const terminal = scope.getByRole('textbox', { name: /^Terminal input/ });
    await terminal.focus();
    await page.keyboard.press('Tab');
    await expect(terminal).not.toBeFocused();
    await terminal.focus();
    await page.keyboard.press('Shift+Tab');
    await expect(terminal).not.toBeFocused();

    await editorOf(scope).click();
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(scope.getByRole('region', { name: 'Checks' }).getByRole('status')).toContainText(
      /\d of \d+ checks pass/,
      { timeout: 45_000 },
    );

    // `?` types a question mark in the editor, and lists the shortcuts elsewhere.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await page.keyboard.press('?');
    const list = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(list).toBeVisible();
    await expect(list).toContainText('Check your code');
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
  });
});
