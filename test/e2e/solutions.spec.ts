import { expect, test } from '@playwright/test';
import { loadLessonCatalog } from '../../src/integration/lesson-catalog.ts';
import { slugFromId } from '../../src/utils/outline.ts';
import { openLesson, showSolution } from './workspace-helpers.ts';

/** Every lesson with a lab, read the way the build reads them, so a new lab is covered without edits. */
const labs = loadLessonCatalog(process.cwd()).flatMap((entry) =>
  entry.data.sandbox === undefined
    ? []
    : [{ slug: slugFromId(entry.slug), title: entry.data.title, sandbox: entry.data.sandbox }],
);

// A full check run of a multi-instance lab starts several servers; on a busy two-core machine that
// takes as long as the starter's run in lessons.spec.ts, so it gets the same deadlines.
test.describe.configure({ timeout: 180_000 });

for (const lab of labs) {
  test(`"${lab.title}": the solution the lab offers passes every check in the browser`, async ({
    page,
  }) => {
    const scope = await openLesson(page, lab.slug);
    // Until the learner touches the lab it is static code; opening a file loads the workspace.
    await scope.getByRole('tab').first().click();
    const diff = await showSolution(scope);
    await diff.getByRole('button', { name: 'Use solution' }).click();
    await expect(diff).toBeHidden();

    await scope.getByRole('button', { name: 'Check', exact: true }).click();
    const summary = scope.getByRole('region', { name: 'Checks' }).getByRole('status');
    await expect(summary).toContainText(/\d+ of \d+ checks pass/, { timeout: 150_000 });
    const [passed, total] = ((await summary.textContent()) ?? '')
      .match(/(\d+) of (\d+) checks pass/)!
      .slice(1)
      .map(Number);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(passed, `${lab.sandbox}: ${await summary.textContent()}`).toBe(total);
  });
}
