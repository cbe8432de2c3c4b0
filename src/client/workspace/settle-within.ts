/** A wait with a ceiling: for work whose result does not matter, only that it is over. */

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
export function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}
