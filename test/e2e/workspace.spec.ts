import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  editorOf,
  openLesson,
  previewOf,
  replaceEditorText,
  runAndWaitForPreview,
  showSolution,
} from './workspace-helpers.ts';

const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');

test.describe('the lab workspace (local runtime)', () => {
  test('run, edit with automatic restart, reload keeps the edit, reset, solution and undo', async ({
    page,
  }) => {
    page.on('dialog', (dialog) => void dialog.accept());
    const lab = await openLesson(page, 'how-this-course-works');

    // Before any interaction the lab is static, highlighted code.
    await expect(lab.getByRole('tabpanel', { name: 'server.js' })).toContainText(
      "res.end('Hello, world!')",
    );

    await runAndWaitForPreview(page, lab);
    await expect(previewOf(page).getByText('Hello, world!')).toBeVisible();

    await replaceEditorText(page, lab, helloStarter.replace('Hello, world!', 'Hello from e2e!'));
    // Saving restarts the server after a short pause; the preview follows.
    await expect(previewOf(page).getByText('Hello from e2e!')).toBeVisible({ timeout: 20_000 });

    await page.reload();
    await lab.getByRole('tab', { name: 'server.js' }).click();
    await expect(editorOf(lab)).toContainText('Hello from e2e!');

    await lab.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect(editorOf(lab)).toContainText('Hello, world!');
    await expect(editorOf(lab)).not.toContainText('Hello from e2e!');

    // Put an edit back, look at the solution, use it, then undo: the edit is intact.
    await lab.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect(editorOf(lab)).toContainText('Hello from e2e!');
    const diff = await showSolution(lab);
    await expect(diff).toContainText('Hello, learner!');
    await diff.getByRole('button', { name: 'Use solution' }).click();
    await expect(editorOf(lab)).toContainText('Hello, learner!');
    await lab.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect(editorOf(lab)).toContainText('Hello from e2e!');
    await expect(editorOf(lab)).not.toContainText('Hello, learner!');
  });

  test('Escape then Tab leaves the editor', async ({ page }) => {
    const lab = await openLesson(page, 'how-this-course-works');
    await lab.getByRole('tab', { name: 'server.js' }).click();
    const editor = editorOf(lab);
    await editor.click();
    await page.keyboard.press('Tab');
    await expect(editor).toBeFocused();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(editor).not.toBeFocused();
  });

  test('a three-instance lab: kill instance 2 and the others take the traffic', async ({
    page,
  }) => {
    const lab = await openLesson(page, 'stateless-every-request-stands-alone');
    await runAndWaitForPreview(page, lab);
    const table = lab.getByRole('table', { name: 'Instances behind the load balancer' });
    const row = (n: number) => table.getByRole('row', { name: new RegExp(`^Instance ${n}\\b`) });
    for (const n of [1, 2, 3]) await expect(row(n)).toContainText('up', { timeout: 15_000 });

    await lab.getByRole('button', { name: 'Kill instance 2' }).click();
    await expect(row(2)).toContainText('down');
    const servedBy2 = Number(await row(2).getByRole('cell').nth(1).textContent());

    const recent = lab.getByRole('list', { name: 'Latest requests, newest first' });
    const requestsTo = async (n: number) =>
      Number(await row(n).getByRole('cell').nth(1).textContent());
    const servedByOthers = async () => (await requestsTo(1)) + (await requestsTo(3));
    // Every reload is one more request, and each one must land on a live instance.
    for (let i = 0; i < 4; i += 1) {
      const before = await servedByOthers();
      await lab.getByRole('button', { name: 'Reload preview' }).click();
      await expect.poll(servedByOthers).toBeGreaterThan(before);
    }
    await expect(row(2).getByRole('cell').nth(1)).toHaveText(String(servedBy2));
    await expect(recent.getByRole('listitem').first()).not.toContainText('instance 2');
  });

  test('a three-instance lab: drain and restart an instance from the keyboard', async ({
    page,
  }) => {
    const lab = await openLesson(page, 'stateless-every-request-stands-alone');
    await runAndWaitForPreview(page, lab);
    const table = lab.getByRole('table', { name: 'Instances behind the load balancer' });
    const row = (n: number) => table.getByRole('row', { name: new RegExp(`^Instance ${n}\\b`) });
    for (const n of [1, 2, 3]) await expect(row(n)).toContainText('up', { timeout: 15_000 });

    await lab.getByRole('button', { name: 'Drain instance 1' }).focus();
    await page.keyboard.press('Enter');
    await expect(row(1).getByRole('cell').first()).toHaveText('down', { timeout: 15_000 });
    await expect(lab.getByRole('button', { name: 'Drain instance 1' })).toBeDisabled();

    await lab.getByRole('button', { name: 'Restart instance 1' }).focus();
    await page.keyboard.press('Space');
    await expect(row(1).getByRole('cell').first()).toHaveText('up', { timeout: 15_000 });
  });
});
