import { expect, test } from '@playwright/test';

// A lesson's <Measurement> boxes read the learner's own numbers from localStorage. Whatever is in
// there (nothing, a good row, a damaged row, a whole entry that is not JSON), the lesson must still
// render and say "not measured yet" for anything it cannot read.
test.describe("a lesson's own measurements", () => {
  test("shows the learner's number, and 'not measured yet' for missing or corrupt data", async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await page.evaluate(() => {
      localStorage.setItem(
        'svs:measure:v1:scalability',
        JSON.stringify({
          'cart-seen-of-9': { value: 3, unit: 'requests', at: '2026-11-30T10:00:00.000Z' },
          // A damaged row next to a good one: the value is text, not a number.
          'coupon-attempts-allowed': { value: 'fifteen', unit: 'attempts', at: 'yesterday' },
        }),
      );
      localStorage.setItem('svs:measure:v1:fault-tolerance', '{not json');
    });

    const own = (id: string) => page.locator(`[data-measurement="${id}"] [data-measurement-own]`);

    await page.goto('/lessons/scalability/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(own('cart-seen-of-9')).toContainText('3 requests');
    await expect(own('coupon-attempts-allowed')).toHaveText('not measured yet');

    await page.goto('/lessons/fault-tolerance/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(own('sessions-lost')).toHaveText('not measured yet');

    // Nothing stored at all for this lesson.
    await page.goto('/lessons/caching/');
    await expect(own('product-hit-ratio')).toHaveText('not measured yet');

    expect(errors).toEqual([]);
  });
});
