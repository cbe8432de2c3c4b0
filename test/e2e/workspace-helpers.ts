import { expect, type Locator, type Page } from '@playwright/test';

/** The lab on a lesson page, found by its accessible name ("Lab …"). */
export function lab(page: Page): Locator {
  return page.getByRole('region', { name: /^Lab\b/ });
}

export function editorOf(scope: Locator): Locator {
  return scope.getByRole('textbox', { name: /^Code editor/ });
}

export function previewOf(page: Page) {
  return page.frameLocator('iframe[title="Preview of your server"]');
}

/**
 * Replaces the open file's text the way a paste would (CodeMirror's auto-closing brackets and
 * auto-indent would otherwise rewrite typed code).
 */
export async function replaceEditorText(page: Page, scope: Locator, text: string): Promise<void> {
  const editor = editorOf(scope);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

/** Opens a lesson on the local runtime with no leftovers from other tests in this browser. */
export async function openLesson(page: Page, slug: string): Promise<Locator> {
  await page.goto(`/lessons/${slug}/?runtime=local`);
  const scope = lab(page);
  await expect(scope).toBeVisible();
  return scope;
}

/** Clicks Run and waits until the preview shows the server's page. */
export async function runAndWaitForPreview(page: Page, scope: Locator): Promise<void> {
  await scope.getByRole('button', { name: 'Run', exact: true }).click();
  // The first click also downloads the editor and the runtime: slow on a busy machine.
  await expect(scope.getByRole('button', { name: 'Stop', exact: true })).toHaveAttribute(
    'aria-disabled',
    'false',
    { timeout: 30_000 },
  );
  await expect(page.locator('iframe[title="Preview of your server"]')).toBeVisible({
    timeout: 20_000,
  });
}

/**
 * Presses Show solution and, when the lab first offers the unread hints, chooses the solution
 * anyway. Returns the side-by-side view.
 */
export async function showSolution(scope: Locator): Promise<Locator> {
  await scope.getByRole('button', { name: 'Show solution', exact: true }).click();
  const diff = scope.getByRole('region', { name: 'Your code and the solution side by side' });
  const anyway = scope.getByRole('button', { name: 'Show the solution anyway' });
  await expect(diff.or(anyway)).toBeVisible({ timeout: 20_000 });
  if (await anyway.isVisible()) await anyway.click();
  await expect(diff).toBeVisible({ timeout: 20_000 });
  return diff;
}
