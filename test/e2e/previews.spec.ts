import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { COOKIE_ECHO } from './cookie-echo.ts';
import { runUntilPreview } from './patient-run.ts';
import { lab as labOf, previewOf, replaceEditorText } from './workspace-helpers.ts';

// Generous deadlines: these run beside other work on small machines, and they test what happens,
// not how fast (bench/runtime.ts measures that).
test.describe.configure({ timeout: 180_000 });

test.describe('previews keep their cookies, and only their own', () => {
  test('under npm start, auto runs the lab locally without contacting the WebContainer service', async ({
    page,
  }) => {
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const host = new URL(request.url()).hostname;
      if (host !== '127.0.0.1' && host !== 'localhost' && !host.endsWith('.localhost'))
        elsewhere.push(request.url());
    });
    await page.goto('/lessons/how-this-course-works/');
    const lab = labOf(page);
    await runUntilPreview(page, lab);
    await expect(previewOf(page).getByText('Hello, world!')).toBeVisible();
    await expect(lab).toContainText('Running on the local runtime');
    expect(elsewhere).toEqual([]);
  });

  test('a cookie set in the preview survives Restart, and the preview keeps its address', async ({
    page,
  }) => {
    await page.goto('/lessons/how-this-course-works/');
    const lab = labOf(page);
    await runUntilPreview(page, lab);
    await lab.getByRole('tab', { name: 'server.js' }).click();
    await replaceEditorText(page, lab, COOKIE_ECHO);
    const preview = previewOf(page);
    // The restart after the edit serves the echo server; its first answer sets the cookie.
    await expect(preview.getByText('cookie: none')).toBeVisible({ timeout: 60_000 });
    const frame = page.locator('iframe[title="Preview of your server"]');
    const before = await frame.getAttribute('src');
    await lab.getByRole('button', { name: 'Reload preview' }).click();
    const shown = preview.getByText(/cookie: [\w-]{36}/);
    await expect(shown).toBeVisible();
    const cookie = await shown.textContent();
    const firstRun = await preview.getByText(/run: /).textContent();

    await lab.getByRole('button', { name: 'Restart', exact: true }).click();
    // A new process (another run id) behind the same address, and the browser still sends the cookie.
    await expect(preview.getByText(/run: /)).not.toHaveText(firstRun!, { timeout: 60_000 });
    await expect(preview.getByText(cookie!)).toBeVisible();
    expect(await frame.getAttribute('src')).toBe(before);
    expect(new URL(before!).hostname).toBe('127.0.0.1');
  });

  test('a session from lesson 3’s cart does not show up in lesson 4', async ({ page }) => {
    await page.goto('/lessons/a-server-side-shopping-cart/');
    const cart = labOf(page);
    await runUntilPreview(page, cart);
    // A learner who finished lesson 3: their cart gives this browser a session cookie.
    await cart.getByRole('tab', { name: 'server.js' }).click();
    await replaceEditorText(
      page,
      cart,
      readFileSync('sandboxes/server-cart/solution/server.js', 'utf8'),
    );
    const shop = previewOf(page);
    const cookieNames = async () =>
      (await page.context().cookies('http://127.0.0.1/')).map((cookie) => cookie.name);
    // The edit restarts the server; adding an item then starts a session.
    await expect
      .poll(
        async () => {
          await shop.getByRole('button', { name: 'Add (POST /cart/items)' }).click();
          return cookieNames();
        },
        { timeout: 60_000 },
      )
      .toContain('lab.server-cart.sid');
    await cart.getByRole('button', { name: 'Stop', exact: true }).click();
    // And one cookie no lab scoped: say, set by script in some preview. It reaches no lab either.
    await page
      .context()
      .addCookies([{ name: 'sid', value: 'stray-cookie', domain: '127.0.0.1', path: '/' }]);

    await page.goto('/lessons/stateless-every-request-stands-alone/');
    const stateless = labOf(page);
    await runUntilPreview(page, stateless);
    const recent = stateless.getByRole('list', { name: 'Latest requests, newest first' });
    for (let i = 0; i < 3; i += 1) {
      await stateless.getByRole('button', { name: 'Reload preview' }).click();
    }
    await expect(recent.getByRole('listitem')).not.toHaveCount(0, { timeout: 30_000 });
    const lines = await recent.getByRole('listitem').allTextContents();
    expect(lines.filter((line) => line.includes('session'))).toEqual([]);
  });
});
