/**
 * The course's own labs keep enough wrong and alternative answers for a green Check to mean
 * something: a lab that loses mutants or variants would still grade "ok" in `npm run grade`, so the
 * floor is held here, where it fails fast without starting a single server.
 */
import { describe, expect, it } from 'vitest';
import { readAlternatives } from '../../../src/sandbox/alternatives.ts';
import { listLabIds, readKitSources, readLab } from '../../../src/sandbox/load.ts';

const MIN_MUTANTS = 6;
const MIN_VARIANTS = 3;

describe("the course's labs", () => {
  const kit = readKitSources();
  const ids = listLabIds();

  it('are all found', () => {
    expect(ids.length).toBeGreaterThanOrEqual(18);
  });

  it.each(ids)('%s has well-formed mutants and variants, enough of each', (id) => {
    const lab = readLab(id, undefined, kit);
    const mutants = readAlternatives(lab, 'mutants');
    const variants = readAlternatives(lab, 'variants');
    expect([...mutants.problems, ...variants.problems]).toEqual([]);
    expect(
      mutants.alternatives.length,
      `sandboxes/${id}/mutants/ holds ${mutants.alternatives.length} mutant(s)`,
    ).toBeGreaterThanOrEqual(MIN_MUTANTS);
    expect(
      variants.alternatives.length,
      `sandboxes/${id}/variants/ holds ${variants.alternatives.length} variant(s)`,
    ).toBeGreaterThanOrEqual(MIN_VARIANTS);
  });
});
