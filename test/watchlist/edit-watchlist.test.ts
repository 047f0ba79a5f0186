import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  addAliases,
  addExclusions,
  addFeed,
  addKeywords,
  addRule,
  findWatchlistFile,
  newWatchlistDocument,
  parseWatchlistDocument,
  removeExclusions,
  removeFeed,
  removeKeywords,
  renderWatchlistDocument,
  saveWatchlist,
} from '../../src/config/edit-watchlist.js';
import { parseWatchlistText } from '../../src/config/parse-watchlist.js';

const FIXTURE = new URL('../fixtures/watchlist/commented.yaml', import.meta.url);
const fixtureText = () => readFile(FIXTURE, 'utf8');

describe('edits keep comments, blank lines and key order', () => {
  test('a document that is not edited renders to the same text, byte for byte', async () => {
    const shipped = await readFile(new URL('../../watchlists/coree-russie.yaml', import.meta.url), 'utf8');
    assert.equal(renderWatchlistDocument(parseWatchlistDocument(shipped, 'coree-russie.yaml')), shipped);
  });

  test('add, exclude, alias, feed and rule edits, compared with the expected file', async () => {
    const doc = parseWatchlistDocument(await fixtureText(), 'semis.yaml');
    assert.deepEqual(addKeywords(doc, ['ASML', 'tsmc', 'euv', 'Rapidus', 'ASML']), { changed: ['ASML', 'Rapidus'], unchanged: ['tsmc', 'euv', 'ASML'] });
    assert.deepEqual(addExclusions(doc, ['football', 'Football']), { changed: ['football'], unchanged: ['Football'] });
    assert.deepEqual(addAliases(doc, 'tsmc', ['Taiwan Semiconductor', 'TSMC']), { changed: ['Taiwan Semiconductor'], unchanged: ['TSMC'] });
    assert.deepEqual(addAliases(doc, 'lithography', ['High-NA']), { changed: ['High-NA'], unchanged: [] });
    assert.deepEqual(addFeed(doc, 'https://example.net/a.xml', 'A: "quoted"'), { changed: ['https://example.net/a.xml'], unchanged: [] });
    assert.deepEqual(addFeed(doc, 'https://example.com/tech/rss.xml', 'again'), { changed: [], unchanged: ['https://example.com/tech/rss.xml'] });
    assert.deepEqual(addRule(doc, 'ASML AND (export OR controls)'), { changed: ['ASML AND (export OR controls)'], unchanged: [] });
    assert.deepEqual(addRule(doc, ' ASML  AND (export OR controls) '), { changed: [], unchanged: ['ASML  AND (export OR controls)'] });
    assert.equal(
      renderWatchlistDocument(doc),
      `# Semiconductors: fabs, export controls, the supply chain.
# Kept by hand; the order of the sections matters to me.
name: semis
description: Chips and the companies that make them # shown in digests

feeds:
  # Trade press
  - url: https://example.org/semis.rss
    label: Semi Weekly
  # Newspapers
  - https://example.com/tech/rss.xml
  - url: https://example.net/a.xml
    label: 'A: "quoted"'

keywords:
  - term: TSMC # the foundry
    aliases: [Taiwan Semiconductor]
  - term: lithography
    aliases: [EUV, lithographie, High-NA]
  # Companies
  - Samsung Electronics
  - ASML
  - Rapidus

exclude:
  - football

rules:
  - ASML AND (export OR controls)
`,
    );
  });

  test('removals carry a heading comment over to the next entry', async () => {
    const doc = parseWatchlistDocument(await fixtureText(), 'semis.yaml');
    assert.deepEqual(removeFeed(doc, 'https://example.org/semis.rss'), { changed: ['https://example.org/semis.rss'], unchanged: [] });
    assert.deepEqual(removeFeed(doc, 'https://nowhere.example/'), { changed: [], unchanged: ['https://nowhere.example/'] });
    assert.deepEqual(removeKeywords(doc, ['samsung electronics', 'EUV', 'nope']), {
      changed: ['samsung electronics', 'EUV (alias of lithography)'],
      unchanged: ['nope'],
    });
    assert.deepEqual(removeExclusions(doc, ['nope']), { changed: [], unchanged: ['nope'] });
    assert.equal(
      renderWatchlistDocument(doc),
      `# Semiconductors: fabs, export controls, the supply chain.
# Kept by hand; the order of the sections matters to me.
name: semis
description: Chips and the companies that make them # shown in digests

feeds:
  # Trade press
  # Newspapers
  - https://example.com/tech/rss.xml

keywords:
  - TSMC # the foundry
  - term: lithography
    aliases: [lithographie]
  # Companies

exclude: []
`,
    );
  });

  test('an alias for a keyword that is not there is a usage error naming the keywords', async () => {
    const doc = parseWatchlistDocument(await fixtureText(), 'semis.yaml');
    assert.throws(
      () => addAliases(doc, 'Intel', ['INTC']),
      (e: Error) => e.name === 'UsageError' && /no keyword "Intel".*TSMC, lithography, Samsung Electronics/.test(e.message),
    );
  });

  test('a section that is not a list is refused rather than overwritten', () => {
    const doc = parseWatchlistDocument('keywords: just one\n', 'x.yaml');
    assert.throws(() => addKeywords(doc, ['two']), /keywords: is not a list/);
  });

  test('a new watchlist document is valid and carries its reference profile', () => {
    const doc = newWatchlistDocument('seeded', {
      description: 'From a seed',
      keywords: ['Pyongyang', 'accord: de défense'],
      feeds: [{ url: 'https://example.org/rss', label: 'Example' }],
      reference: { seed: 'seed.html', createdAt: '2026-11-02T08:00:00.000Z', terms: { pyongyang: 0.5, lavrov: 0.25 } },
    });
    const text = renderWatchlistDocument(doc);
    assert.match(text, /^# seeded: From a seed\n/);
    assert.match(text, /# Derived from the seed article: term weights for relevance, never its text\.\nreference:\n {2}seed: seed\.html\n/);
    const parsed = parseWatchlistDocument(text, 'seeded.yaml').toJS();
    assert.deepEqual(parsed.keywords, ['Pyongyang', 'accord: de défense']);
    assert.deepEqual(parsed.reference.terms, { pyongyang: 0.5, lavrov: 0.25 });
    assert.throws(() => newWatchlistDocument('../evil', { keywords: ['x'] }), /watchlist name/);
  });
});

describe('saveWatchlist', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'presswatch-edit-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes the edited document atomically and leaves no temporary file', async () => {
    const file = join(dir, 'semis.yaml');
    await writeFile(file, await fixtureText());
    const doc = parseWatchlistDocument(await readFile(file, 'utf8'), file);
    addKeywords(doc, ['ASML']);
    const saved = await saveWatchlist(file, doc);
    assert.deepEqual(
      saved.watchlist.keywords.map((k) => k.term),
      ['TSMC', 'lithography', 'Samsung Electronics', 'ASML'],
    );
    assert.match(await readFile(file, 'utf8'), /^# Semiconductors.*\n[\s\S]* {2}- ASML\n\nexclude: \[\]\n$/);
    assert.deepEqual(await readdir(dir), ['semis.yaml']);
  });

  test('refuses an invalid result and leaves the file as it was', async () => {
    const file = join(dir, 'only.yaml');
    const original = 'name: only\n# the one keyword\nkeywords:\n  - alone\n';
    await writeFile(file, original);
    const doc = parseWatchlistDocument(original, file);
    removeKeywords(doc, ['alone']);
    await assert.rejects(saveWatchlist(file, doc), (e: Error) => e.name === 'ConfigError' && /not saved, the result would be invalid: .*only\.yaml: keywords: empty/.test(e.message));
    assert.equal(await readFile(file, 'utf8'), original);
    assert.equal(parseWatchlistText(original, file).watchlist.keywords.length, 1);
    assert.deepEqual((await readdir(dir)).sort(), ['only.yaml', 'semis.yaml']);
  });

  test('findWatchlistFile finds by file name or by declared name, and lists the known ones otherwise', async () => {
    const sub = join(dir, 'find');
    await mkdir(sub);
    await writeFile(join(sub, 'a.yaml'), 'keywords: [x]\n');
    await writeFile(join(sub, 'file-b.yml'), 'name: b\nkeywords: [y]\n');
    await writeFile(join(sub, 'broken.yaml'), 'keywords: [unclosed\n');
    assert.equal(await findWatchlistFile(sub, 'a'), join(sub, 'a.yaml'));
    assert.equal(await findWatchlistFile(sub, 'b'), join(sub, 'file-b.yml'));
    // A broken file is still found by its file name, so `edit` can repair it.
    assert.equal(await findWatchlistFile(sub, 'broken'), join(sub, 'broken.yaml'));
    await assert.rejects(findWatchlistFile(sub, 'zzz'), (e: Error) => e.name === 'UsageError' && /unknown watchlist "zzz" \(known: a, broken, b;/.test(e.message));
  });
});
