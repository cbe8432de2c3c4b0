import { expect, test } from '@playwright/test';
import { COOKIE_ECHO } from './cookie-echo.ts';
import { runUntilPreview } from './patient-run.ts';
import { lab as labOf, previewOf, replaceEditorText } from './workspace-helpers.ts';

// Generous deadlines: these run beside other work on small machines, and they test what happens,
// not how fast (bench/runtime.ts measures that).
test.describe.configure({ timeout: 180_000 });

test.describe('previews keep their cookies', () => {
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
});
