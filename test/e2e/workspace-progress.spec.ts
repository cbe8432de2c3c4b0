import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openLesson, replaceEditorText } from './workspace-helpers.ts';

const cartStarter = readFileSync('sandboxes/scale-out-cart/starter/server.js', 'utf8');
const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');
/**
 * The starter with a slow start, as a server that warms a cache first would have: instance n
 * listens n × 3 s after it starts, so each count of instances up lasts long enough to be seen.
 */
const slowStarter = cartStarter.replace(
  'server.listen(',
  'await new Promise((resolve) => setTimeout(resolve, 3000 * Number(process.env.INSTANCE)));\nserver.listen(',
);

/**
 * Records every text an element matching `selector` is given, in order, with the time the page
 * saw it. A MutationObserver keeps each text even when several arrive in one burst, so the test
 * never depends on polling at the right moment.
 */
async function recordTexts(page: Page, name: string, selector: string): Promise<void> {
  await page.evaluate(
    ({ name, selector }) => {
      const log: Array<{ text: string; at: number }> = [];
      (window as unknown as Record<string, unknown>)[name] = log;
      new MutationObserver((records) => {
        const at = performance.now();
        for (const record of records) {
          const target =
            record.target instanceof Element ? record.target : record.target.parentElement;
          if (!target?.matches(selector)) continue;
          for (const node of record.addedNodes) log.push({ text: node.textContent ?? '', at });
        }
      }).observe(document.body, { childList: true, subtree: true });
    },
    { name, selector },
  );
}

/** Records every value the progress bars' aria-valuetext takes, in order. */
async function recordValueTexts(page: Page, name: string): Promise<void> {
  await page.evaluate((name) => {
    const log: string[] = [];
    (window as unknown as Record<string, unknown>)[name] = log;
    new MutationObserver((records) => {
      for (const record of records) {
        const value = (record.target as Element).getAttribute('aria-valuetext');
        if (value !== null && value !== log.at(-1)) log.push(value);
      }
    }).observe(document.body, {
      attributes: true,
      attributeFilter: ['aria-valuetext'],
      subtree: true,
    });
  }, name);
}

/** What a recorder above has collected so far. */
async function recorded<T>(page: Page, name: string): Promise<T[]> {
  return page.evaluate(
    (name) => ((window as unknown as Record<string, unknown>)[name] ?? []) as T[],
    name,
  );
}

type Seen = { text: string; at: number };

/** axe's serious and critical findings inside `selector` (the progress bar, as shown). */
async function severeProblems(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`);
}

/** True when nothing around the element would read its every change aloud. */
async function outsideLiveRegions(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el.closest('[aria-live], [role="status"], [role="log"]') === null);
}

test.describe('progress on long waits (local runtime, 3 instances)', () => {
  test('Run shows instances coming up one by one, and announces only the start and the end', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const lab = await openLesson(page, 'scalability');
    await lab.getByRole('tab', { name: 'server.js' }).click();
    await replaceEditorText(page, lab, slowStarter);
    await recordTexts(page, 'statusLog', '.ws-status');
    await recordValueTexts(page, 'barLog');

    await lab.getByRole('button', { name: 'Run', exact: true }).click();
    const bar = lab.getByRole('progressbar', { name: 'Starting your server' });
    const view = lab.locator('.ws-preview__view');
    await expect(bar).toHaveAttribute('aria-valuetext', /1 of 3 instances up/, {
      timeout: 90_000,
    });
    await expect(lab.getByText('Starting your servers: 1 of 3 instances up')).toBeVisible();
    await expect(view).toHaveAttribute('aria-busy', 'true');
    expect(await outsideLiveRegions(bar)).toBe(true);
    const panes = lab.locator('.ws-lower');
    await panes.screenshot({ path: test.info().outputPath('start-progress-light.png') });
    expect(await severeProblems(page, '.ws-progress--start')).toEqual([]);

    const status = lab.locator('.ws-status');
    await expect(status).toHaveText('Your servers are running: 3 of 3 instances up.', {
      timeout: 30_000,
    });
    await expect(bar).toBeHidden();
    await expect(view).not.toHaveAttribute('aria-busy', 'true');

    // The bar went through each count, silently.
    const values = await recorded<string>(page, 'barLog');
    const counts = values.flatMap((v) => /(\d) of 3 instances up/.exec(v)?.[1] ?? []);
    expect(counts).toEqual(['0', '1', '2', '3']);
    expect(values.slice(0, 3)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Step 3 of 4: Copying \d+ files$/)]),
    );

    // The live status line said "Starting…" and then the end, never each count in between.
    const said = (await recorded<Seen>(page, 'statusLog')).map((entry) => entry.text);
    expect(said[0]).toMatch(/^Start/);
    expect(said.at(-1)).toBe('Your servers are running: 3 of 3 instances up.');
    expect(said.filter((text) => /instances up/.test(text))).toHaveLength(1);

    // Restart shows the same progress again (here in the dark theme, for the screenshot).
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await lab.getByRole('button', { name: 'Restart', exact: true }).click();
    await expect(bar).toHaveAttribute('aria-valuetext', /1 of 3 instances up/, {
      timeout: 60_000,
    });
    await panes.screenshot({ path: test.info().outputPath('start-progress-dark.png') });
    expect(await severeProblems(page, '.ws-progress--start')).toEqual([]);
    await expect(status).toHaveText('Your servers are running: 3 of 3 instances up.', {
      timeout: 30_000,
    });
    await lab.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(status).toHaveText('Stopped.', { timeout: 30_000 });
  });

  test('Check counts the checks as each result arrives, not all at the end', async ({ page }) => {
    test.setTimeout(180_000);
    const lab = await openLesson(page, 'scalability');
    await lab.getByRole('tab', { name: 'server.js' }).click();
    await expect(lab.getByRole('textbox', { name: /^Code editor/ })).toBeVisible({
      timeout: 30_000,
    });
    await recordTexts(page, 'summaryLog', '.ws-check-summary');

    await lab.getByRole('button', { name: 'Check', exact: true }).click();
    const bar = lab.getByRole('progressbar', { name: 'Check progress' });
    await expect(bar).toHaveAttribute('aria-valuetext', /^[1-9]\d* of \d+ checks done/, {
      timeout: 90_000,
    });
    expect(await outsideLiveRegions(bar)).toBe(true);
    await expect(lab.getByRole('region', { name: 'Checks' })).toHaveAttribute('aria-busy', 'true');
    const toolbar = lab.locator('[data-sbx-actions]');
    await toolbar.screenshot({ path: test.info().outputPath('check-progress-light.png') });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await toolbar.screenshot({ path: test.info().outputPath('check-progress-dark.png') });

    const checks = lab.getByRole('region', { name: 'Checks' });
    await expect(checks.getByRole('status')).toContainText(/\d+ of \d+ checks pass/, {
      timeout: 120_000,
    });
    await expect(bar).toBeHidden();
    await expect(checks).not.toHaveAttribute('aria-busy', 'true');

    const log = await recorded<Seen>(page, 'summaryLog');
    const counts = log
      .map((entry) => ({ ...entry, match: /^Checking… (\d+) of (\d+)$/.exec(entry.text) }))
      .filter((entry) => entry.match !== null);
    const total = Number(counts[0]?.match?.[2]);
    expect(total).toBeGreaterThan(1);
    const done = counts.map((entry) => Number(entry.match?.[1]));
    // The count only goes up, and passes through every number on its way: one step per result.
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const steps = new Set(done);
    for (let n = 0; n < total; n += 1)
      expect(steps.has(n), `"Checking… ${n} of ${total}"`).toBe(true);
    // The first result was shown before the run ended, in an earlier update of the page.
    const final = log.at(-1)!;
    expect(final.text).toMatch(new RegExp(`^\\d+ of ${total} pass$`));
    const firstResult = counts.find((entry) => entry.match?.[1] === '1')!;
    expect(firstResult.at).toBeLessThan(final.at);
  });
});

test('the load generator shows a progress bar with live requests/s, and announces its start and summary once', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const lab = await openLesson(page, 'how-this-course-works');
  await lab.getByRole('tab', { name: 'server.js' }).click();
  // A learner's server that, once listening, puts itself under the kit's load generator for 4 s.
  const underLoad = `${helloStarter}
import { load, printProgress } from './_kit/load.mjs';
server.on('listening', async () => {
  const summary = await load(\`http://\${host}:\${port}\`, {
    concurrency: 4,
    duration: '4s',
    onProgress: printProgress,
  });
  console.log(\`load done: \${summary.requests} requests\`);
});
`;
  await replaceEditorText(page, lab, underLoad);
  await recordTexts(page, 'loadSaid', '.ws-load [role="status"]');

  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  const bar = lab.getByRole('progressbar', { name: 'Load generator' });
  await expect(bar).toHaveAttribute('aria-valuetext', /of 4\.0 s, \d+ requests\/s$/, {
    timeout: 60_000,
  });
  await expect(lab.getByText(/^Load running: \d+ requests\/s · [\d.]+ s of 4\.0 s/)).toBeVisible();
  const strip = lab.locator('.ws-load');
  await expect(strip).toHaveAttribute('aria-busy', 'true');
  expect(await outsideLiveRegions(bar)).toBe(true);
  await strip.screenshot({ path: test.info().outputPath('load-progress-light.png') });

  // The summary stays in view (the live region beside it says it once, for screen readers).
  const label = strip.locator('.ws-progress__label');
  await expect(label).toHaveText(/^Load finished: \d+ requests in [\d.]+ s, \d+ requests\/s$/, {
    timeout: 60_000,
  });
  await expect(label).toBeVisible();
  await expect(strip).not.toHaveAttribute('aria-busy', 'true');
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await strip.screenshot({ path: test.info().outputPath('load-progress-dark.png') });
  expect(await severeProblems(page, '.ws-load')).toEqual([]);
  // The event lines never reach the terminal; the learner's own line does.
  await expect(lab.locator('.ws-terminal__host')).toContainText('load done:');
  await expect(lab.locator('.ws-terminal__host')).not.toContainText('@@svs-event');

  const said = (await recorded<Seen>(page, 'loadSaid')).map((entry) => entry.text);
  expect(said).toHaveLength(2);
  expect(said[0]).toBe('The load generator is running.');
  expect(said[1]).toMatch(/^Load finished: /);
  await lab.getByRole('button', { name: 'Stop', exact: true }).click();
});
