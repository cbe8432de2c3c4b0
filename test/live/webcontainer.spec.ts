/**
 * The in-browser runtime against the real WebContainer service, through the page only (the same
 * buttons a learner presses, with `?runtime=webcontainer`). Skipped unless LIVE_WEBCONTAINER=1;
 * CONTRIBUTING.md says how to run it. Each behaviour here is also covered against the fake
 * WebContainer in test/unit/runtime/webcontainer/runtime.test.ts, which runs everywhere.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { loadLessonCatalog } from '../../src/integration/lesson-catalog.ts';
import { slugFromId } from '../../src/utils/outline.ts';
import { COOKIE_ECHO } from '../e2e/cookie-echo.ts';
import { previewOf, replaceEditorText, showSolution } from '../e2e/workspace-helpers.ts';

test.skip(process.env['LIVE_WEBCONTAINER'] !== '1', 'set LIVE_WEBCONTAINER=1 (needs internet)');

const labs = loadLessonCatalog(process.cwd()).flatMap((entry) =>
  entry.data.sandbox === undefined
    ? []
    : [{ slug: slugFromId(entry.slug), sandbox: entry.data.sandbox }],
);

async function openOnWebContainer(page: Page, slug: string): Promise<Locator> {
  await page.goto(`/lessons/${slug}/?runtime=webcontainer`);
  const lab = page.getByRole('region', { name: /^Lab\b/ });
  await expect(lab).toBeVisible();
  return lab;
}

async function run(page: Page, lab: Locator): Promise<void> {
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab).toContainText('Running in your browser (WebContainer)', { timeout: 60_000 });
  await expect(page.locator('iframe[title="Preview of your server"]')).toBeVisible({
    timeout: 60_000,
  });
}

async function checkSummary(lab: Locator): Promise<{ passed: number; total: number }> {
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const summary = lab.getByRole('region', { name: 'Checks' }).getByRole('status');
  await expect(summary).toContainText(/\d+ of \d+ checks pass/, { timeout: 120_000 });
  const [passed = 0, total = 0] = ((await summary.textContent()) ?? '')
    .match(/(\d+) of (\d+) checks pass/)!
    .slice(1)
    .map(Number);
  return { passed, total };
}

for (const { slug, sandbox } of labs) {
  test(`${sandbox}: the solution passes every check and the starter fails one`, async ({
    page,
  }) => {
    page.on('dialog', (dialog) => void dialog.accept());
    const lab = await openOnWebContainer(page, slug);
    await lab.getByRole('tab').first().click();
    const starter = await checkSummary(lab);
    expect(starter.passed).toBeLessThan(starter.total);

    const diff = await showSolution(lab);
    await diff.getByRole('button', { name: 'Use solution' }).click();
    const solution = await checkSummary(lab);
    expect(solution.total).toBeGreaterThanOrEqual(3);
    expect(solution.passed).toBe(solution.total);
  });
}

test('a cluster lab: killing an instance moves its traffic to the others', async ({ page }) => {
  const lab = await openOnWebContainer(page, 'stateless-every-request-stands-alone');
  await run(page, lab);
  const table = lab.getByRole('table', { name: 'Instances behind the load balancer' });
  const row = (n: number) => table.getByRole('row', { name: new RegExp(`^Instance ${n}\\b`) });
  for (const n of [1, 2, 3]) await expect(row(n)).toContainText('up');
  await lab.getByRole('button', { name: 'Kill instance 2' }).click();
  await expect(row(2)).toContainText('down');
  const servedBy2 = await row(2).getByRole('cell').nth(1).textContent();
  for (let i = 0; i < 4; i += 1) await lab.getByRole('button', { name: 'Reload preview' }).click();
  const recent = lab.getByRole('list', { name: 'Latest requests, newest first' });
  await expect(recent.getByRole('listitem').first()).toContainText(/instance [13]/);
  await expect(row(2).getByRole('cell').nth(1)).toHaveText(servedBy2 ?? '');
});

test('a cookie set in the preview survives Restart', async ({ page }) => {
  const lab = await openOnWebContainer(page, 'how-this-course-works');
  await run(page, lab);
  await lab.getByRole('tab', { name: 'server.js' }).click();
  await replaceEditorText(page, lab, COOKIE_ECHO);
  await expect(previewOf(page).getByText('cookie: none')).toBeVisible();
  await lab.getByRole('button', { name: 'Reload preview' }).click();
  const shown = previewOf(page).getByText(/cookie: [\w-]{36}/);
  await expect(shown).toBeVisible();
  const cookie = await shown.textContent();
  const firstRun = await previewOf(page).getByText(/run: /).textContent();
  await lab.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(previewOf(page).getByText(/run: /)).not.toHaveText(firstRun!);
  await expect(previewOf(page).getByText(cookie!)).toBeVisible();
});

test('no port answers after Stop, and the page names nothing left running', async ({
  page,
  context,
}) => {
  const lab = await openOnWebContainer(page, 'stateless-every-request-stands-alone');
  await run(page, lab);
  const frame = page.locator('iframe[title="Preview of your server"]');
  const previewUrl = (await frame.getAttribute('src'))!;
  await lab.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(lab.getByRole('status').filter({ hasText: 'Stopped.' })).toBeVisible();
  await expect(lab).not.toContainText('would not stop');
  await expect(lab).not.toContainText('still answers');
  // The balancer's own preview, opened directly, no longer reaches a server.
  const tab = await context.newPage();
  await tab.goto(previewUrl).catch(() => null);
  await expect(tab.locator('body')).not.toContainText('quote', { timeout: 10_000 });
  await tab.close();
});

test('Open in new tab shows the server’s page', async ({ page, context }) => {
  const lab = await openOnWebContainer(page, 'how-this-course-works');
  await run(page, lab);
  await expect(previewOf(page).getByText('Hello, world!')).toBeVisible();
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    lab.getByRole('link', { name: 'Open in new tab' }).click(),
  ]);
  await expect(tab.getByText('Hello, world!')).toBeVisible({ timeout: 60_000 });
});
