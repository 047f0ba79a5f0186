import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument, parseFeed as parseFeedHtmlparser2 } from 'htmlparser2';
import Parser from 'rss-parser';
import { renderAtom } from '../../src/digest/render-atom.js';
import { renderDigest } from '../../src/digest/render.js';
import { checkAtom } from '../helpers/atom-check.js';
import { sampleDigest } from './sample-digest.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('Atom renderer', () => {
  it('is read back by rss-parser (xml2js, strict XML) with every story', async () => {
    const digest = sampleDigest();
    const feed = await new Parser().parseString(renderDigest(digest, 'atom'));
    assert.equal(feed.title, 'presswatch · coree-russie');
    assert.equal(feed.items.length, digest.stories.length);
    assert.deepEqual(
      feed.items.map((i) => i.link),
      ['https://example.org/a1', 'https://example.org/evil'],
    );
    assert.equal(feed.items[0]!.title, 'Pyongyang et Moscou : le point sur l’accord');
    assert.equal(feed.items[0]!.pubDate, '2026-11-23T08:30:00.000Z');
    assert.match(String(feed.items[0]!.id), /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is read back by a second, independent parser (htmlparser2 parseFeed) with the same entries', () => {
    const digest = sampleDigest();
    const xml = renderAtom(digest);
    const feed = parseFeedHtmlparser2(xml, { xmlMode: true });
    assert.ok(feed);
    assert.equal(feed.type, 'atom');
    assert.equal(feed.title, 'presswatch · coree-russie');
    assert.equal(feed.items.length, 2);
    assert.deepEqual(
      feed.items.map((i) => i.link),
      ['https://example.org/a1', 'https://example.org/evil'],
    );
    assert.equal(feed.items[1]!.title, '<script>alert(1)</script>click [x](javascript:alert(1)) evil', 'markup from the feed is text, not elements');
  });

  it("holds RFC 4287's required elements (feed and entries: one id, title, updated; authors; content or link)", () => {
    assert.deepEqual(checkAtom(renderAtom(sampleDigest())), []);
    const empty = { ...sampleDigest(), stories: [] };
    assert.deepEqual(checkAtom(renderAtom(empty)), []);
    // The checker is not vacuous: it catches a missing id and a bad date.
    const broken = renderAtom(sampleDigest())
      .replace(/<id>[^<]*<\/id>\n {4}<title/, '<title')
      .replace('<updated>2026', '<updated>26');
    assert.ok(
      checkAtom(broken).some((p) => /entry 1: 0 atom:id/.test(p)),
      checkAtom(broken).join('\n'),
    );
    assert.ok(checkAtom(broken).some((p) => /RFC 3339/.test(p)));
  });

  it('entry ids come from story ids: the same story keeps its id in a later feed, another story gets another', () => {
    const digest = sampleDigest();
    const ids = (xml: string) => [...xml.matchAll(/<entry>\n {4}<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    const first = ids(renderAtom(digest));
    const later = ids(renderAtom({ ...digest, generatedAt: '2026-12-01T00:00:00.000Z', stories: [digest.stories[1]!] }));
    assert.equal(new Set(first).size, 2);
    assert.deepEqual(later, [first[1]]);
    const feedId = (xml: string) => /<feed[^>]*>\n {2}<id>([^<]+)/.exec(xml)![1];
    assert.equal(feedId(renderAtom(digest, { feedKey: 'x' })), feedId(renderAtom({ ...digest, stories: [] }, { feedKey: 'x' })));
    assert.notEqual(feedId(renderAtom(digest, { feedKey: 'x' })), feedId(renderAtom(digest, { feedKey: 'y' })));
  });

  it('updated times: given per entry, the feed takes the newest', () => {
    const digest = sampleDigest();
    const xml = renderAtom(digest, { updatedOf: (s) => (s.id === 'a1' ? '2026-11-24T06:00:00.000Z' : '2026-11-24T07:30:00.000Z') });
    assert.match(xml, /<feed[^>]*>\n(?:.*\n){3} {2}<updated>2026-11-24T07:30:00.000Z<\/updated>/);
    assert.deepEqual(checkAtom(xml), []);
  });

  it('feed text carries no control, escape sequence, script or javascript: link (content HTML checked on its DOM)', async () => {
    const xml = renderAtom(sampleDigest());
    assert.ok(!UNSAFE.test(xml.replace(/\n/g, '')), JSON.stringify(xml.match(UNSAFE)));
    const feed = await new Parser().parseString(xml);
    for (const item of feed.items) {
      const dom = parseDocument(String(item.content ?? ''));
      const walk = (nodes: typeof dom.children): void => {
        for (const node of nodes) {
          assert.notEqual(node.type, 'script');
          if (node.type !== 'tag') continue;
          const el = node as unknown as { name: string; attribs: Record<string, string>; children: typeof nodes };
          for (const [name, value] of Object.entries(el.attribs)) {
            assert.ok(!/^on/i.test(name), `event handler ${name}`);
            if (name === 'href') assert.match(value, /^https?:\/\//);
          }
          walk(el.children);
        }
      };
      walk(dom.children);
    }
    assert.ok(!/href="javascript:/i.test(xml));
  });
});
