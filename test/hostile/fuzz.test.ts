/**
 * Property tests (fast-check): sanitising, normalisation, URL canonicalisation,
 * query parsing and feed parsing of mutated real feeds. No exception escapes,
 * the invariants hold. A failure prints its seed and counterexample; replay with
 * FC_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { canonicalizeUrl } from '../../src/dedupe/canonical-url.js';
import { escapeHtml, escapeJsonControls, escapeMarkdown, safeHref, toTerminalLine, toTerminalSafe } from '../../src/digest/safe-text.js';
import { decodeBody } from '../../src/fetch/charset.js';
import { FeedParseError, parseFeed } from '../../src/feed/parse-feed.js';
import { normalizeText } from '../../src/match/normalize.js';
import { formatQuery, parseQuery } from '../../src/match/parse-query.js';
import { REPO_ROOT } from './support.js';

// Seeds: test/helpers/fast-check-seed.ts (fixed under CI, FC_SEED to replay).
const params = (numRuns: number) => ({ numRuns });

/** Strings rich in what attacks terminals: escape introducers, controls, bidi marks, plus ordinary text. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        '\u001b',
        '\u001b[',
        '\u001b]',
        '\u001b]8;;',
        '\u001b]52;c;',
        '\u001bP',
        '\u001b\\',
        '\u0007',
        '\u0008',
        '\r',
        '\n',
        '\t',
        '\u009b',
        '\u009d',
        '\u0090',
        '\u009c',
        '\u202e',
        '\u2066',
        '\u200f',
        '\u061c',
        '\u0000',
        '\u007f',
        '[31m',
        ';',
        'm',
      ),
      fc.constantFrom('<script>', '</a>', '"', "'", '`', '&', '&amp;', '[', '](', ')', '![', '<', '>', '*', '_', '#', '|', '\\', 'javascript:', 'Pyongyang', 'Corée du Nord', ' '),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('toTerminalSafe: no C0 (but newline and tab), ESC, C1 or bidi control survives; idempotent', () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      const safe = toTerminalSafe(text);
      assert.ok(!TERMINAL_UNSAFE.test(safe), JSON.stringify(safe));
      assert.equal(toTerminalSafe(safe), safe);
      assert.ok(!/[\n\t\r]/.test(toTerminalLine(text)));
    }),
    params(3000),
  );
});

test('escapeHtml: no raw < > " \' ` and every & opens a numeric character reference', () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      const html = escapeHtml(text);
      assert.ok(!/[<>"'`]/.test(html), html);
      assert.ok(!/&(?!#\d+;)/.test(html), html);
      assert.ok(!TERMINAL_UNSAFE.test(html));
    }),
    params(2000),
  );
});

test('safeHref: null, or an absolute http(s) URL with no quote, angle bracket or whitespace', () => {
  const candidates = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    hostileText,
    fc.tuple(fc.constantFrom('javascript:', 'JaVaScRiPt:', ' javascript:', '\u0001javascript:', 'data:', 'vbscript:', 'file:', '//', 'http:', 'https:'), hostileText).map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(candidates, (url) => {
      const href = safeHref(url);
      if (href === null) return;
      assert.match(href, /^https?:\/\/[^\s"<>]*$/);
      assert.ok(!TERMINAL_UNSAFE.test(href));
      assert.equal(safeHref(href), href);
    }),
    params(3000),
  );
});

test('escapeMarkdown: one line, and no unescaped link, image, HTML, emphasis, code or table syntax', () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      const md = escapeMarkdown(text);
      assert.ok(!/[\n\r]/.test(md));
      assert.ok(!TERMINAL_UNSAFE.test(md));
      const unescaped = md.replace(/\\[!-/:-@[-`{-~]/g, '');
      assert.ok(!/[[\]<>`*_!|]/.test(unescaped), `${JSON.stringify(text)} → ${md}`);
    }),
    params(3000),
  );
});

test('escapeJsonControls: the JSON still parses to the same value and carries no raw C1 or bidi mark', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, fc.string({ unit: 'grapheme-composite' })), (text) => {
      const json = escapeJsonControls(JSON.stringify({ title: text }));
      assert.ok(!TERMINAL_UNSAFE.test(json));
      assert.equal((JSON.parse(json) as { title: string }).title, text);
    }),
    params(2000),
  );
});

const normalizeInputs = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme-composite', maxLength: 40 }), hostileText);

test('normalizeText never throws and maps every output character back into the source, in order', () => {
  fc.assert(
    fc.property(normalizeInputs, (text) => {
      const once = normalizeText(text);
      assert.equal(once.map.length, once.text.length);
      for (let i = 0; i < once.map.length; i++) {
        assert.ok(once.map[i]! >= 0 && once.map[i]! < text.length);
        if (i > 0) assert.ok(once.map[i]! >= once.map[i - 1]!);
      }
    }),
    params(3000),
  );
});

// NFKC can expand one word character into several with a separator inside (U+2150 "⅐" → "1⁄7");
// this property found it, and normalisation now keeps such a word one word.
test('normalizeText is idempotent on its own output', () => {
  fc.assert(
    fc.property(normalizeInputs, (text) => {
      const once = normalizeText(text).text;
      assert.equal(normalizeText(once).text, once, `not idempotent on ${JSON.stringify(text)}`);
    }),
    params(3000),
  );
});

test('canonicalizeUrl never throws, is idempotent, and drops utm_ tracking parameters of web URLs', () => {
  const urls = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.tuple(fc.webUrl(), fc.string({ maxLength: 10 })).map(([u, v]) => `${u}${u.includes('?') ? '&' : '?'}utm_source=${encodeURIComponent(v)}&id=1`),
    hostileText,
  );
  fc.assert(
    fc.property(urls, fc.option(fc.oneof(fc.webUrl(), hostileText), { nil: null }), (url, hint) => {
      const canonical = canonicalizeUrl(url, hint);
      assert.equal(canonicalizeUrl(canonical), canonical, `${url} → ${canonical}`);
      if (/^https?:/i.test(canonical)) assert.ok(!/[?&]utm_/i.test(canonical), canonical);
    }),
    params(2000),
  );
});

test('parseQuery never throws: a tree that formats and parses back the same, or an error that points inside the query', () => {
  const queryParts = fc.constantFrom('Pyongyang', 'Corée', 'du', 'Nord', 'Kim*', 'K*', 'AND', 'OR', 'NOT', 'NEAR/3', 'NEAR/0', 'NEAR/500', '(', ')', '"', '"Séoul"', 'title:', 'body:', 'nope:', 'or', 'et', '*', '', ' ');
  const queries = fc.oneof(
    fc.array(queryParts, { maxLength: 12 }).map((p) => p.join(' ')),
    fc.array(queryParts, { maxLength: 12 }).map((p) => p.join('')),
    hostileText,
  );
  fc.assert(
    fc.property(queries, (query) => {
      const parsed = parseQuery(query);
      if (!parsed.ok) {
        assert.ok(parsed.error.position >= 0 && parsed.error.position <= query.length, `${query}: ${parsed.error.message}`);
        return;
      }
      const formatted = formatQuery(parsed.query);
      const again = parseQuery(formatted);
      assert.ok(again.ok, `${JSON.stringify(query)} formats as ${formatted}, which does not parse`);
      assert.equal(formatQuery(again.query), formatted);
    }),
    params(3000),
  );
});

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpora', 'feeds', 'files');

/** Resolves to what parseFeed did, or 'hung' after 5 s. */
async function parseWithin(xml: string): Promise<'ok' | 'feed-error' | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 5000)));
  const parsed = parseFeed(xml, 'https://corpus.example/feed.xml').then(
    () => 'ok' as const,
    (error: unknown) => {
      if (error instanceof FeedParseError) return 'feed-error' as const;
      throw error;
    },
  );
  try {
    return await Promise.race([parsed, hung]);
  } finally {
    clearTimeout(timer);
  }
}

test('parseFeed on mutated real feeds: items or a FeedParseError, never another exception, never a hang', async (t) => {
  if (!existsSync(CORPUS)) return t.skip('../shared/corpora/feeds absent: corpus fuzzing skipped');
  const names = (await readdir(CORPUS)).sort();
  const feeds = await Promise.all(names.map(async (name) => decodeBody(await readFile(join(CORPUS, name)), null)));
  const insertions = [
    '&lol;',
    '&#0;',
    '&#x1b;',
    '<!ENTITY x "y">',
    '<!DOCTYPE rss [<!ENTITY a "b">]>',
    ']]>',
    '<![CDATA[',
    '<',
    '>',
    '&',
    '"',
    '</item>',
    '<item>',
    '</channel>',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '<?xml version="1.0"?>',
    '<!--',
    '-->',
    'xmlns:x="',
    '\u001b[2J',
  ];
  // fast-check biases doubles towards 0: an even spread of positions mutates the body, not just the first byte.
  const position = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);
  const mutation = fc.record({
    feed: fc.nat({ max: feeds.length - 1 }),
    edits: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.constantFrom(...insertions) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.nat({ max: 400 }), times: fc.integer({ min: 2, max: 50 }) }) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  });
  const outcomes = { ok: 0, 'feed-error': 0 };
  await fc.assert(
    fc.asyncProperty(mutation, async ({ feed, edits }) => {
      let xml = feeds[feed]!;
      for (const edit of edits) {
        const at = Math.floor(edit.at * xml.length);
        if (edit.kind === 'flip') xml = xml.slice(0, at) + edit.char + xml.slice(at + 1);
        else if (edit.kind === 'truncate') xml = xml.slice(0, at);
        else if (edit.kind === 'insert') xml = xml.slice(0, at) + edit.text + xml.slice(at);
        else xml = xml.slice(0, at) + xml.slice(at, at + edit.length).repeat(edit.times) + xml.slice(at + edit.length);
      }
      const outcome = await parseWithin(xml);
      assert.notEqual(outcome, 'hung', `${names[feed]} with ${JSON.stringify(edits)} did not settle in 5 s`);
      outcomes[outcome as 'ok' | 'feed-error']++;
    }),
    params(300),
  );
  t.diagnostic(`mutated feeds: ${outcomes.ok} parsed, ${outcomes['feed-error']} refused with a FeedParseError`);
  assert.ok(outcomes.ok > 0 && outcomes['feed-error'] > 0, 'the mutations produce both outcomes');
});
