import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemId, itemKey, sha256 } from '../../src/feed/item.js';

const FEED_A = 'https://www.example.fr/international/rss.xml';
const FEED_B = 'https://www.example.org/monde/atom.xml';

describe('itemKey', () => {
  type Parts = Parameters<typeof itemKey>[0];
  const base: Parts = { guid: null, link: null, title: 'Moscou et Pyongyang signent un accord', content: 'Le texte prévoit une assistance mutuelle.' };
  const cases: { name: string; parts: Parts; expected: string }[] = [
    { name: 'guid first, even with a link', parts: { ...base, guid: 'urn:ex:42', link: 'https://ex.fr/a' }, expected: 'guid:urn:ex:42' },
    { name: 'link when no guid', parts: { ...base, link: 'https://ex.fr/a' }, expected: 'link:https://ex.fr/a' },
    { name: 'empty guid counts as none', parts: { ...base, guid: '', link: 'https://ex.fr/a' }, expected: 'link:https://ex.fr/a' },
    { name: 'hash of title and content when neither', parts: base, expected: `hash:${sha256(`${base.title}\n${base.content}`)}` },
  ];
  for (const c of cases) it(c.name, () => assert.equal(itemKey(c.parts), c.expected));

  it('hash key changes with the title or the content', () => {
    const a = itemKey(base);
    assert.notEqual(itemKey({ ...base, title: `${base.title}.` }), a);
    assert.notEqual(itemKey({ ...base, content: `${base.content} ` }), a);
  });

  it('does not confuse title/content boundaries', () => {
    assert.notEqual(itemKey({ ...base, title: 'ab', content: 'c' }), itemKey({ ...base, title: 'a', content: 'bc' }));
  });
});

describe('itemId', () => {
  it('same feed and key: same id, every time', () => {
    assert.equal(itemId(FEED_A, 'guid:1'), itemId(FEED_A, 'guid:1'));
  });
  it('same key in another feed: another id', () => {
    assert.notEqual(itemId(FEED_A, 'guid:1'), itemId(FEED_B, 'guid:1'));
  });
  it('different keys in one feed: different ids', () => {
    assert.notEqual(itemId(FEED_A, 'guid:1'), itemId(FEED_A, 'guid:2'));
    assert.notEqual(itemId(FEED_A, 'guid:x'), itemId(FEED_A, 'link:x'));
  });
  it('is 24 lowercase hex characters', () => {
    assert.match(itemId(FEED_A, 'link:https://ex.fr/a'), /^[0-9a-f]{24}$/);
  });
});

describe('sha256', () => {
  it('is the standard digest (UTF-8 input)', () => {
    assert.equal(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256('é'), sha256('\u00e9'));
    assert.notEqual(sha256('é'), sha256('e\u0301'));
  });
});
