import { expect, test } from '@playwright/test';
import { editorOf, openLesson, replaceEditorText } from './workspace-helpers.ts';

test('with site storage blocked, a lesson still works and says once that progress cannot be saved', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // What a browser does when the learner blocks site data: touching localStorage throws.
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  const lab = await openLesson(page, 'how-this-course-works');
  const notice = page.getByText('progress and edits cannot be saved');
  await expect(notice).toBeVisible();

  // The theme switch still switches.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // The lab loads, edits and checks.
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await replaceEditorText(page, lab, '// my edit\n');
  await expect(editorOf(lab)).toContainText('// my edit');
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(lab.getByRole('region', { name: 'Checks' }).getByRole('status')).toContainText(
    /\d of \d+ checks pass/,
    { timeout: 45_000 },
  );

  // A question still grades.
  const question = page.locator('form', {
    has: page.getByRole('group', { name: /what makes a server stateful/ }),
  });
  await question.getByRole('radio').first().check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).not.toBeEmpty();

  await expect(notice).toHaveCount(1);
  expect(errors).toEqual([]);
});
