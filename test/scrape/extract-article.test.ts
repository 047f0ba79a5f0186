import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extractArticle } from '../../src/scrape/extract-article.js';

const fixtures = new URL('../fixtures/scrape/', import.meta.url);

// Golden files: each folder holds page.html and the body text we expect from it.
for (const name of readdirSync(fixtures).filter((n) => !n.includes('.'))) {
  test(`golden: ${name}`, () => {
    const html = readFileSync(new URL(`${name}/page.html`, fixtures), 'utf8');
    const expected = readFileSync(new URL(`${name}/page.expected.txt`, fixtures), 'utf8').trimEnd();
    assert.equal(extractArticle(html, `https://example.test/${name}`).text, expected);
  });
}

test('news page: metadata merged from JSON-LD, Open Graph and the document', () => {
  const html = readFileSync(new URL('news-page/page.html', fixtures), 'utf8');
  const a = extractArticle(html, 'https://gazette-littoral.example/p?id=1');
  assert.equal(a.title, 'Le port de Saint-Malo agrandit son terminal ferry');
  assert.equal(a.author, 'Jeanne Le Goff');
  assert.equal(a.publishedAt, '2026-03-14T07:30:00.000Z');
  assert.equal(a.language, 'fr');
  assert.equal(a.canonicalUrl, 'https://gazette-littoral.example/ports/saint-malo-terminal');
  assert.equal(a.siteName, 'La Gazette du Littoral');
  assert.equal(a.source, 'dom');
  for (const junk of ['cookies', 'Partager', 'Cherbourg', 'commentaires', 'Enfin', 'Tous droits', 'Les plus lus', "image d'architecte"]) {
    assert.ok(!a.text.includes(junk), `body should not contain "${junk}"`);
  }
});

test('JSON-LD articleBody wins over a teaser page, authors are joined', () => {
  const html = readFileSync(new URL('json-ld-body/page.html', fixtures), 'utf8');
  const a = extractArticle(html, 'https://harbour-notes.example/tides');
  assert.equal(a.source, 'json-ld');
  assert.equal(a.author, 'Ada Penrose, Tom Hale');
  assert.equal(a.language, 'en-GB');
  assert.equal(a.siteName, 'Harbour Notes');
});

test('a JSON-LD body much shorter than the page is not trusted', () => {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} of the real story, long enough to count, with a comma, and another clause to read.</p>`).join('');
  const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Paragraph 0 of the real story…"}</script></head><body><article>${paragraphs}</article></body></html>`;
  const a = extractArticle(html, 'https://example.test/x');
  assert.equal(a.source, 'dom');
  assert.match(a.text, /Paragraph 7 of the real story/);
});

test('escaped HTML inside JSON-LD articleBody becomes plain text', () => {
  const body = '&lt;p&gt;First part of the body, with enough words to matter here.&lt;/p&gt;&lt;p&gt;Second part, &lt;a href=&quot;/x&quot;&gt;linked&lt;/a&gt;.&lt;/p&gt;';
  const html = `<html><head><script type="application/ld+json">{"@type":"Article","articleBody":"${body}"}</script></head><body></body></html>`;
  const a = extractArticle(html, 'https://example.test/x');
  assert.equal(a.source, 'json-ld');
  assert.equal(a.text, 'First part of the body, with enough words to matter here.\n\nSecond part, linked.');
});

test('bad input gives an empty result, never an exception', () => {
  const deep = `<html><body>${'<div>'.repeat(20_000)}<p>Deep text, with a comma, far down the tree of this page.</p>${'</div>'.repeat(20_000)}</body></html>`;
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['plain text', 'just some words, no markup at all'],
    ['binary', '\u0000\u0001\u0002PNG\u0000'],
    ['broken markup', '<html><body><div><p>unclosed <b>bold <i>italic</div></span></p></td><<>>'],
    ['malformed JSON-LD', '<script type="application/ld+json">{"@type": "Article", </script><p>x</p>'],
    ['deeply nested', deep],
  ];
  for (const [name, html] of cases) {
    const a = extractArticle(html, 'https://example.test/');
    assert.equal(typeof a.text, 'string', name);
    if (name === 'deeply nested') assert.match(a.text, /Deep text/);
  }
  assert.equal(extractArticle('', 'https://example.test/').source, 'none');
});
