/**
 * The editor's file tabs. The static first view rendered them (so the lab reads without JS); this
 * makes them switch the live editor, with arrow keys as well as clicks.
 */
import { rovingTabs } from './roving-tabs.ts';

export interface FileTabs {
  /** Selects the tab for `path` without moving focus. */
  show(path: string): void;
}

export function createFileTabs(list: HTMLElement, open: (path: string) => void): FileTabs {
  const tabs = () => [...list.querySelectorAll<HTMLElement>('[data-file]')];
  const roving = rovingTabs(list, {
    tabs,
    activate: (tab) => open(tab.dataset['file'] ?? ''),
  });
  return {
    show(path) {
      const tab = tabs().find((each) => each.dataset['file'] === path);
      if (tab) roving.select(tab);
    },
  };
}
