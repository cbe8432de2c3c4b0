import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openLesson, replaceEditorText } from './workspace-helpers.ts';

const helloSolution = readFileSync('sandboxes/hello-server/solution/server.js', 'utf8');

test('Check: the starter fails with a clear message, the typed fix passes, progress survives a reload', async ({
  page,
}) => {
  const lab = await openLesson(page, 'how-this-course-works');
  await lab.getByRole('button', { name: 'Check', exact: true }).click();

  const checks = lab.getByRole('region', { name: 'Checks' });
  const greeting = checks
    .getByRole('listitem')
    .filter({ hasText: 'The reply to GET / says Hello, learner!' });
  await expect(greeting).toContainText('Failed', { timeout: 30_000 });
  await expect(greeting).toContainText('Expected GET / to answer "Hello, learner!"');
  await expect(checks.getByRole('status')).toContainText(/\d of 5 checks pass/);

  // A failed check offers its hint from sandbox.json, hidden until asked for.
  await greeting.getByRole('button', { name: 'Show hint' }).click();
  await expect(greeting).toContainText('Match the sentence exactly');

  await lab.getByRole('tab', { name: 'server.js' }).click();
  await replaceEditorText(page, lab, helloSolution);
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(checks.getByRole('status')).toContainText('5 of 5 checks pass', { timeout: 30_000 });
  await expect(checks.getByRole('listitem').filter({ hasText: 'Failed' })).toHaveCount(0);
  await expect(checks.getByRole('link', { name: /^Next lesson:/ })).toBeVisible();

  await page.reload();
  const sidebarLink = page
    .getByRole('navigation', { name: 'Course' })
    .getByRole('link', { name: /How this course works/ });
  await expect(sidebarLink).toHaveAttribute('data-complete', 'true');
});
