import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterStories, type StoryEntry } from '../../src/dedupe/cluster-stories.js';
import { storySignature } from '../../src/dedupe/story-signature.js';
import { loadStories } from './labelled-pairs.js';

interface Key {
  story: string;
  variant: string;
}

function fixtureEntries(): StoryEntry<Key>[] {
  return loadStories().flatMap((story) =>
    story.versions.map((v) => ({
      key: { story: story.id, variant: v.variant },
      signature: storySignature({ title: v.title, text: v.text, url: v.url, source: v.source }),
      publishedAt: v.publishedAt,
      source: v.source,
    })),
  );
}

test('copies of one story form one cluster; stories on one subject stay apart', () => {
  const entries = fixtureEntries();
  // Shuffled deterministically: the result must not depend on arrival order.
  const shuffled = entries
    .map((e, i) => ({ e, r: (i * 7919) % 101 }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.e);
  const clusters = clusterStories(shuffled);
  const stories = new Set(entries.map((e) => e.key.story));
  for (const cluster of clusters) {
    const members = [cluster.representative, ...cluster.others];
    assert.equal(new Set(members.map((m) => m.key.story)).size, 1, `over-merged: ${members.map((m) => m.key.story).join(', ')}`);
  }
  for (const story of stories) {
    const cluster = clusters.find((c) => [c.representative, ...c.others].some((m) => m.key.story === story && m.key.variant === 'wire'));
    assert.ok(cluster, story);
    const variants = [cluster.representative, ...cluster.others].map((m) => m.key.variant);
    for (const v of ['wire', 'summary', 'republished', 'reissue']) assert.ok(variants.includes(v), `${story}: ${v} not in ${variants.join(', ')}`);
  }
});

test('the representative is the earliest copy; also-reported-by lists each other outlet once', () => {
  const clusters = clusterStories(fixtureEntries());
  const nk = clusters.find((c) => c.representative.key.story === 'en-nk-missile' && c.representative.key.variant === 'wire')!;
  assert.equal(nk.representative.key.variant, 'wire');
  const dates = nk.others.map((o) => o.publishedAt!);
  assert.deepEqual(dates, [...dates].sort());
  const sources = nk.alsoReportedBy.map((o) => o.source);
  assert.equal(new Set(sources).size, sources.length);
  assert.ok(!sources.includes(nk.representative.source), 'the re-issue by the same agency is not "also in"');
  assert.ok(sources.includes('Regional Gazette'));
  assert.ok(nk.others.some((o) => o.key.variant === 'reissue'));
});

test('undated copies come last; ties go to the longer text', () => {
  const text = 'The council voted on Tuesday to close the old bridge to traffic from next month while engineers assess the damage caused by the floods.';
  const sign = (extra: string) => storySignature({ title: 't', text: text + extra, url: null, source: 's' });
  const clusters = clusterStories([
    { key: 'undated', signature: sign(''), publishedAt: null, source: 'A' },
    { key: 'short', signature: sign(''), publishedAt: '2024-01-01T10:00:00Z', source: 'B' },
    { key: 'long', signature: sign(' Repairs could take a year.'), publishedAt: '2024-01-01T10:00:00Z', source: 'C' },
  ]);
  assert.equal(clusters.length, 1);
  assert.equal(clusters[0]!.representative.key, 'long');
  assert.deepEqual(
    clusters[0]!.others.map((o) => o.key),
    ['short', 'undated'],
  );
});

test('items with too little text, or none, are never merged by content', () => {
  const entries = Array.from({ length: 50 }, (_, i) => ({
    key: i,
    signature: storySignature({ title: `Headline ${i}`, text: 'Subscribe to read more.', url: `https://x.example/${i}`, source: 'X' }),
    publishedAt: null,
    source: 'X',
  }));
  assert.equal(clusterStories(entries).length, 50);
  assert.deepEqual(clusterStories([]), []);
});
