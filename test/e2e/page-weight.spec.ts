import { expect, test } from '@playwright/test';
import { measurePage } from '../helpers/page-weight.ts';

/** The first view of any page: theme, progress marks and the workspace loader only. */
const JS_BUDGET_GZIP = 10 * 1024;

test('every lesson page ships at most 10 KB of gzipped JS on first view', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000); // one fresh page per lesson, and the course has many
  await page.goto('/');
  const hrefs = await page
    .getByRole('region', { name: 'Course outline' })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of ['/', ...hrefs]) {
    const fresh = await browser.newPage();
    const weight = await measurePage(fresh, href);
    await fresh.close();
    expect(weight.js.gzip, `${href} ships ${weight.js.gzip} B of gzipped JS`).toBeLessThanOrEqual(
      JS_BUDGET_GZIP,
    );
  }
});
