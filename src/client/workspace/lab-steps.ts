/**
 * The lesson's own instructions for a lab: everything between the "Lab: …" heading and the lab
 * itself (the prediction question, the numbered steps). Focus mode borrows these nodes for its left
 * column and gives them back on the way out. Moving rather than copying keeps an answered
 * prediction answered and every id unique.
 */

/** How far back to look for the heading: a lab's introduction is a handful of blocks. */
const MAX_BLOCKS = 24;

export interface BorrowedSteps {
  readonly nodes: readonly Element[];
  /** Puts the nodes back right before the lab, where they came from. */
  giveBack(): void;
}

/** The blocks before `lab` up to and including the nearest preceding h2; none if there is no h2. */
export function findLabIntro(lab: Element): Element[] {
  const blocks: Element[] = [];
  for (let node = lab.previousElementSibling; node; node = node.previousElementSibling) {
    // The phones' "Jump to the lab" link belongs to the lab, not to its instructions.
    if (node.classList.contains('sbx-jump')) continue;
    blocks.unshift(node);
    if (node.tagName === 'H2') return blocks;
    if (blocks.length >= MAX_BLOCKS) break;
  }
  return [];
}

export function borrowLabIntro(lab: Element, into: Element): BorrowedSteps {
  const nodes = findLabIntro(lab);
  into.append(...nodes);
  return {
    nodes,
    giveBack() {
      if (lab.isConnected) lab.before(...nodes);
    },
  };
}
