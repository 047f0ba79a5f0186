import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { DIGEST_FORMATS } from '../../src/digest/formats.js';
import { renderDigest } from '../../src/digest/render.js';
import { sampleDigest, sampleSearchDigest } from './sample-digest.js';

const SNAPSHOTS = new URL('../fixtures/digest/', import.meta.url);

// Snapshots are reviewed files: regenerate with UPDATE_SNAPSHOTS=1 and read the diff.
function matchSnapshot(name: string, actual: string): void {
  const file = new URL(name, SNAPSHOTS);
  if (process.env['UPDATE_SNAPSHOTS'] === '1' || !existsSync(file)) {
    if (process.env['CI'] && !existsSync(file)) assert.fail(`snapshot ${name} is missing`);
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from snapshot ${name}`);
}

describe('renderers take the same Digest value', () => {
  for (const format of DIGEST_FORMATS) {
    it(`${format} matches its snapshot`, () => {
      matchSnapshot(`digest.${format}.snap`, renderDigest(sampleDigest(), format, { color: false }));
    });
  }

  for (const format of DIGEST_FORMATS) {
    it(`a search in ${format} has its own header (query, scope, hits and stories) and folded stories`, () => {
      matchSnapshot(`search.${format}.snap`, renderDigest(sampleSearchDigest(), format, { color: false }));
    });
  }

  it('a search with --no-fold lists every copy and says so', () => {
    matchSnapshot('search-no-fold.text.snap', renderDigest(sampleSearchDigest(false), 'text', { color: false }));
  });

  it('a search that found nothing says so in words of a search, not of a digest', () => {
    const empty = { ...sampleSearchDigest(), stories: [], search: { query: 'Wonsan', hits: 0, folded: true } };
    empty.counts = { ...empty.counts, stories: 0 };
    assert.equal(renderDigest(empty, 'text', { color: false }), 'presswatch search · Wonsan · since 2026-11-01T00:00:00.000Z\n0 hits in 0 stories\n\n  nothing stored matches\n');
    assert.match(renderDigest(empty, 'markdown'), /^# presswatch search — Wonsan\n\n0 hits in 0 stories \(since 2026-11-01T00:00:00\.000Z\)\n\n_Nothing stored matches\._\n$/);
    for (const format of DIGEST_FORMATS) assert.doesNotMatch(renderDigest(empty, format, { color: false }), /feeds checked|nothing new matched|presswatch digest/i, format);
  });

  it('text with colour highlights keywords and still carries no escape sequence from feed text', () => {
    const out = renderDigest(sampleDigest(), 'text', { color: true });
    assert.match(out, /\u001b\[1m\u001b\[33maccord de défense/);
    const fromFeed = out.replace(/\u001b\[[0-9;]*m/g, '');
    assert.doesNotMatch(fromFeed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('terminal text drops OSC 8, OSC 52, CSI, BEL and bidi overrides from feed text', () => {
    const out = renderDigest(sampleDigest(), 'text', { color: false });
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.ok(out.includes('click'), 'visible text of a hyperlink is kept');
    assert.ok(!out.includes('ZXZpbA=='), 'clipboard payload is dropped with its sequence');
  });

  it('html carries no script, event handler or javascript: URL from feeds', () => {
    const html = renderDigest(sampleDigest(), 'html');
    // Parse it as a browser would and inspect the tree, not the text.
    const $ = cheerio.load(html);
    assert.equal($('script, img, iframe, object, embed').length, 0);
    $('*').each((_i, el) => {
      for (const [name, value] of Object.entries((el as { attribs?: Record<string, string> }).attribs ?? {})) {
        assert.doesNotMatch(name, /^on/i, `event handler attribute ${name}`);
        if (name === 'href') assert.match(value, /^https?:\/\//, `href ${value}`);
      }
    });
    assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /<mark>accord de défense<\/mark>/);
  });

  it('markdown escapes feed text so a title cannot inject a link or HTML', () => {
    const md = renderDigest(sampleDigest(), 'markdown');
    assert.ok(!md.includes('[x](javascript:'), 'link syntax from a title is escaped');
    assert.ok(md.includes('\\[x\\](javascript:alert(1))'));
    assert.ok(md.includes('\\<script\\>'));
    assert.ok(md.includes('Autre Journal'));
  });

  it('ndjson has one story per line and a summary line', () => {
    const lines = renderDigest(sampleDigest(), 'ndjson')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.type),
      ['story', 'story', 'summary'],
    );
    assert.equal(lines[2].counts.stories, 2);
    assert.equal(lines[0].schema, 'presswatch.digest/1');
  });

  it('json round-trips the digest value exactly', () => {
    assert.deepEqual(JSON.parse(renderDigest(sampleDigest(), 'json')), JSON.parse(JSON.stringify(sampleDigest())));
  });
});
