import { expect, test } from '@playwright/test';
import { node22Binary, NODE22_VERSION } from '../../src/grading/node22.ts';
import {
  openLesson,
  previewOf,
  replaceEditorText,
  runAndWaitForPreview,
  showSolution,
} from './workspace-helpers.ts';

// The second web server in playwright.config.ts: `npm start` with its runner on Node 22.
const node22Port = Number(
  process.env['E2E_NODE22_PORT'] ?? Number(process.env['E2E_PORT'] ?? 4399) + 1,
);
test.use({ baseURL: `http://127.0.0.1:${node22Port}` });

// Without a Node 22 binary the config starts no second server; say why instead of timing out.
test.beforeAll(() => void node22Binary());

test('Check through the page with the runner on Node 22: the starter fails one, the solution passes all', async ({
  page,
}) => {
  test.setTimeout(150_000); // two Check runs and one Run, on a shared two-core machine
  const lab = await openLesson(page, 'how-this-course-works');

  // The runner really runs learner code on Node 22: a server that answers with its own version.
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await replaceEditorText(
    page,
    lab,
    `import http from 'node:http';
http.createServer((req, res) => res.end('running on ' + process.version))
  .listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');`,
  );
  await runAndWaitForPreview(page, lab);
  await expect(previewOf(page).locator('body')).toContainText(`running on v${NODE22_VERSION}`, {
    timeout: 20_000,
  });

  page.once('dialog', (dialog) => void dialog.accept()); // "Reset every file to the starter code?"
  await lab.getByRole('button', { name: 'Reset', exact: true }).click();
  const checks = lab.getByRole('region', { name: 'Checks' });
  const summary = checks.getByRole('status');
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary).toContainText(/\d+ of \d+ checks pass/, { timeout: 45_000 });
  const [, passed, total] =
    /(\d+) of (\d+) checks pass/.exec((await summary.textContent()) ?? '') ?? [];
  expect(Number(passed)).toBeLessThan(Number(total));
  await expect(checks.getByRole('listitem').filter({ hasText: 'Failed' }).first()).toBeVisible();

  const diff = await showSolution(lab);
  await diff.getByRole('button', { name: 'Use solution' }).click();
  await expect(diff).toBeHidden();
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary).toContainText(`${total} of ${total} checks pass`, { timeout: 45_000 });
  await expect(checks.getByRole('listitem').filter({ hasText: 'Failed' })).toHaveCount(0);

  // Stop the server started above, so nothing of this test outlives it.
  await lab.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(lab.getByText('Your server is stopped.').first()).toBeVisible();
});
