import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { assignImport } from '../../src/cli/commands/feeds.js';
import { OpmlError, parseOpml, renderOpml, type OpmlFeed } from '../../src/feed/opml.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/opml/${name}`, import.meta.url), 'utf8');

describe('parseOpml', () => {
  test('a reader export: nested folders, entities, missing type, upper-case attributes, category attribute', async () => {
    const doc = parseOpml(await fixture('reader-export.opml'));
    assert.equal(doc.title, 'Subscriptions of A. & B. Dupont');
    assert.deepEqual(doc.feeds, [
      { url: 'https://www.nknews.org/feed/', label: 'NK News', category: 'Asie/Corée' },
      { url: 'https://en.yna.co.kr/RSS/nk.xml', label: 'Yonhap — North Korea', category: 'Asie/Corée' },
      { url: 'https://www.lemonde.fr/asie-pacifique/rss_full.xml', label: 'Le Monde — Asie-Pacifique', category: 'Asie' },
      { url: 'https://example.org/feed?a=1&b=2', label: `Tom & Jerry's "news" <daily>` },
      { url: 'https://example.net/bare.xml', label: null },
      { url: 'https://example.com/upper.rss', label: 'Upper-case attributes' },
      { url: 'https://example.com/tagged.rss', label: 'Tagged', category: 'Science/Physics' },
    ]);
  });

  test('a DTD or entity declaration is refused before anything is expanded', async () => {
    assert.throws(() => parseOpml(''), OpmlError);
    assert.throws(() => parseOpml(''), /no <opml> element/);
    const xml = await fixture('with-doctype.opml');
    assert.throws(
      () => parseOpml(xml),
      (e: Error) => e instanceof OpmlError && /refused: .*<!DOCTYPE>/.test(e.message),
    );
    assert.throws(() => parseOpml('<opml><!ENTITY x "y"><body/></opml>'), /<!ENTITY>/);
  });

  test('another XML format is named in the error', () => {
    assert.throws(() => parseOpml('<?xml version="1.0"?><rss version="2.0"><channel/></rss>'), /root element is <rss>, expected <opml>/);
  });

  test('unknown HTML entities are left as written, not expanded', () => {
    const doc = parseOpml('<opml version="2.0"><body><outline text="caf&eacute; &#233;" xmlUrl="https://x.example/"/></body></opml>');
    assert.equal(doc.feeds[0]!.label, 'caf&eacute; é');
    assert.equal(doc.title, null);
  });
});

describe('renderOpml', () => {
  test('parse → render → parse gives the same feeds, and rendering is stable', async () => {
    const first = parseOpml(await fixture('reader-export.opml'));
    const rendered = renderOpml(first.title!, first.feeds);
    assert.deepEqual(parseOpml(rendered), first);
    assert.equal(renderOpml(first.title!, parseOpml(rendered).feeds), rendered);
  });

  test('escapes markup in titles, labels and URLs and keeps line breaks in attributes', () => {
    const xml = renderOpml('A <b> & "c"', [{ url: 'https://x.example/?a=1&b="2"', label: "it's <b>bold</b>\nand two lines\u0007" }], { now: new Date('2026-11-02T08:00:00Z') });
    assert.match(xml, /<title>A &lt;b&gt; &amp; &quot;c&quot;<\/title>/);
    assert.match(xml, /<dateCreated>Mon, 02 Nov 2026 08:00:00 GMT<\/dateCreated>/);
    assert.match(xml, /text="it&apos;s &lt;b&gt;bold&lt;\/b&gt;&#10;and two lines"/);
    assert.match(xml, /xmlUrl="https:\/\/x\.example\/\?a=1&amp;b=&quot;2&quot;"/);
    assert.deepEqual(parseOpml(xml).feeds, [{ url: 'https://x.example/?a=1&b="2"', label: "it's <b>bold</b>\nand two lines" }]);
  });

  test('round trip holds for arbitrary labels, URLs and folder paths', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\u0000-\u001f\ufffe\uffff]/g, '').trim());
    const folder = text.filter((s) => s.length > 0 && !s.includes('/'));
    const feed = fc.record({
      url: fc.webUrl({ withQueryParameters: true, withFragments: true }),
      label: fc.option(
        text.filter((s) => s.length > 0),
        { nil: null },
      ),
      category: fc.option(
        fc.array(folder, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(feed, { maxLength: 8 }), (feeds) => {
        const input: OpmlFeed[] = feeds.map((f) => ({ url: f.url, label: f.label === f.url ? null : f.label, ...(f.category ? { category: f.category } : {}) }));
        const once = parseOpml(renderOpml('t', input)).feeds;
        // Rendering groups feeds by folder, so compare as sets of feeds, then check stability.
        const key = (f: OpmlFeed) => JSON.stringify([f.url, f.label, f.category ?? null]);
        assert.deepEqual(once.map(key).sort(), input.map(key).sort());
        assert.deepEqual(parseOpml(renderOpml('t', once)).feeds, once);
      }),
      { numRuns: 150 },
    );
  });
});

describe('assignImport (which watchlist gets which feeds)', () => {
  const feeds: OpmlFeed[] = [
    { url: 'https://a.example/rss', label: 'A', category: 'semis/Trade' },
    { url: 'https://b.example/rss', label: null, category: 'coree-russie' },
  ];
  test('-w takes everything; an unknown -w names the known watchlists', () => {
    assert.deepEqual([...assignImport(feeds, { target: 'semis', stem: 'x', known: ['semis', 'coree-russie'] }).keys()], ['semis']);
    assert.throws(() => assignImport(feeds, { target: 'nope', stem: 'x', known: ['semis'] }), /unknown watchlist "nope" \(known: semis\)/);
  });
  test('without -w: the file name, then top-level folders named after watchlists, else ask for -w', () => {
    assert.deepEqual([...assignImport(feeds, { target: null, stem: 'coree-russie', known: ['semis', 'coree-russie'] }).keys()], ['coree-russie']);
    const byFolder = assignImport(feeds, { target: null, stem: 'export', known: ['semis', 'coree-russie'] });
    assert.deepEqual(byFolder.get('semis'), [{ url: 'https://a.example/rss', label: 'A', category: 'Trade' }]);
    assert.deepEqual(byFolder.get('coree-russie'), [{ url: 'https://b.example/rss', label: null }]);
    assert.throws(() => assignImport(feeds, { target: null, stem: 'export', known: ['semis'] }), /pass -w NAME \(known: semis\)/);
  });
});
