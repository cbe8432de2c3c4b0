import { expect, test } from '@playwright/test';
import { lab as labOf, previewOf } from './workspace-helpers.ts';

// These machines have no internet, which is exactly a learner on a train: the in-browser runtime
// cannot reach its service, and the page must say so and offer the local runtime.
test('offline, ?runtime=webcontainer explains the problem and the local runtime takes over', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('/lessons/how-this-course-works/?runtime=webcontainer');
  const lab = labOf(page);
  await lab.getByRole('button', { name: 'Run', exact: true }).click();

  const problem = lab.getByRole('alert');
  await expect(problem).toContainText('could not reach the WebContainer service', {
    timeout: 25_000,
  });
  // Both causes a learner can fix, since the page cannot tell them apart.
  await expect(problem).toContainText('offline');
  await expect(problem).toContainText('third-party cookies and storage');
  await problem.getByRole('button', { name: 'Use the local runtime' }).click();
  await expect(previewOf(page).getByText('Hello, world!')).toBeVisible({ timeout: 20_000 });
  await expect(lab).toContainText('Running on the local runtime');
});
