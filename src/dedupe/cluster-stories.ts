import { hashString } from './fingerprint.js';
import { isSameStory, signatureKeys, type StorySignature } from './story-signature.js';

/**
 * Items grouped into stories. Near-linear: each item is compared only with the
 * items that share one of its signatureKeys (URL, title, LSH bands), at most
 * BUCKET_CAP per key, and pairs that isSameStory confirms are joined with
 * union-find. Joining is transitive (single linkage): A~B and B~C put A, B, C in
 * one story even when A and C alone would not be joined. Pure.
 */

export interface StoryEntry<T> {
  key: T;
  signature: StorySignature;
  publishedAt: string | null;
  source: string;
}

export interface Cluster<T> {
  /** The copy the digest shows: the earliest published (REPRESENTATIVE_RULE). */
  representative: StoryEntry<T>;
  /** Every other copy, earliest first, including re-issues by the representative's own outlet. */
  others: StoryEntry<T>[];
  /** One copy per other outlet (its earliest), for "also in: …"; excludes the representative's outlet. */
  alsoReportedBy: StoryEntry<T>[];
}

/** How many members of one key's bucket a new item is compared with; bounds the work on degenerate keys. */
export const BUCKET_CAP = 24;

/**
 * Earliest published first (the outlet that broke or first carried the dispatch,
 * and a choice that does not change when later copies arrive); undated copies
 * last; ties go to the longer text, then to input order.
 */
export const REPRESENTATIVE_RULE = 'earliest publishedAt; ties: longer text, then input order';

export function clusterStories<T>(entries: readonly StoryEntry<T>[]): Cluster<T>[] {
  const parent = Int32Array.from(entries, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    for (let j = i; parent[j] !== root; ) {
      const next = parent[j]!;
      parent[j] = root;
      j = next;
    }
    return root;
  };
  // Buckets without a Map of strings: every (key, item) becomes one float
  // `hash(key) * 2^indexBits + item`, and one native sort lines up each key's items
  // in input order. Truncated hashes only add candidates, which isSameStory checks.
  const indexBits = Math.max(1, Math.ceil(Math.log2(entries.length + 1)));
  const hashRange = 2 ** Math.min(32, 53 - indexBits);
  const slots = 2 ** indexBits;
  let size = 0;
  for (const entry of entries) size += entry.signature.bandKeys.length + 2;
  const postings = new Float64Array(size);
  let filled = 0;
  entries.forEach((entry, i) => {
    for (const key of signatureKeys(entry.signature)) postings[filled++] = (hashString(key) % hashRange) * slots + i;
  });
  const sorted = postings.subarray(0, filled).sort();
  for (let start = 0; start < sorted.length; ) {
    const bucket = Math.floor(sorted[start]! / slots);
    let end = start + 1;
    while (end < sorted.length && Math.floor(sorted[end]! / slots) === bucket) end++;
    for (let x = start + 1; x < end; x++) {
      const i = sorted[x]! % slots;
      for (let y = start; y < Math.min(x, start + BUCKET_CAP); y++) {
        const j = sorted[y]! % slots;
        if (i === j) continue;
        const rootI = find(i);
        const rootJ = find(j);
        if (rootI === rootJ) continue;
        if (isSameStory(entries[i]!.signature, entries[j]!.signature).same) parent[Math.max(rootI, rootJ)] = Math.min(rootI, rootJ);
      }
    }
    start = end;
  }

  const groups = new Map<number, number[]>();
  entries.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  });
  const clusters: Cluster<T>[] = [];
  for (const members of groups.values()) {
    members.sort((x, y) => compareForRepresentative(entries, x, y));
    const [first, ...rest] = members.map((i) => entries[i]!);
    const alsoReportedBy: StoryEntry<T>[] = [];
    const sources = new Set([first!.source]);
    for (const other of rest) {
      if (sources.has(other.source)) continue;
      sources.add(other.source);
      alsoReportedBy.push(other);
    }
    clusters.push({ representative: first!, others: rest, alsoReportedBy });
  }
  return clusters;
}

function compareForRepresentative<T>(entries: readonly StoryEntry<T>[], x: number, y: number): number {
  const a = entries[x]!;
  const b = entries[y]!;
  const ta = timeOf(a.publishedAt);
  const tb = timeOf(b.publishedAt);
  if (ta !== tb) return ta - tb;
  if (a.signature.textLength !== b.signature.textLength) return b.signature.textLength - a.signature.textLength;
  return x - y;
}

function timeOf(date: string | null): number {
  const t = date ? Date.parse(date) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}
