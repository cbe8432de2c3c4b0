import { readdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { loadLessonCatalog } from '../../src/integration/lesson-catalog.ts';
import { slugFromId } from '../../src/utils/outline.ts';
import { openLesson } from './workspace-helpers.ts';

/** Every lesson, read the way the build reads them, so a new lesson is covered without edits here. */
const lessons = loadLessonCatalog(process.cwd()).map((entry) => ({
  slug: slugFromId(entry.slug),
  title: entry.data.title,
  sandbox: entry.data.sandbox,
}));

// axe on a long lesson and a lab's full check run both take a while on a busy two-core machine;
// these tests are about what a learner sees, not how fast (bench/ measures speed).
test.describe.configure({ timeout: 180_000 });

for (const lesson of lessons) {
  test.describe(`lesson "${lesson.title}"`, () => {
    test('renders with its objectives, contents and no serious accessibility problems', async ({
      page,
    }) => {
      const response = await page.goto(`/lessons/${lesson.slug}/`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title);
      await expect(page.getByRole('heading', { name: 'You will be able to' })).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(severe).toEqual([]);
    });

    test('fits a 360 px phone without sideways scrolling', async ({ page }) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`/lessons/${lesson.slug}/`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    });

    const sandbox = lesson.sandbox;
    if (sandbox === undefined) return;

    test(`its lab lists the starter files and Check fails on the starter`, async ({ page }) => {
      const lab = await openLesson(page, lesson.slug);
      const starterFiles = readdirSync(`sandboxes/${sandbox}/starter`, { recursive: true })
        .map(String)
        .filter((f) => f.includes('.'));
      for (const file of starterFiles) {
        await expect(lab.getByRole('tab', { name: file, exact: true })).toBeVisible();
      }

      await lab.getByRole('button', { name: 'Check', exact: true }).click();
      const checks = lab.getByRole('region', { name: 'Checks' });
      const summary = checks.getByRole('status');
      await expect(summary).toContainText(/\d+ of \d+ checks pass/, { timeout: 150_000 });
      const [passed, total] = ((await summary.textContent()) ?? '')
        .match(/(\d+) of (\d+) checks pass/)!
        .slice(1)
        .map(Number);
      expect(total).toBeGreaterThanOrEqual(3);
      expect(passed).toBeLessThan(total!);
      // A failed row says in words what went wrong, not just "failed".
      const failed = checks.getByRole('listitem').filter({ hasText: 'Failed' }).first();
      await expect(failed).toBeVisible();
      expect(((await failed.textContent()) ?? '').length).toBeGreaterThan(40);
      await expect(failed.getByRole('button', { name: 'Show hint' })).toBeVisible();
    });
  });
}
