import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalizeUrl, isTrackingParam, TRACKING_PARAMS } from '../../src/dedupe/canonical-url.js';

test('canonicalizeUrl folds the spellings feeds and share buttons use', () => {
  const cases: [string, string][] = [
    ['HTTP://WWW.Example.COM:80/News/Story/', 'https://example.com/News/Story'],
    ['https://example.com:443/a?b=1#section-2', 'https://example.com/a?b=1'],
    ['https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=IwAR0x', 'https://example.com/a?id=7'],
    ['https://www.lemonde.example/international/article/x.html?xtor=RSS-3208&at_medium=Social&at_campaign=fb', 'https://lemonde.example/international/article/x.html'],
    ['https://example.com/a?GCLID=abc&UTM_Campaign=x', 'https://example.com/a'],
    ['https://example.com/a?z=2&a=1', 'https://example.com/a?a=1&z=2'],
    ['https://m.example.com/world/story-1', 'https://example.com/world/story-1'],
    ['https://mobile.example.com/world/story-1', 'https://example.com/world/story-1'],
    ['https://amp.example.com/world/story-1', 'https://example.com/world/story-1'],
    ['https://example.com/world/story-1/amp/', 'https://example.com/world/story-1'],
    ['https://example.com/amp/world/story-1', 'https://example.com/world/story-1'],
    ['https://example.com/world/story-1.amp', 'https://example.com/world/story-1'],
    ['https://example.com/world/story-1.amp.html', 'https://example.com/world/story-1.html'],
    ['https://example.com/world/story-1?amp=1', 'https://example.com/world/story-1'],
    ['https://example.com/world/story-1?outputType=amp&page=2', 'https://example.com/world/story-1?page=2'],
    ['https://www-example-com.cdn.ampproject.org/c/s/www.example.com/world/story-1/amp', 'https://example.com/world/story-1'],
    ['https://example.com:8443/a/', 'https://example.com:8443/a'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com//a//b/', 'https://example.com/a/b'],
    ['https://example.com./a', 'https://example.com/a'],
    // m.co is a whole domain, not a mobile prefix.
    ['https://m.co/a', 'https://m.co/a'],
    // The path keeps its case and the remaining query its values.
    ['https://example.com/Article?ID=AbC', 'https://example.com/Article?ID=AbC'],
    ['  https://example.com/a  ', 'https://example.com/a'],
    ['not a url', 'not a url'],
    ['', ''],
    ['file:///tmp/feed.xml#top', 'file:///tmp/feed.xml'],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalizeUrl(input), expected, input);
});

test("canonicalizeUrl prefers the page's rel=canonical, unless it points at the home page", () => {
  const page = 'https://m.example.com/world/story-1?utm_source=x';
  assert.equal(canonicalizeUrl(page, 'https://www.example.com/world/story-1/'), 'https://example.com/world/story-1');
  assert.equal(canonicalizeUrl(page, '/world/story-1-long-title'), 'https://example.com/world/story-1-long-title');
  assert.equal(canonicalizeUrl(page, 'https://www.example.com/'), 'https://example.com/world/story-1');
  assert.equal(canonicalizeUrl(page, 'javascript:void(0)'), 'https://example.com/world/story-1');
  assert.equal(canonicalizeUrl(page, ''), 'https://example.com/world/story-1');
  assert.equal(canonicalizeUrl(page, null), 'https://example.com/world/story-1');
});

test('the tracking list names the usual suspects', () => {
  for (const name of ['utm_source', 'utm_whatever', 'fbclid', 'gclid', 'xtor', 'at_medium', 'at_campaign', 'mc_eid', 'Echobox']) assert.ok(isTrackingParam(name), name);
  for (const name of ['id', 'page', 'p', 'article', 'amp_story', 'q']) assert.ok(!isTrackingParam(name), name);
});

const trackingName = fc.oneof(
  fc.constantFrom(...TRACKING_PARAMS),
  fc.string({ minLength: 1, maxLength: 6 }).map((s) => `utm_${s}`),
  fc.string({ minLength: 1, maxLength: 6 }).map((s) => `at_${s}`),
);
const anyUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string(),
  fc.webUrl().map((u) => u.toUpperCase()),
);

test('property: canonicalizeUrl never throws and is idempotent', () => {
  fc.assert(
    fc.property(anyUrl, fc.option(anyUrl), (url, hint) => {
      const once = canonicalizeUrl(url, hint);
      assert.equal(canonicalizeUrl(once), once);
    }),
    { numRuns: 2000 },
  );
});

test('property: no tracking parameter and no fragment survive; the host is lowercase', () => {
  fc.assert(
    fc.property(
      fc.webUrl({ withQueryParameters: true }),
      fc.array(fc.tuple(trackingName, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }),
      fc.string({ maxLength: 10 }),
      fc.boolean(),
      (base, params, fragment, upper) => {
        const url = new URL(base);
        for (const [name, value] of params) url.searchParams.append(upper ? name.toUpperCase() : name, value);
        url.hash = fragment;
        const out = new URL(canonicalizeUrl(upper ? url.href.replace(url.host, url.host.toUpperCase()) : url.href));
        for (const name of out.searchParams.keys()) assert.ok(!isTrackingParam(name), `${name} survived in ${out.href}`);
        assert.equal(out.hash, '');
        assert.equal(out.hostname, out.hostname.toLowerCase());
      },
    ),
    { numRuns: 1000 },
  );
});

test('property: query order and tracking noise do not change the canonical URL', () => {
  fc.assert(
    fc.property(
      fc.webUrl(),
      fc.uniqueArray(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 4 }).map((names) => names.filter((n) => !isTrackingParam(n) && n !== 'amp')),
      fc.array(trackingName, { maxLength: 3 }),
      (base, names, tracking) => {
        const a = new URL(base);
        a.search = '';
        a.hash = '';
        const b = new URL(a.href);
        names.forEach((n, i) => {
          a.searchParams.append(n, String(i));
        });
        [...names].reverse().forEach((n) => {
          b.searchParams.append(n, String(names.indexOf(n)));
        });
        for (const t of tracking) b.searchParams.append(t, 'x');
        assert.equal(canonicalizeUrl(b.href), canonicalizeUrl(a.href));
      },
    ),
    { numRuns: 500 },
  );
});

test('property: idempotent on the shapes the rules rewrite (AMP segments, host prefixes, ports)', () => {
  const segment = fc.constantFrom('amp', 'AMP', '', 'x.amp', 'y.amp.html', '.amp', '%7E', 'a b', 'story', 'index.html');
  fc.assert(
    fc.property(
      fc.constantFrom('http', 'https', 'HTTP'),
      fc.constantFrom('', 'www.', 'm.', 'amp.', 'www.m.', 'mobile.amp.'),
      fc.domain(),
      fc.constantFrom('', ':80', ':443', ':8080'),
      fc.array(segment, { maxLength: 5 }),
      fc.constantFrom('', '?amp', '?amp=1&x=1', '?utm_source=a', '?outputType=amp', '?b=2&a=1'),
      (scheme, prefix, domain, port, segments, query) => {
        const url = `${scheme}://${prefix}${domain}${port}/${segments.join('/')}${query}`;
        const once = canonicalizeUrl(url);
        assert.equal(canonicalizeUrl(once), once, url);
        assert.ok(!/[?&](utm_|amp\b)/i.test(once), once);
      },
    ),
    { numRuns: 1500 },
  );
});
