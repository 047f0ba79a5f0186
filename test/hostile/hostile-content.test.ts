/**
 * Hostile feed content: entity bombs and XXE are refused and never read a local
 * file; pathological documents end in items or a FeedParseError, never a crash;
 * and whatever a feed says, the terminal, HTML and Markdown digests carry no
 * escape sequence, script, event handler, javascript: URL or injected link.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'htmlparser2';
import { buildDigest, type Digest } from '../../src/digest/digest.js';
import { renderDigest } from '../../src/digest/render.js';
import { decodeBody } from '../../src/fetch/charset.js';
import { FeedParseError, parseFeed, type ParsedFeed } from '../../src/feed/parse-feed.js';
import { compileWatchlist, matchItem } from '../../src/match/match-item.js';
import type { MatchedItem } from '../../src/store/store.js';
import { startServer } from '../helpers/http-server.js';
import { databaseArgs, STORE_BACKENDS } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FIXTURES, missingBuild, runCli, writeWatchlist } from './support.js';

const FEED_URL = 'https://attacker.example/feed.xml';

async function fixture(name: string): Promise<string> {
  return readFile(join(FIXTURES, name), 'utf8');
}

/** A local file with a marker that must never show up in any parse result. */
async function secretFile(t: { after(fn: () => Promise<void> | void): void }): Promise<{ url: string; marker: string }> {
  const dir = await makeTempDir(t, 'presswatch-xxe-');
  const marker = `SECRET-${Math.random().toString(36).slice(2)}`;
  const path = join(dir, 'secret.txt');
  await writeFile(path, `${marker}\n`);
  return { url: pathToFileURL(path).href, marker };
}

async function parseOrError(xml: string): Promise<ParsedFeed | FeedParseError> {
  try {
    return await parseFeed(xml, FEED_URL);
  } catch (error) {
    if (error instanceof FeedParseError) return error;
    throw error;
  }
}

const REFUSED = 'refused: the document declares XML entities (DTD), which feeds do not need';

test('billion laughs is refused at once, also when a long comment pushes the DTD out of the first 64 kB', async () => {
  const laughs = await fixture('billion-laughs.xml');
  const padded = laughs.replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0" encoding="UTF-8"?>\n<!--${' padding'.repeat(20_000)}-->`);
  for (const xml of [laughs, padded]) {
    const started = Date.now();
    await assert.rejects(parseFeed(xml, FEED_URL), (e: unknown) => e instanceof FeedParseError && e.message === REFUSED);
    assert.ok(Date.now() - started < 500);
  }
});

test('XXE: external entities, parameter entities and external DTDs never read the local file', async (t) => {
  const secret = await secretFile(t);
  for (const name of ['xxe-external-entity.xml', 'xxe-parameter-entity.xml', 'external-dtd.xml']) {
    const xml = (await fixture(name)).replaceAll('__SECRET_URL__', secret.url);
    for (const variant of [xml, xml.replace('?>', `?><!--${'x'.repeat(70_000)}-->`)]) {
      const result = await parseOrError(variant);
      assert.ok(!JSON.stringify(result instanceof FeedParseError ? result.message : result).includes(secret.marker), `${name} leaked the file`);
      // An internal subset is refused; a bare external DTD reference is not fetched, and &secret; stays literal text.
      if (name === 'external-dtd.xml') {
        assert.ok(!(result instanceof FeedParseError), `${name}: ${String(result)}`);
        assert.equal(result.items[0]!.title, 'Pyongyang &secret;');
      } else {
        assert.ok(result instanceof FeedParseError && result.message === REFUSED, `${name}: ${result instanceof FeedParseError ? result.message : 'parsed'}`);
      }
    }
  }
});

test('deeply nested markup: 100,000 levels of XML or escaped HTML end in items or a FeedParseError', async () => {
  const depth = 100_000;
  const xmlDeep = `<rss version="2.0"><channel><title>t</title><item><title>deep</title><x>${'<a>'.repeat(depth)}y${'</a>'.repeat(depth)}</x></item></channel></rss>`;
  const htmlDeep = `<rss version="2.0"><channel><title>t</title><item><title>deep Pyongyang</title><description>${'&lt;div&gt;'.repeat(depth)}Pyongyang</description></item></channel></rss>`;
  const unclosed = `<rss version="2.0"><channel><title>t</title><item><title>deep</title>${'<a>'.repeat(depth)}`;
  const deep = await parseOrError(xmlDeep);
  assert.ok(!(deep instanceof FeedParseError));
  assert.equal(deep.items[0]!.title, 'deep');
  const html = await parseOrError(htmlDeep);
  assert.ok(!(html instanceof FeedParseError));
  assert.equal(html.items[0]!.summary, 'Pyongyang');
  assert.ok((await parseOrError(unclosed)) instanceof FeedParseError);
});

test('invalid UTF-8 and NUL bytes: decoded (as windows-1252, C1 bytes included), parsed, and never printed raw', async () => {
  const bytes = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><item><guid>u1</guid><title>Pyongyang '),
    // not UTF-8; 0x9D and 0x90 are the 8-bit OSC and DCS introducers, which windows-1252 leaves as they are
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x9d, 0x30, 0x3b, 0x90, 0xe2, 0x82]),
    Buffer.from(' \u0000nul\u0000</title><description>Pyongyang</description></item></channel></rss>'),
  ]);
  const text = decodeBody(bytes, 'application/rss+xml; charset=utf-8');
  const feed = await parseFeed(text, FEED_URL);
  assert.equal(feed.items.length, 1);
  const title = feed.items[0]!.title;
  assert.ok(title.includes('\u009d') && title.includes('\u0000'), 'the hostile bytes reach the item (so the check below means something)');
  for (const format of ['text', 'markdown', 'html', 'json', 'ndjson'] as const) {
    const out = renderDigest(digestOf(feed), format);
    assert.ok(!TERMINAL_UNSAFE.test(out.replace(/\n/g, '')), `${format}: ${JSON.stringify(out.match(TERMINAL_UNSAFE))}`);
  }
  // The 8-bit OSC swallows the rest of the line: better lose text than let a terminal act on it.
  assert.match(renderDigest(digestOf(feed), 'text'), /Pyongyang ÿþÃ\(\n/);
});

test('a 1 MB title and a feed of 100,000 items are parsed whole', async () => {
  const title = 'Pyongyang '.repeat(100_000).trim();
  const big = await parseFeed(`<rss version="2.0"><channel><title>t</title><item><guid>big</guid><title>${title}</title></item></channel></rss>`, FEED_URL);
  assert.equal(big.items[0]!.title.length, title.length);
  assert.ok(!renderDigest(digestOf(big), 'text').includes('\u001b'));

  const items = Array.from({ length: 100_000 }, (_, i) => `<item><guid>g${i}</guid><title>Item ${i}</title></item>`).join('');
  const many = await parseFeed(`<rss version="2.0"><channel><title>t</title>${items}</channel></rss>`, FEED_URL);
  assert.equal(many.items.length, 100_000);
  assert.equal(new Set(many.items.map((i) => i.id)).size, 100_000);
});

/** Control characters and escape introducers no terminal output may carry (newline is allowed). */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** What chalk writes for colour: SGR sequences only. */
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** A digest of a parsed feed in which every item matched "Pyongyang" (what the pipeline would produce). */
function digestOf(feed: ParsedFeed): Digest {
  const rules = compileWatchlist({ name: 'w', description: '', feeds: [], keywords: [{ term: 'Pyongyang', aliases: [] }], rules: [], exclude: [] });
  const matched: MatchedItem[] = feed.items.map((item, seq) => {
    const result = matchItem({ title: item.title, summary: item.summary, content: item.content }, rules);
    return {
      item: { ...item, seq, firstSeenAt: '2026-03-02T10:00:00.000Z', body: '', canonicalUrl: null, storyId: null, storyVia: null },
      matches: result.terms.map((m) => ({ itemId: item.id, term: m.term, count: m.count, variant: m.variant, field: m.field, offsets: m.offsets, matchedAt: '2026-03-02T10:00:00.000Z' })),
      feedLabel: null,
      feedTitle: feed.title,
    };
  });
  return buildDigest({
    now: new Date('2026-03-02T12:00:00Z'),
    mode: 'new',
    since: null,
    watchlists: [{ name: 'hostile', matched }],
    feeds: [
      { url: FEED_URL, label: null, status: 'ok', error: null, httpStatus: 200, newItems: matched.length },
      { url: 'https://down.example/feed', label: 'Down \u001b]52;c;cm0=\u0007', status: 'error', error: 'HTTP 503 \u001b[2J\u009b31m', httpStatus: 503, newItems: 0 },
    ],
  });
}

async function hostileDigest(): Promise<Digest> {
  const feed = await parseFeed(await fixture('escape-sequences.xml'), FEED_URL);
  assert.equal(feed.items.length, 2);
  // The raw feed text does carry the attacks (so the checks below are not vacuous).
  assert.ok(feed.items[0]!.title.includes('\u001b]52;'));
  assert.ok(feed.items[0]!.title.includes('\u202e'));
  return digestOf(feed);
}

test('terminal digest: no ANSI CSI, OSC 8, OSC 52, BEL, backspace, bidi override or C1 from feed text, with or without colour', async () => {
  const digest = await hostileDigest();
  const plain = renderDigest(digest, 'text', { color: false });
  assert.ok(!TERMINAL_UNSAFE.test(plain), JSON.stringify(plain.match(TERMINAL_UNSAFE)));
  assert.match(plain, /Pyongyang RED click/);
  assert.match(plain, /txt\.exe/);
  const coloured = renderDigest(digest, 'text', { color: true });
  assert.ok(SGR.test(coloured), 'colour is on');
  assert.ok(!TERMINAL_UNSAFE.test(coloured.replace(SGR, '')), 'only chalk SGR sequences remain');
});

test('JSON and NDJSON digests escape C1 controls and bidi marks and still parse to the same text', async () => {
  const digest = await hostileDigest();
  for (const format of ['json', 'ndjson'] as const) {
    const out = renderDigest(digest, format);
    assert.ok(!TERMINAL_UNSAFE.test(out), `${format}: ${JSON.stringify(out.match(TERMINAL_UNSAFE))}`);
    const first = format === 'json' ? (JSON.parse(out) as Digest).stories[0]! : (JSON.parse(out.split('\n')[0]!) as Digest['stories'][number]);
    assert.equal(first.title, digest.stories[0]!.title, `${format} keeps the data`);
  }
});

const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'p', 'section', 'article', 'div', 'span', 'a', 'mark', 'ul', 'li']);
const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'name', 'content', 'http-equiv', 'class', 'href', 'rel']);

/** Walks the parsed document: only the renderer's own tags and attributes, and http(s) links only. Returns the hrefs. */
function assertSafeHtml(html: string): string[] {
  const dom = parseDocument(html, { lowerCaseAttributeNames: true });
  const hrefs: string[] = [];
  const walk = (nodes: ReturnType<typeof parseDocument>['children']) => {
    for (const node of nodes) {
      if (node.type === 'script') assert.fail('a <script> element');
      if (node.type !== 'tag' && node.type !== 'style') continue;
      const el = node as unknown as { name: string; attribs: Record<string, string>; children: typeof nodes };
      assert.ok(ALLOWED_TAGS.has(el.name), `unexpected <${el.name}>`);
      for (const [name, value] of Object.entries(el.attribs)) {
        assert.ok(ALLOWED_ATTRIBUTES.has(name), `unexpected attribute ${name}="${value}" on <${el.name}>`);
        if (name === 'href') hrefs.push(value);
      }
      walk(el.children);
    }
  };
  walk(dom.children);
  for (const href of hrefs) assert.match(href, /^https?:\/\//);
  assert.ok(!TERMINAL_UNSAFE.test(html.replace(/\n/g, '')));
  return hrefs;
}

test('HTML digest: no script, event handler, javascript: or data: URL survives, checked on the parsed DOM', async () => {
  const html = renderDigest(await hostileDigest(), 'html');
  const hrefs = assertSafeHtml(html);
  assert.deepEqual(hrefs, ['https://news.example/a?b=%22onmouseover=alert(1)&c=%3Cx%3E'], 'the javascript: link is dropped, the https one kept');
  // The feed's markup shows as text.
  assert.match(html, /\[Pyongyang\]\(javascript:alert\(1\)\)/);
});

test('Markdown digest: a title cannot open a link, an image, raw HTML or a heading', async () => {
  const md = renderDigest(await hostileDigest(), 'markdown');
  assert.ok(!TERMINAL_UNSAFE.test(md));
  const titleLine = md.split('\n').find((l) => l.includes('javascript'))!;
  assert.ok(titleLine, 'the hostile title is present');
  // Strip backslash escapes: what remains unescaped must hold no Markdown syntax from the feed.
  const unescaped = titleLine.replace(/^### \[(.*)\]\(<https:[^>]*>\)$/, '$1').replace(/\\[!-/:-@[-`{-~]/g, '');
  assert.ok(!/[[\]<>!*_`|]|^\s*#/.test(unescaped), `unescaped syntax left: ${unescaped}`);
  // The only links are the ones presswatch writes, to http(s) targets, in <...> form.
  for (const m of md.matchAll(/(?<!\\)\]\((?!<https?:\/\/)/g)) assert.fail(`a link not written by the renderer at ${m.index}`);
  assert.ok(!/(?<!\\)<(?!https?:\/\/)[a-z/!]/i.test(md.replace(/\]\(<https?:[^>]*>\)/g, '')), 'no raw HTML tag');
});

for (const backend of STORE_BACKENDS) {
  test(`CLI end to end: a hostile feed and a server whose reason phrase carries ESC print clean stdout and stderr (${backend.name})`, { skip: backend.skip }, async (t) => {
    const missing = missingBuild();
    if (missing) return t.skip(missing);
    const xml = await fixture('escape-sequences.xml');
    const server = await startServer({
      '/feed.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(xml),
    });
    t.after(() => server.close());
    // node:http will not write control characters in a reason phrase: a raw socket does.
    const { createServer } = await import('node:net');
    const raw = createServer((socket) => socket.once('data', () => socket.end(Buffer.from('HTTP/1.1 503 Down \u001b[2J\u001b]52;c;cm0=\u0007\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 'latin1'))));
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    const rawUrl = `http://127.0.0.1:${(raw.address() as { port: number }).port}/feed.xml`;

    const root = await makeTempDir(t, 'presswatch-hostile-cli-');
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    await writeWatchlist(dirs.configDir, 'hostile', [server.url('/feed.xml'), rawUrl]);
    const store = databaseArgs(await backend.location(t));
    const text = await runCli([...store, 'digest', '--format', 'text'], dirs, { env: { FORCE_COLOR: '0' } });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Pyongyang RED click/);
    assert.ok(!TERMINAL_UNSAFE.test(text.stdout), `stdout: ${JSON.stringify(text.stdout.match(TERMINAL_UNSAFE))}`);
    assert.match(text.stderr, /HTTP 503 Down/);
    assert.ok(!TERMINAL_UNSAFE.test(text.stderr), `stderr: ${JSON.stringify(text.stderr)}`);
    const html = await runCli([...store, 'digest', '--no-fetch', '--since', '3650d', '--format', 'html'], dirs);
    assert.equal(html.code, 0, html.stderr);
    assert.equal(assertSafeHtml(html.stdout).length, 1);
  });
}
