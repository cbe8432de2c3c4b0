import { describe, expect, it } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { createRing, moduloPick } from '../../../../sandboxes/_kit/hash-ring.mjs';

const keys = Array.from({ length: 2000 }, (_, i) => `user:${i}`);

describe('consistent hashing ring', () => {
  it('spreads keys over every node, and always sends a key to the same node', () => {
    const ring = createRing([1, 2, 3]);
    const counts = new Map<number, number>();
    for (const key of keys) counts.set(ring.get(key), (counts.get(ring.get(key)) ?? 0) + 1);
    for (const n of [1, 2, 3]) expect(counts.get(n)).toBeGreaterThan(keys.length / 6);
    const reordered = createRing([3, 1, 2]);
    expect(keys.map((k) => ring.get(k))).toEqual(keys.map((k) => reordered.get(k)));
    expect(createRing([]).get('x')).toBeNull();
  });

  it('moves only the leaving node’s keys, where modulo moves most of them', () => {
    const ring = createRing([1, 2, 3, 4]);
    const before = keys.map((k) => ring.get(k));
    ring.remove(4);
    const after = keys.map((k) => ring.get(k));
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.every((_, i) => before[keys.indexOf(moved[i] ?? '')] === 4)).toBe(true);
    expect(moved.length / keys.length).toBeLessThan(0.35);

    const moduloMoved = keys.filter(
      (k) => moduloPick(k, [1, 2, 3, 4]) !== moduloPick(k, [1, 2, 3]),
    );
    expect(moduloMoved.length / keys.length).toBeGreaterThan(0.6);
  });
});
