import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { editorOf, openLesson, replaceEditorText, showSolution } from './workspace-helpers.ts';

const slug = 'how-this-course-works';
const title = 'How this course works';
const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');
const keptEdit = helloStarter.replace('Hello, world!', 'Hello from a kept edit!');

async function checkAndWait(lab: Locator): Promise<string> {
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const summary = lab.getByRole('region', { name: 'Checks' }).getByRole('status');
  await expect(summary).toContainText(/\d+ of \d+ checks pass/, { timeout: 45_000 });
  return (await summary.textContent()) ?? '';
}

async function editHello(page: Page, lab: Locator): Promise<void> {
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await replaceEditorText(page, lab, keptEdit);
  await expect(editorOf(lab)).toContainText('Hello from a kept edit!');
}

test('after a reload the lab shows the saved version and the last check before any click', async ({
  page,
}) => {
  test.setTimeout(120_000); // a full check run, a reload and the editor's download, on a busy machine
  const lab = await openLesson(page, slug);
  await editHello(page, lab);
  const [, passed, total] = /(\d+) of (\d+) checks pass/.exec(await checkAndWait(lab)) ?? [];
  expect(Number(passed)).toBeLessThan(Number(total));

  await page.reload();
  await expect(lab.getByText('Hello from a kept edit!')).toBeVisible();
  await expect(
    lab.getByText(/^Your version \(not the starter\), saved (just now|\d+ minutes? ago)$/),
  ).toBeVisible();
  await expect(lab.getByText(`Last check: ${passed} of ${total} pass, just now`)).toBeVisible();
  // Nothing was clicked: this is still the static first view, not the editor.
  await expect(editorOf(lab)).toHaveCount(0);
  await expect(lab.getByText('Hello, world!')).toHaveCount(0);

  // The live workspace, once it loads, shows the same text and the same result.
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await expect(editorOf(lab)).toContainText('Hello from a kept edit!', { timeout: 30_000 });
  await expect(lab.getByText(`Last check: ${passed} of ${total} pass`)).toBeVisible();
  await expect(lab.getByRole('status').filter({ hasText: 'Your version' })).toBeVisible();
});

test('a corrupt saved entry leaves the starter in the first view', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('svs:edits:v1:hello-server', '{"files":{"server.js":7}}');
  });
  const lab = await openLesson(page, slug);
  await expect(lab.getByText('Hello, world!')).toBeVisible();
  await expect(lab.getByText(/^Your version/)).toHaveCount(0);
});

test('a saved copy that equals the starter shows as the starter, with no label', async ({
  page,
}) => {
  await page.addInitScript((text) => {
    const saved = { files: { 'server.js': text }, savedAt: new Date().toISOString() };
    localStorage.setItem('svs:edits:v1:hello-server', JSON.stringify(saved));
  }, helloStarter);
  const lab = await openLesson(page, slug);
  await expect(lab.getByText('Hello, world!')).toBeVisible();
  await expect(lab.getByText(/^Your version/)).toHaveCount(0);
  await expect(lab.getByRole('tab', { name: 'server.js' })).not.toHaveAttribute('data-edited');
});

test('the home page offers to continue a lab in progress, and to start when storage is blocked', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Start the course' })).toBeVisible();

  const lab = await openLesson(page, slug);
  await editHello(page, lab);
  await page.goto('/');
  const resume = page.getByRole('link', { name: `Continue: ${title} (lab in progress)` });
  await expect(resume).toHaveAttribute('href', `/lessons/${slug}/#sbx-hello-server`);
  await expect(page.getByRole('link', { name: 'Start the course' })).toHaveCount(0);
  await resume.click();
  await expect(lab.getByText('Hello from a kept edit!')).toBeInViewport();

  const blocked = await browser.newPage();
  await blocked.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await blocked.goto('/');
  await expect(blocked.getByRole('link', { name: 'Start the course' })).toBeVisible();
  await blocked.close();
});

test('with a lesson finished and no lab in progress, the home page leads to the next lesson', async ({
  page,
}) => {
  await page.addInitScript((key) => {
    const progress = {
      passedChecks: ['a'],
      totalChecks: 1,
      answered: [],
      completedAt: '2026-01-01T00:00:00.000Z',
      solutionShownAt: null,
      checkedAt: '2026-01-01T00:00:00.000Z',
    };
    localStorage.setItem(key, JSON.stringify(progress));
  }, `svs:progress:v1:${slug}`);
  await page.goto('/');
  const next = page.locator('#outline a[data-lesson-slug]').nth(1);
  const nextTitle = (await next.locator('[data-lesson-title]').textContent())?.trim() ?? '';
  const resume = page.getByRole('link', { name: `Continue: ${nextTitle}`, exact: true });
  await expect(resume).toHaveAttribute('href', (await next.getAttribute('href')) ?? '');
});

test('a lesson finished with the solution is marked apart, after the unread hints were offered', async ({
  page,
}) => {
  test.setTimeout(120_000); // a full check run on a busy machine
  const lab = await openLesson(page, slug);
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await lab.getByRole('button', { name: 'Show solution', exact: true }).click();
  await expect(lab.getByText("You haven't opened 5 hints yet.")).toBeVisible();
  await lab.getByRole('button', { name: 'Open the first hint' }).click();
  await expect(
    lab.getByText(/^Hint for “Your server answers GET \/ with status 200”/),
  ).toBeVisible();
  await expect(lab.getByText('4 more hints left.')).toBeVisible();
  // Backing out changes nothing: the lesson is not marked as helped.
  await lab.getByRole('button', { name: 'Back to my code' }).click();
  await expect(lab.getByRole('button', { name: 'Show solution', exact: true })).toBeFocused();

  const diff = await showSolution(lab);
  await diff.getByRole('button', { name: 'Use solution' }).click();
  expect(await checkAndWait(lab)).toMatch(/(\d) of \1 checks pass/);

  const nav = page.getByRole('navigation', { name: 'Course' });
  const entry = nav.getByRole('link', { name: `${title} (completed with the solution)` });
  await expect(entry).toHaveAttribute('data-outcome', 'with-solution');
  await page.goto('/');
  await expect(
    page.locator('#outline').getByRole('link', { name: new RegExp(title) }),
  ).toContainText('completed with the solution');
});
