import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { editorOf, openLesson, replaceEditorText } from './workspace-helpers.ts';

const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');

test.describe('check results where the learner looks (1366 × 768)', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('after Check on the starter, the first failure is in view; the toolbar sums up; an edit makes results out of date', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const lab = await openLesson(page, 'how-this-course-works');
    await lab.getByRole('button', { name: 'Check', exact: true }).click();
    const checks = lab.getByRole('region', { name: 'Checks' });
    await expect(checks.getByRole('status')).toContainText(/\d of \d+ checks pass/, {
      timeout: 90_000,
    });
    await expect(lab.getByText(/^\d of \d+ pass$/)).toBeVisible();
    const firstFailure = checks.getByRole('listitem').filter({ hasText: 'Failed' }).first();
    await expect(firstFailure.locator('.ws-check__message')).toBeInViewport();
    await expect(firstFailure.getByRole('button', { name: 'Show hint' })).toBeInViewport();

    await lab.getByRole('tab', { name: 'server.js' }).click();
    await replaceEditorText(page, lab, `${helloStarter}\n// changed\n`);
    await expect(checks).toContainText('Your code changed since this check');
    await expect(lab.getByText('Out of date: press Check')).toBeVisible();
  });
});

test.describe('at 375 px', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('a Check with long messages never makes the page scroll sideways', async ({ page }) => {
    test.setTimeout(150_000);
    const lab = await openLesson(page, 'how-this-course-works');
    await lab.getByRole('tab', { name: 'server.js' }).click();
    await expect(editorOf(lab)).toBeVisible();
    // A server that answers every request with a long JSON body, which the checks quote back.
    const body = JSON.stringify({
      message: 'not the greeting the check wants',
      items: Array.from({ length: 12 }, (_, i) => ({ id: `item-${i}`, token: 'x'.repeat(40) })),
    });
    await replaceEditorText(
      page,
      lab,
      helloStarter.replace("res.end('Hello, world!');", `res.end(${JSON.stringify(body)});`),
    );
    await lab.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(lab.getByRole('region', { name: 'Checks' }).getByRole('status')).toContainText(
      /\d of \d+ checks pass/,
      { timeout: 90_000 },
    );
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // On a phone the results open in their own tab, and the first failure is on screen.
    await expect(lab.getByRole('tab', { name: 'Checks' })).toHaveAttribute('aria-selected', 'true');
    await expect(lab.locator('.ws-check[data-status="fail"]').first()).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath('checks-375.png'), fullPage: false });
  });

  test('“Jump to the lab” waits at the bottom of the screen and lands on the lab', async ({
    page,
  }) => {
    await page.goto('/lessons/fault-tolerance/');
    const jump = page.getByRole('link', { name: '↓ Jump to the lab' });
    // Once the reader is in the lesson's text, the link waits at the bottom of the screen.
    await page
      .getByRole('heading', { name: 'Sticky sessions: working until they don’t' })
      .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await expect(jump).toBeInViewport();
    const lab = page.getByRole('region', { name: /^Lab\b/ });
    await expect(lab).not.toBeInViewport();
    await jump.click();
    await expect(lab.getByRole('button', { name: 'Run', exact: true })).toBeInViewport();
  });
});
