import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupHitsByStory } from '../../src/pipeline/fold-search-hits.js';
import type { StoredItem } from '../../src/store/store.js';

// Written for this test: one dispatch, as two outlets carry it (a word changed), and an unrelated item.
const DISPATCH =
  'Les autorités ferroviaires des deux pays ont annoncé mardi la réouverture de la ligne de fret entre Khassan et Tumangang, ' +
  'fermée depuis trois ans, avec un premier convoi de charbon attendu à la fin du mois selon le ministère des transports.';
const OTHER =
  "Le festival de cinéma de la ville portuaire a ouvert ses portes samedi avec une rétrospective consacrée aux films d'animation, " +
  'qui attire chaque année des milliers de visiteurs venus de toute la région pour une semaine de projections.';

let seq = 0;
function item(id: string, feedUrl: string, title: string, summary: string, extra: Partial<StoredItem> = {}): StoredItem {
  return {
    seq: ++seq,
    id,
    feedUrl,
    title,
    link: `${new URL(feedUrl).origin}/${id}`,
    guid: id,
    publishedAt: '2026-11-20T08:00:00.000Z',
    author: null,
    summary,
    content: '',
    categories: [],
    firstSeenAt: '2026-11-20T09:00:00.000Z',
    body: '',
    canonicalUrl: null,
    storyId: null,
    storyVia: null,
    ...extra,
  };
}

describe('groupHitsByStory', () => {
  it('joins copies of one dispatch from two outlets, even when no digest gave them a story', () => {
    const groups = groupHitsByStory([
      item('a', 'https://agence.example/rss', 'Réouverture de la ligne de fret Khassan-Tumangang', DISPATCH),
      item('b', 'https://quotidien.example/rss', 'Le fret reprend entre Khassan et Tumangang', DISPATCH.replace('mardi', 'ce mardi')),
      item('c', 'https://quotidien.example/rss', 'Festival de cinéma : la rétrospective animation', OTHER),
    ]);
    assert.equal(groups.get('a'), groups.get('b'));
    assert.notEqual(groups.get('a'), groups.get('c'));
    assert.equal(groups.get('c'), 'c', 'an item alone is its own story, under its own id');
  });

  it("keeps the store's stories together, joins an unassigned copy to them, and keys the group by the stored story id", () => {
    const groups = groupHitsByStory([
      item('x1', 'https://agence.example/rss', 'Réouverture de la ligne de fret Khassan-Tumangang', DISPATCH, { storyId: 'story-1' }),
      // Unrelated texts the store nevertheless put in one story (through a copy that is not a hit): they stay together.
      item('x2', 'https://quotidien.example/rss', 'Festival de cinéma : la rétrospective animation', OTHER, { storyId: 'story-1' }),
      item('x3', 'https://gazette.example/rss', 'Fret : Khassan et Tumangang de nouveau reliés', DISPATCH),
    ]);
    assert.deepEqual([groups.get('x1'), groups.get('x2'), groups.get('x3')], ['story-1', 'story-1', 'story-1']);
  });

  it('does not depend on the order of the hits', () => {
    const items = [
      item('p', 'https://agence.example/rss', 'Réouverture de la ligne de fret Khassan-Tumangang', DISPATCH),
      item('q', 'https://quotidien.example/rss', 'Le fret reprend entre Khassan et Tumangang', DISPATCH),
      item('r', 'https://gazette.example/rss', 'Festival de cinéma : la rétrospective animation', OTHER),
    ];
    assert.deepEqual([...groupHitsByStory(items)].sort(), [...groupHitsByStory([...items].reverse())].sort());
  });
});
