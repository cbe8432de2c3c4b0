import { expect, test } from '@playwright/test';

test.describe('course shell', () => {
  test('every lesson is reachable from the home page', async ({ page }) => {
    test.setTimeout(240_000); // visits every lesson page in turn
    await page.goto('/');
    const outline = page.getByRole('region', { name: 'Course outline' });
    const links = outline.getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThan(0);
    const targets: { href: string; title: string }[] = [];
    for (let i = 0; i < count; i += 1) {
      const link = links.nth(i);
      targets.push({
        href: (await link.getAttribute('href')) ?? '',
        title: (await link.locator('.lesson-card__title').textContent()) ?? '',
      });
    }
    for (const target of targets) {
      const response = await page.goto(target.href);
      expect(response?.status(), target.href).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title);
    }
  });

  test('next links walk the whole course in order, previous links walk back', async ({ page }) => {
    test.setTimeout(240_000); // two walks through every lesson page
    await page.goto('/');
    const total = await page
      .getByRole('region', { name: 'Course outline' })
      .getByRole('link')
      .count();
    await page.getByRole('link', { name: 'Start the course' }).click();
    const seen = [await page.getByRole('heading', { level: 1 }).textContent()];
    const pager = page.getByRole('navigation', { name: 'Previous and next lesson' });
    while ((await pager.getByRole('link', { name: /^Next/ }).count()) > 0) {
      await pager.getByRole('link', { name: /^Next/ }).click();
      seen.push(await page.getByRole('heading', { level: 1 }).textContent());
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    for (let i = seen.length - 2; i >= 0; i -= 1) {
      await pager.getByRole('link', { name: /^← Previous/ }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(seen[i] ?? '');
    }
  });

  test('the sidebar marks the current lesson', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    const current = page
      .getByRole('navigation', { name: 'Course' })
      .locator('[aria-current="page"]');
    await expect(current).toContainText('How this course works');
  });

  test('the chosen theme survives a reload and applies before scripts run', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Record the theme at the first moment the body exists: the inline head script must have run.
    await page.addInitScript(() => {
      document.addEventListener(
        'readystatechange',
        () => {
          (window as unknown as { firstTheme?: string | undefined }).firstTheme ??=
            document.documentElement.dataset['theme'];
        },
        { once: true },
      );
    });
    await page.reload();
    expect(
      await page.evaluate(() => (window as unknown as { firstTheme?: string }).firstTheme),
    ).toBe('dark');
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByRole('button', { name: 'Light theme' }).click();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });

  test('system theme follows the operating system', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'System theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await context.close();
  });

  test('pages and assets carry the cross-origin isolation headers', async ({ page, request }) => {
    const response = await page.goto('/lessons/how-this-course-works/');
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    const assets = await page.evaluate(() =>
      [
        ...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
          'script[src], link[rel="stylesheet"]',
        ),
      ].map((el) => ('src' in el && el.src) || (el as HTMLLinkElement).href),
    );
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of [...assets, '/favicon.svg']) {
      const res = await request.get(asset);
      expect(res.status(), asset).toBe(200);
      expect(res.headers()['cross-origin-embedder-policy'], asset).toBe('require-corp');
      expect(res.headers()['cross-origin-opener-policy'], asset).toBe('same-origin');
    }
  });

  test('an unknown address shows the 404 page with status 404', async ({ page }) => {
    const response = await page.goto('/lessons/no-such-lesson/');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("This page isn't here");
    await page.getByRole('link', { name: 'Back to the course outline' }).click();
    await expect(page).toHaveURL('/');
  });

  test('the skip link moves focus to the lesson', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('the course menu opens, takes focus, and closes with Escape', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    const nav = page.getByRole('navigation', { name: 'Course' });
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    expect(await nav.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeFocused();
    await expect(nav).toBeHidden();
  });

  test('the menu works from the keyboard alone', async ({ page }) => {
    await page.goto('/lessons/how-this-course-works/');
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('navigation', { name: 'Course' })).toBeVisible();
    await page.keyboard.press('Tab');
    expect(
      await page
        .getByRole('navigation', { name: 'Course' })
        .evaluate((el) => el.contains(document.activeElement)),
    ).toBe(true);
  });

  test('the page never scrolls sideways', async ({ page }) => {
    for (const path of ['/', '/lessons/how-this-course-works/']) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

test.describe('progress on the home page', () => {
  const key = (slug: string): string => `svs:progress:v1:${slug}`;
  const done = JSON.stringify({
    passedChecks: ['a', 'b', 'c'],
    totalChecks: 3,
    answered: ['q-where-state-lives'],
    completedAt: '2026-11-01T10:00:00.000Z',
  });

  test('counts completed lessons and answered questions, ignoring a corrupt entry', async ({
    page,
  }) => {
    await page.goto('/');
    const total = await page
      .getByRole('region', { name: 'Course outline' })
      .getByRole('link')
      .count();
    await page.evaluate(
      ([k1, v1, k2]) => {
        localStorage.setItem(k1!, v1!);
        localStorage.setItem(k2!, '{"passedChecks": "not a list"');
      },
      [key('how-this-course-works'), done, key('stateful-the-server-remembers')],
    );
    await page.reload();
    await expect(page.getByText(`1 of ${total} lessons complete`)).toBeVisible();
    await expect(page.getByText(/^1 of \d+ self-check questions answered$/)).toBeVisible();
    await expect(page.getByRole('link', { name: /How this course works/ }).first()).toHaveAttribute(
      'data-complete',
      'true',
    );
    // The corrupt entry was dropped; the good one was kept.
    expect(
      await page.evaluate((k) => localStorage.getItem(k), key('stateful-the-server-remembers')),
    ).toBeNull();
    expect(
      await page.evaluate((k) => localStorage.getItem(k), key('how-this-course-works')),
    ).not.toBeNull();
  });

  test('Reset progress asks first, then erases only progress', async ({ page }) => {
    await page.goto('/');
    await page.evaluate(
      ([k, v]) => {
        localStorage.setItem(k!, v!);
        localStorage.setItem('svs:theme', 'dark');
      },
      [key('how-this-course-works'), done],
    );
    await page.reload();
    await expect(page.getByText(/^1 of \d+ lessons complete$/)).toBeVisible();
    await page.getByRole('button', { name: 'Reset progress' }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await expect(page.getByText(/^1 of \d+ lessons complete$/)).toBeVisible();
    await page.getByRole('button', { name: 'Reset progress' }).click();
    await page.getByRole('button', { name: 'Erase progress' }).click();
    await expect(page.getByText(/^0 of \d+ lessons complete$/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reset progress' })).toBeFocused();
    expect(await page.evaluate(() => localStorage.getItem('svs:theme'))).toBe('dark');
  });
});
