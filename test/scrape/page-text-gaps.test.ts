/**
 * A scraped page reads as a feed's HTML does (docs/watchlists.md, "Gaps between
 * words"): one <br>, with or without the source's line break after it, is a line
 * break inside the paragraph, so a phrase runs across it; a block boundary or two
 * <br> end the paragraph, and a phrase stops there. Real pages served over
 * loopback, scraped, then matched, for the DOM extractor and for JSON-LD bodies.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DEFAULT_FETCH_OPTIONS } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { compileWatchlist, matchItem } from '../../src/match/match-item.js';
import { scrapeArticle } from '../../src/scrape/scrape-article.js';

// Enough prose, with commas, for the extractor to take it as the article.
const FILLER = [
  'Les négociateurs se sont retrouvés mardi dans la capitale, après des mois de discussions, pour une dernière séance de travail.',
  'Les diplomates présents, venus de plusieurs pays, ont salué un texte équilibré, qui doit encore être ratifié par les parlements.',
  'Selon plusieurs sources, la signature officielle pourrait intervenir avant la fin du mois, si le calendrier est tenu.',
];

function page(body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Négociations</title></head>
<body>
  <nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
  <article>
    <h1>Négociations</h1>
    <p>${FILLER[0]}</p>
    ${body}
    <p>${FILLER[1]}</p>
    <p>${FILLER[2]}</p>
  </article>
  <footer>Tous droits réservés</footer>
</body></html>`;
}

function jsonLdPage(articleBody: string): string {
  const ld = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Négociations', articleBody });
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Négociations</title>
<script type="application/ld+json">${ld}</script></head>
<body><article><p>${FILLER[0]}</p></article></body></html>`;
}

const LONG = FILLER.join(' ');

const PAGES: Record<string, string> = {
  // <br> then the source's own line break and indentation: one line break.
  '/br-newline': page(`<p>Le ministre a défendu l'accord de<br>\n      défense devant la presse, en rappelant ses garanties.</p>`),
  '/br-self-closing': page(`<p>Le ministre, Sergueï<br/>Lavrov, a défendu le texte devant la presse, en rappelant ses garanties.</p>`),
  '/source-line-break': page(`<p>Le ministre a défendu l'accord de\n      défense devant la presse, en rappelant ses garanties.</p>`),
  '/inline-markup': page(`<p>Le ministre a défendu l'<b>accord</b> de <a href="/defense">défense</a> devant la presse, en rappelant ses garanties.</p>`),
  '/two-br': page(`<p>Le ministre a défendu l'accord de<br><br>défense devant la presse, en rappelant ses garanties.</p>`),
  '/paragraphs': page(`<p>Le ministre a défendu l'accord de</p>\n    <p>défense devant la presse, en rappelant ses garanties.</p>`),
  '/list': page(`<ul><li>Le ministre a défendu l'accord de</li><li>défense devant la presse, en rappelant ses garanties.</li></ul>`),
  '/json-ld-html-br': jsonLdPage(`<p>${LONG}</p><p>Le ministre a défendu l'accord de<br>\n défense devant la presse, en rappelant ses garanties.</p>`),
  '/json-ld-text-line': jsonLdPage(`${LONG}\nLe ministre a défendu l'accord de\ndéfense devant la presse, en rappelant ses garanties.`),
  '/json-ld-html-paragraphs': jsonLdPage(`<p>${LONG}</p><p>Le ministre a défendu l'accord de</p><p>défense devant la presse, en rappelant ses garanties.</p>`),
  '/json-ld-text-blank-line': jsonLdPage(`${LONG}\n\nLe ministre a défendu l'accord de\n\ndéfense devant la presse, en rappelant ses garanties.`),
};

test('scraped pages: a phrase runs across one <br> and a line break, never across a block or two <br>', async (t) => {
  const server = createServer((req, res) => {
    const body = PAGES[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetcher = createPoliteFetcher({ fetch: { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, allowPrivateHosts: ['127.0.0.1'] }, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: false });
  const compiled = compileWatchlist({
    name: 'w',
    description: '',
    feeds: [],
    keywords: [
      { term: 'accord de défense', aliases: [] },
      { term: 'Sergueï Lavrov', aliases: [] },
    ],
    exclude: [],
  });

  const cases: [path: string, source: 'dom' | 'json-ld', phrase: string | null][] = [
    ['/br-newline', 'dom', 'accord de\ndéfense'],
    ['/br-self-closing', 'dom', 'Sergueï\nLavrov'],
    ['/source-line-break', 'dom', 'accord de\ndéfense'],
    ['/inline-markup', 'dom', 'accord de défense'],
    ['/two-br', 'dom', null],
    ['/paragraphs', 'dom', null],
    ['/list', 'dom', null],
    ['/json-ld-html-br', 'json-ld', 'accord de\ndéfense'],
    ['/json-ld-text-line', 'json-ld', 'accord de\ndéfense'],
    ['/json-ld-html-paragraphs', 'json-ld', null],
    ['/json-ld-text-blank-line', 'json-ld', null],
  ];
  for (const [path, source, phrase] of cases) {
    const article = await scrapeArticle(base + path, fetcher);
    assert.equal(article.source, source, `${path}: read from ${source}`);
    assert.match(article.text, /^Les négociateurs se sont retrouvés/, `${path}: the article text`);
    const result = matchItem({ title: article.title ?? '', summary: '', content: article.text }, compiled);
    if (phrase === null) {
      assert.match(article.text, /accord de\n\ndéfense/, `${path}: a paragraph break between the words`);
      assert.equal(result.matched, false, `${path}: no phrase across a paragraph break`);
    } else {
      assert.ok(article.text.includes(phrase), `${path}: ${JSON.stringify(phrase)} in ${JSON.stringify(article.text)}`);
      assert.equal(result.matched, true, `${path}: the phrase is found`);
      // The highlight points into the scraped text, across the line break.
      const [start, end] = result.terms[0]!.offsets.content![0]!;
      assert.equal(article.text.slice(start, end), phrase);
    }
  }
});
