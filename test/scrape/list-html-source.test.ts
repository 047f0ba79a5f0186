import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listHtmlSource, SelectorError, toItems } from '../../src/scrape/list-html-source.js';

const LIST_PAGE = `<!doctype html><html><head><base href="https://mairie.example/actualites/"></head><body>
<nav><a href="/">Accueil</a></nav>
<div class="news">
  <div class="card"><h3 class="t">Travaux rue Haute</h3><a class="more" href="travaux-rue-haute">Lire</a><time datetime="2026-04-02T09:00:00Z">2 avril</time></div>
  <div class="card"><h3 class="t">Marché de printemps</h3><a class="more" href="/actualites/marche#haut">Lire</a><span class="d">2026-03-28</span></div>
  <div class="card"><h3 class="t">Doublon</h3><a class="more" href="travaux-rue-haute">Lire</a></div>
  <div class="card"><h3 class="t">Lien piégé</h3><a class="more" href="javascript:alert(1)">Lire</a></div>
</div></body></html>`;

test("links, titles and dates are read inside each entry's own card", () => {
  const entries = listHtmlSource(LIST_PAGE, 'https://mairie.example/actualites/', { links: '.card a.more', title: '.t', date: 'time, .d' });
  assert.deepEqual(entries, [
    { title: 'Travaux rue Haute', link: 'https://mairie.example/actualites/travaux-rue-haute', publishedAt: '2026-04-02T09:00:00.000Z' },
    { title: 'Marché de printemps', link: 'https://mairie.example/actualites/marche', publishedAt: '2026-03-28T00:00:00.000Z' },
  ]);
});

test('without a title selector the link text is the title', () => {
  const entries = listHtmlSource('<ul><li><a href="/a">Premier</a></li><li><a href="/b"> Second  titre </a></li></ul>', 'https://x.example/list', { links: 'li a' });
  assert.deepEqual(
    entries.map((e) => [e.title, e.link]),
    [
      ['Premier', 'https://x.example/a'],
      ['Second titre', 'https://x.example/b'],
    ],
  );
});

test('entries become Items keyed by link, stable across runs', () => {
  const entries = listHtmlSource(LIST_PAGE, 'https://mairie.example/actualites/', { links: '.card a.more', title: '.t' });
  const items = toItems(entries, 'https://mairie.example/actualites/');
  assert.equal(items.length, 2);
  assert.equal(items[0]!.feedUrl, 'https://mairie.example/actualites/');
  assert.equal(items[0]!.link, entries[0]!.link);
  assert.equal(items[0]!.id, toItems(entries, 'https://mairie.example/actualites/')[0]!.id);
  assert.notEqual(items[0]!.id, items[1]!.id);
});

test('an invalid selector is a SelectorError naming the field', () => {
  assert.throws(
    () => listHtmlSource(LIST_PAGE, 'https://x.example/', { links: 'a[' }),
    (e: unknown) => e instanceof SelectorError && /selectors\.links/.test(e.message),
  );
});
