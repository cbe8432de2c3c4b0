import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { runUntilPreview } from './patient-run.ts';
import { openLesson, previewOf, replaceEditorText } from './workspace-helpers.ts';

const helloStarter = readFileSync('sandboxes/hello-server/starter/server.js', 'utf8');

// Two CPU-bound processes beside the browser: the load under which a restart used to stick.
let busy: ChildProcess[] = [];
test.beforeAll(() => {
  busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
});
test.afterAll(() => {
  for (const child of busy) child.kill('SIGKILL');
});

test('20 edits in a row under CPU load: each ends with the preview showing the latest code', async ({
  page,
}) => {
  test.setTimeout(20 * 15_000 + 60_000);
  const lab = await openLesson(page, 'how-this-course-works');
  await runUntilPreview(page, lab);
  await lab.getByRole('tab', { name: 'server.js' }).click();
  for (let edit = 1; edit <= 20; edit += 1) {
    const greeting = `Edit number ${edit} is live`;
    await replaceEditorText(page, lab, helloStarter.replace('Hello, world!', greeting));
    await expect(previewOf(page).getByText(greeting)).toBeVisible({ timeout: 10_000 });
  }
});
