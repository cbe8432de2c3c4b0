/**
 * Consistent hashing, as the balancer's `hash` strategy uses it, and the modulo placement it
 * improves on, so a lab can count how many keys move when an instance leaves. Node built-ins only.
 *
 *   import { createRing, moduloPick } from './_kit/hash-ring.mjs';
 *   const ring = createRing([1, 2, 3]);          // 100 points per node on a 32-bit circle
 *   ring.get('user:42')                           // -> 2
 *   ring.remove(3);                               // only the keys node 3 owned move
 *   moduloPick('user:42', [1, 2])                 // hash % count: most keys move when count changes
 */
import { createHash } from 'node:crypto';

/** A stable 32-bit hash of a string (the first 4 bytes of its SHA-1). */
export function hash32(text) {
  return createHash('sha1').update(String(text)).digest().readUInt32BE(0);
}

export function createRing(nodes = [], { replicas = 100 } = {}) {
  const members = new Set(nodes);
  let points = [];
  const rebuild = () => {
    points = [];
    for (const node of members) {
      for (let i = 0; i < replicas; i += 1) points.push({ at: hash32(`${node}#${i}`), node });
    }
    points.sort((a, b) => a.at - b.at);
  };
  rebuild();
  return {
    add(node) {
      if (members.has(node)) return;
      members.add(node);
      rebuild();
    },
    remove(node) {
      if (members.delete(node)) rebuild();
    },
    has: (node) => members.has(node),
    nodes: () => [...members],
    /** The node owning `key`: the first point clockwise from the key's hash; null if empty. */
    get(key) {
      if (points.length === 0) return null;
      const h = hash32(key);
      let low = 0;
      let high = points.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (points[mid].at < h) low = mid + 1;
        else high = mid;
      }
      return points[low % points.length].node;
    },
  };
}

/** The naive placement: hash the key, take it modulo the number of nodes. */
export function moduloPick(key, nodes) {
  return nodes.length === 0 ? null : nodes[hash32(key) % nodes.length];
}
