import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

async function severeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('the comparison table page', () => {
  test('is a real table with headers on a wide screen, with no serious accessibility problems', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/table/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'The comparison table, tested',
    );
    const table = page.getByRole('table', { name: 'The comparison table' });
    await expect(table.getByRole('columnheader', { name: 'Our verdict' })).toBeVisible();
    await expect(table.getByRole('rowheader', { name: 'Transaction integrity' })).toBeVisible();
    await expect(page.getByRole('table')).toHaveCount(3);
    expect(await severeViolations(page)).toEqual([]);
  });

  test('turns rows into cards on a 360 px phone, without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/table/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const row = page.locator('tr#transaction-integrity');
    await expect(row).toHaveCSS('display', 'block');
    await expect(row.locator('td[data-label="Our verdict"]')).toBeVisible();
  });

  test("shows the learner's own number, and 'not measured yet' for missing or corrupt data", async ({
    page,
  }) => {
    await page.goto('/');
    await page.evaluate(() => {
      localStorage.setItem(
        'svs:measure:v1:load-balancing',
        JSON.stringify({
          'visitors-moved': { value: 26, unit: '%', at: '2026-11-30T10:00:00.000Z' },
        }),
      );
      localStorage.setItem('svs:measure:v1:transaction-integrity', '{corrupt');
    });
    await page.goto('/table/');
    const mine = (id: string) => page.locator(`tr#${id} td[data-label="Your number"]`);
    await expect(mine('load-balancing')).toHaveText('visitors moved: 26 %');
    await expect(mine('transaction-integrity')).toHaveText('not measured yet');
  });

  test('is linked from the home page and the sidebar', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'The comparison table, tested' }).first().click();
    await expect(page).toHaveURL(/\/table\/$/);
    await page.goto('/lessons/load-balancing/');
    const nav = page.getByRole('navigation', { name: 'Course' });
    await expect(nav.getByRole('link', { name: 'The comparison table, tested' })).toHaveAttribute(
      'href',
      '/table/',
    );
  });
});

test.describe('the course-complete page', () => {
  test('is where the last lesson leads, and sums up how each lesson was finished', async ({
    page,
  }) => {
    await page.goto('/');
    await page.evaluate(() => {
      const done = (solution: string | null) =>
        JSON.stringify({
          passedChecks: ['a'],
          totalChecks: 1,
          answered: [],
          completedAt: '2026-11-30T10:00:00.000Z',
          solutionShownAt: solution,
        });
      localStorage.setItem('svs:progress:v1:load-balancing', done(null));
      localStorage.setItem(
        'svs:progress:v1:transaction-integrity',
        done('2026-11-30T09:00:00.000Z'),
      );
      localStorage.setItem(
        'svs:measure:v1:load-balancing',
        JSON.stringify({
          'visitors-moved-removing-1-of-4': {
            value: 31,
            unit: 'visitors',
            at: '2026-11-30T10:00:00.000Z',
          },
        }),
      );
    });
    await page.goto('/lessons/capstone-choose-and-build/');
    await page
      .getByRole('navigation', { name: 'Previous and next lesson' })
      .getByRole('link', { name: /Course complete/ })
      .click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Course complete');
    await expect(page.locator('[data-summary-lesson="load-balancing"]')).toContainText(
      'solved on your own',
    );
    await expect(page.locator('[data-summary-lesson="transaction-integrity"]')).toContainText(
      'finished after opening the solution',
    );
    await expect(page.locator('[data-course-summary]')).toContainText('1 on your own, 1 after');
    await expect(page.locator('[data-summary-lesson="load-balancing"] [data-numbers]')).toHaveText(
      /31 visitors/,
    );
    expect(await severeViolations(page)).toEqual([]);
  });

  test('fits a 360 px phone', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/complete/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
