import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  editorOf,
  openLesson,
  previewOf,
  replaceEditorText,
  runAndWaitForPreview,
} from './workspace-helpers.ts';

const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');

test('a crash on start names the file and line, shows it, and the next edit restarts the server', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const lab = await openLesson(page, 'how-this-course-works');
  await runAndWaitForPreview(page, lab);

  // Line 7 becomes a syntax error; saving restarts the server, which crashes.
  const lines = helloStarter.split('\n');
  lines[6] = "    res.end('Hello, world!';";
  await replaceEditorText(page, lab, lines.join('\n'));
  const banner = lab.getByRole('alert').filter({ hasText: 'SyntaxError in server.js:7' });
  await expect(banner).toBeVisible({ timeout: 60_000 });
  // The gutter marks the line, on the line the error came from.
  const sign = lab.locator('.ws-crash-gutter .ws-crash-sign');
  await expect(sign).toHaveCount(1);
  await expect(sign).toHaveAttribute('title', /SyntaxError/);
  const marked = lab.locator('.cm-line.ws-crash-line');
  await expect(marked).toHaveText("    res.end('Hello, world!';");
  await banner.getByRole('button', { name: 'Show line 7' }).click();
  await expect(editorOf(lab)).toBeFocused();

  // The fix alone (no Run) brings the server back.
  await replaceEditorText(page, lab, helloStarter.replace('Hello, world!', 'Back again!'));
  await expect(previewOf(page).getByText('Back again!')).toBeVisible({ timeout: 60_000 });
  await expect(banner).toBeHidden();
  await expect(sign).toHaveCount(0);
});
