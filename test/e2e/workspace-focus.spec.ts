import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { lab as labOf, replaceEditorText } from './workspace-helpers.ts';

// Focus mode as a learner on a laptop meets it: a fresh browser (Run opens focus mode by default).
test.use({ viewport: { width: 1366, height: 768 }, storageState: { cookies: [], origins: [] } });
test.describe.configure({ timeout: 180_000 });

const LESSON = '/lessons/scalability/?runtime=local';

/** True when `target`'s whole box is inside the window. */
async function inViewport(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const size = page.viewportSize()!;
  return (
    box !== null &&
    box.width > 0 &&
    box.height > 0 &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= size.width + 1 &&
    box.y + box.height <= size.height + 1
  );
}

async function runIntoFocus(page: Page): Promise<Locator> {
  await page.goto(LESSON);
  const lab = labOf(page);
  await lab.scrollIntoViewIfNeeded();
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab).toHaveAttribute('data-focus', 'true', { timeout: 60_000 });
  await expect(lab.getByRole('button', { name: 'Stop', exact: true })).toHaveAttribute(
    'aria-disabled',
    'false',
    { timeout: 60_000 },
  );
  return lab;
}

test('Run opens focus mode: steps, editor, preview and checks on one screen, and the first failure in view', async ({
  page,
}) => {
  const lab = await runIntoFocus(page);
  const steps = lab.getByRole('complementary', { name: 'The lesson’s steps for this lab' });
  await expect(steps.getByRole('heading', { name: /^Lab:/ })).toBeVisible();
  const editor = lab.locator('.cm-editor');
  const preview = page.locator('iframe[title="Preview of your server"]');
  await expect(preview).toBeVisible({ timeout: 30_000 });

  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const checks = lab.getByRole('region', { name: 'Checks' });
  await expect(lab.locator('.ws-check-summary')).toHaveText(/\d+ of \d+ pass/, {
    timeout: 120_000,
  });
  const firstFailure = checks.locator('.ws-check[data-status="fail"]').first();
  await expect(firstFailure).toBeVisible();
  for (const [name, target] of [
    ['the editor', editor],
    ['the preview', preview],
    ['the check panel', checks],
    ['the first failed check', firstFailure.locator('.ws-check__title')],
  ] as const) {
    expect(await inViewport(page, target), `${name} is inside the window`).toBe(true);
  }
  // Nothing to scroll: the page behind is locked, and the lab is exactly the window.
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe(
    'hidden',
  );
  const box = (await lab.boundingBox())!;
  expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, 1366, 768]);

  for (const theme of ['light', 'dark'] as const) {
    for (const width of [1366, 1920]) {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height: width === 1366 ? 768 : 1080 });
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.screenshot({ path: test.info().outputPath(`focus-${width}-${theme}.png`) });
    }
  }
});

test('Escape returns to the same place in the lesson; the layout survives a reload', async ({
  page,
}) => {
  await page.goto(LESSON);
  const lab = labOf(page);
  await lab.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, -120);
  await expect.poll(() => page.evaluate(() => Math.round(scrollY))).toBeGreaterThan(500);
  const before = await page.evaluate(() => Math.round(scrollY));
  await lab.getByRole('button', { name: 'Focus', exact: true }).click();
  await expect(lab).toHaveAttribute('data-focus', 'true', { timeout: 60_000 });

  // Open the terminal tab and widen the preview with the keyboard: both are kept.
  await lab.getByRole('tab', { name: 'Terminal' }).click();
  const separator = lab.getByRole('separator', { name: 'Resize the preview' });
  await separator.focus();
  await page.keyboard.press('Shift+ArrowDown');
  const size = await separator.getAttribute('aria-valuenow');

  await page.reload();
  await expect(lab).toHaveAttribute('data-focus', 'true', { timeout: 60_000 });
  await expect(lab.getByRole('tab', { name: 'Terminal' })).toHaveAttribute('aria-selected', 'true');
  await expect(lab.getByRole('separator', { name: 'Resize the preview' })).toHaveAttribute(
    'aria-valuenow',
    size!,
  );

  await lab.getByRole('button', { name: '← Back to lesson' }).click();
  await expect(lab).not.toHaveAttribute('data-focus', 'true');
  await expect(lab.getByRole('button', { name: 'Focus', exact: true })).toBeFocused();
  // Focus mode again, then Esc from a toolbar button: the lesson is where it was.
  await page.evaluate((y) => scrollTo(0, y), before);
  await lab.getByRole('button', { name: 'Focus', exact: true }).click();
  await expect(lab).toHaveAttribute('data-focus', 'true');
  await lab.getByRole('button', { name: 'Check', exact: true }).focus();
  await page.keyboard.press('Escape');
  await expect(lab).not.toHaveAttribute('data-focus', 'true');
  expect(await page.evaluate(() => Math.round(scrollY))).toBe(before);
  // The lesson's steps are back in the lesson, right before the lab.
  await expect(page.locator('article h2', { hasText: /^Lab: scale the cart out/ })).toBeVisible();
});

test('narrowing the window leaves focus mode and keeps edits and the running server', async ({
  page,
}) => {
  const lab = await runIntoFocus(page);
  await lab.getByRole('tab', { name: 'server.js' }).click();
  const marker = '// kept through the resize';
  const text = `${marker}\n${(await lab.locator('.cm-content').innerText()).trim()}\n`;
  await replaceEditorText(page, lab, text);
  await page.setViewportSize({ width: 1000, height: 768 });
  await expect(lab).not.toHaveAttribute('data-focus', 'true');
  await expect(lab.locator('.cm-content')).toContainText(marker);
  await expect(lab.getByRole('button', { name: 'Stop', exact: true })).toHaveAttribute(
    'aria-disabled',
    'false',
  );
  await expect(lab.getByRole('button', { name: 'Focus', exact: true })).toBeHidden();
});

test('a corrupt saved layout is ignored', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('svs:focus:v1', '{"lab": 7, "steps": "wide'));
  const lab = await runIntoFocus(page);
  await expect(lab.getByRole('tab', { name: 'Checks' })).toHaveAttribute('aria-selected', 'true');
  await expect(lab.getByRole('separator', { name: 'Resize the preview' })).toHaveAttribute(
    'aria-valuenow',
    '55',
  );
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical problems in focus mode (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    const lab = await runIntoFocus(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(lab.locator('.cm-editor')).toBeVisible();
    const results = await new AxeBuilder({ page }).include('[data-sandbox]').analyze();
    const severe = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(severe).toEqual([]);
  });
}
