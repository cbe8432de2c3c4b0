/**
 * The Shiki themes for every code block (lesson Markdown and the lab's static file view), chosen
 * because their comment and token colours meet WCAG AA contrast on their own backgrounds.
 */
export const codeThemes = { light: 'github-light-default', dark: 'github-dark-default' } as const;
