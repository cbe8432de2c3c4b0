import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

async function severeAxeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const searchDialog = (page: Page) => page.getByRole('dialog', { name: 'Search the course' });
const searchBox = (page: Page) => page.getByRole('searchbox', { name: /Search lessons/ });

test.describe('search', () => {
  test('/ opens search; a query finds the lesson section, and Enter lands on its heading', async ({
    page,
  }) => {
    test.slow(); // loads the index, then a long lesson page
    await page.goto('/');
    await page.keyboard.press('/');
    await expect(searchDialog(page)).toBeVisible();
    await expect(searchBox(page)).toBeFocused();
    await searchBox(page).fill('idempotent');
    // The index and its WebAssembly load on first use; allow for a busy machine.
    await expect(searchDialog(page).getByRole('status')).toHaveText(/\d+ results?\./, {
      timeout: 60_000,
    });
    const results = searchDialog(page).getByRole('link');
    const lesson = results.filter({ hasText: 'Stateless: every request stands alone' });
    await expect(lesson).toHaveCount(1);
    await expect(lesson).toContainText('Safe and idempotent methods');

    // Arrow keys walk from the box through the results to the lesson's.
    const position = (await results.allTextContents()).findIndex((t) =>
      t.includes('Stateless: every request stands alone'),
    );
    for (let i = 0; i <= position; i += 1) await page.keyboard.press('ArrowDown');
    await expect(lesson).toBeFocused();
    const href = await lesson.getAttribute('href');
    expect(href).toMatch(/^\/lessons\/stateless-every-request-stands-alone\/#[\w-]+$/);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${href?.replace(/[/#-]/g, '\\$&')}$`));
    const anchor = decodeURIComponent(href?.split('#')[1] ?? '');
    await expect(page.locator(`[id="${anchor}"]`)).toBeInViewport();
  });

  test('Pagefind loads only when search opens, not on a page’s first view', async ({ page }) => {
    test.slow(); // waits for the network to go quiet, then loads the index
    const fetched: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/pagefind/')) fetched.push(pathname);
    });
    await page.goto('/lessons/how-this-course-works/', { waitUntil: 'networkidle' });
    expect(fetched, 'nothing from /pagefind/ before search opens').toEqual([]);
    await page.getByRole('button', { name: 'Search the course' }).click();
    await searchBox(page).fill('session');
    await expect(searchDialog(page).getByRole('status')).toHaveText(/\d+ results?\./, {
      timeout: 60_000,
    });
    expect(fetched).toContain('/pagefind/pagefind.js');
  });

  test('Ctrl+K opens it from a lesson, Escape closes it and gives focus back', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    const opener = page.getByRole('button', { name: 'Search the course' });
    await opener.focus();
    await page.keyboard.press('Control+k');
    await expect(searchBox(page)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(searchDialog(page)).toBeHidden();
    await expect(opener).toBeFocused();
  });

  test('a 500-character or punctuation-only query shows "no results", never an error', async ({
    page,
  }) => {
    await page.goto('/glossary/');
    await page.getByRole('button', { name: 'Search the course' }).click();
    const status = searchDialog(page).getByRole('status');
    await searchBox(page).fill('session');
    await expect(status).toHaveText(/\d+ results?\./, { timeout: 30_000 });
    for (const query of ['x'.repeat(250) + ' ' + 'y'.repeat(249), '?!.,;:()[]{}<>/\\|*&^%$#@~`']) {
      await searchBox(page).fill(query);
      await expect(status).toHaveText(/^No results for/);
      await expect(searchDialog(page).getByRole('link')).toHaveCount(0);
    }
  });

  test('code blocks are not indexed as prose', async ({ page }) => {
    await page.goto('/');
    await page.keyboard.press('/');
    const status = searchDialog(page).getByRole('status');
    // A control query first, so "no results" below can't mean "the index never loaded".
    await searchBox(page).fill('coupon');
    await expect(status).toHaveText(/\d+ results?\./, { timeout: 30_000 });
    // A word that appears only inside lessons' code listings is never shown as prose.
    await searchBox(page).fill('fieldset');
    await expect(status).not.toHaveText('');
    await expect(searchDialog(page).locator('.search__excerpt mark')).not.toHaveText([
      /^fieldset$/i,
    ]);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the open dialog with results passes axe (${theme})`, async ({ page }) => {
      test.slow();
      await page.emulateMedia({ colorScheme: theme });
      await page.goto('/lessons/how-this-course-works/');
      await page.keyboard.press('/');
      await searchBox(page).fill('session');
      await expect(searchDialog(page).getByRole('link').first()).toBeVisible({ timeout: 30_000 });
      expect(await severeAxeProblems(page)).toEqual([]);
    });
  }
});

test.describe('glossary', () => {
  test('lists the terms, and a lesson links a term’s first use to its entry', async ({ page }) => {
    await page.goto('/lessons/stateful-the-server-remembers/');
    const term = page.locator('.prose a[href="/glossary/#session-id"]');
    await expect(term).toHaveCount(1);
    await term.click();
    await expect(page).toHaveURL(/\/glossary\/#session-id$/);
    await expect(page.getByRole('heading', { level: 2, name: 'Session id' })).toBeInViewport();
    for (const name of [
      'Sticky session',
      'Session fixation',
      'Idempotency',
      'Consistent hashing',
      'Vary',
    ]) {
      await expect(page.getByRole('heading', { level: 2, name, exact: true })).toHaveCount(1);
    }
  });

  test('on a wide screen, hovering or focusing a term shows its definition; Escape hides it', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto('/lessons/stateful-the-server-remembers/');
    const link = page.locator('.prose a[href="/glossary/#session-id"]');
    const tip = page.locator('#term-session-id');
    await expect(tip).toBeHidden();
    await expect(link).toHaveAccessibleDescription(/key a client sends back/);
    await link.focus();
    await expect(tip).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
  });

  test('the glossary page passes axe', async ({ page }) => {
    test.slow(); // axe walks every entry of a long page
    await page.goto('/glossary/');
    expect(await severeAxeProblems(page)).toEqual([]);
  });
});
