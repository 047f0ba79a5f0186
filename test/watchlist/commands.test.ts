import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Chalk } from 'chalk';
import { exportOpml, feedsImportCommand } from '../../src/cli/commands/feeds.js';
import {
  parseKeepAnswer,
  renderTestReport,
  testWatchlist,
  watchlistAliasCommand,
  watchlistCreateCommand,
  watchlistEditCommand,
  watchlistFeedAddCommand,
  watchlistValidateCommand,
} from '../../src/cli/commands/watchlist.js';
import { loadWatchlistFile, loadWatchlists } from '../../src/config/load-watchlists.js';
import type { Watchlist } from '../../src/config/watchlist.js';

const COMMENTED = new URL('../fixtures/watchlist/commented.yaml', import.meta.url);

describe('watchlist test (what would match, and why)', () => {
  const watchlist: Watchlist = {
    name: 'coree-russie',
    description: '',
    feeds: [],
    keywords: [
      { term: 'Pyongyang', aliases: ["P'yŏngyang"] },
      { term: 'Corée du Nord', aliases: ['nord-coréen'] },
      { term: 'Lavrov', aliases: [] },
    ],
    exclude: ['football'],
  };

  test('each matching keyword with its variant, field, count and a highlighted snippet', () => {
    const text = 'Lavrov à P’yŏngyang : le dirigeant nord-coréen reçoit Lavrov.';
    const report = testWatchlist(watchlist, { title: '', summary: '', content: text }, 'the given text');
    assert.equal(report.matched, true);
    assert.deepEqual(
      report.terms.map((t) => [t.term, t.variant, t.field, t.count]),
      [
        ['Pyongyang', 'P’yŏngyang', 'content', 1],
        ['Corée du Nord', 'nord-coréen', 'content', 1],
        ['Lavrov', 'Lavrov', 'content', 2],
      ],
    );
    assert.equal(
      renderTestReport(report),
      [
        `coree-russie on the given text (${text.length} characters)`,
        'match: 3 keywords',
        '',
        '  Pyongyang as "P’yŏngyang", 1× (first in content)',
        `    ${text}`,
        '',
        '  Corée du Nord as "nord-coréen", 1× (first in content)',
        `    ${text}`,
        '',
        '  Lavrov, 2× (first in content)',
        `    ${text}`,
        '',
      ].join('\n'),
    );
    // With colour, exactly the occurrences are highlighted (both Lavrovs in one snippet).
    const coloured = renderTestReport(report, new Chalk({ level: 1 }));
    assert.equal((coloured.match(/\u001b\[1m\u001b\[33mLavrov\u001b\[39m\u001b\[22m/g) ?? []).length, 2);
    assert.equal((coloured.match(/\u001b\[33m/g) ?? []).length, 4);
  });

  test('facets: which ones the text holds, with their words, which it lacks, and whether require holds', () => {
    const withFacets: Watchlist = {
      ...watchlist,
      keywords: [],
      facets: [
        { name: 'Inde', kind: 'actor', countries: ['IN'], terms: ['Jaishankar'] },
        { name: 'Chine', kind: 'actor', countries: ['CN'], terms: [] },
      ],
      require: 'Inde AND Chine',
    };
    const both = testWatchlist(withFacets, { title: '', summary: '', content: 'Jaishankar lands in Beijing for border talks with Chinese officials.' }, 'the given text');
    assert.equal(both.matched, true);
    assert.deepEqual(both.facets, {
      require: 'Inde AND Chine',
      satisfied: true,
      found: [
        { name: 'Inde', kind: 'actor', words: ['Jaishankar'] },
        { name: 'Chine', kind: 'actor', words: ['Beijing', 'Chinese'] },
      ],
      missing: [],
    });
    assert.match(renderTestReport(both), /match: facets \(Inde AND Chine\)\n {2}Inde: Jaishankar\n {2}Chine: Beijing, Chinese\n/);
    const one = testWatchlist(withFacets, { title: '', summary: '', content: 'New Delhi hosts a cricket final.' }, 'the given text');
    assert.equal(one.matched, false);
    assert.match(renderTestReport(one), /no match: require \(Inde AND Chine\) does not hold, no keyword occurs\n {2}Inde: New Delhi\n {2}Chine: not found\n/);
  });

  test('rules: a rule that holds is shown with its query; one that does not says which words are lacking', () => {
    const withRules: Watchlist = {
      ...watchlist,
      keywords: [{ term: 'Wonsan', aliases: [] }],
      rules: [
        { name: 'Lavrov à Pyongyang', query: 'Lavrov NEAR/5 Pyongyang' },
        { name: 'pacte', query: 'pacte AND (Moscou OR Russie)' },
      ],
    };
    const report = testWatchlist(withRules, { title: '', summary: '', content: 'Lavrov est à Pyongyang pour parler du pacte.' }, 'the given text');
    assert.deepEqual(
      report.terms.map((m) => [m.kind, m.term, m.query, m.variant]),
      [['rule', 'Lavrov à Pyongyang', 'Lavrov NEAR/5 Pyongyang', 'Lavrov … Pyongyang']],
    );
    assert.deepEqual(report.nearMisses, [{ kind: 'rule', term: 'pacte', query: 'pacte AND (Moscou OR Russie)', found: ['pacte'], missing: ['Moscou', 'Russie'] }]);
    const text = renderTestReport(report);
    assert.match(text, /\nmatch: 1 rule\n\n {2}rule Lavrov à Pyongyang \(Lavrov NEAR\/5 Pyongyang\) as "Lavrov … Pyongyang", 2× \(first in content\)\n {4}Lavrov est à Pyongyang pour parler du pacte\.\n/);
    assert.match(text, /rules that did not hold:\n {2}pacte: has pacte; lacks Moscou, Russie\n$/);
  });

  test('a long text gets snippets cut around the occurrences', () => {
    const filler = 'mot '.repeat(60);
    const report = testWatchlist(watchlist, { title: 'Lavrov à Pyongyang', summary: '', content: `${filler}Pyongyang ${filler}` }, 'x');
    const pyongyang = report.terms.find((t) => t.term === 'Pyongyang')!;
    assert.equal(pyongyang.field, 'title');
    assert.equal(pyongyang.occurrences.length, 2);
    const inContent = pyongyang.occurrences[1]!;
    assert.match(inContent.snippet, /^…(mot ){10,}Pyongyang( mot){10,}…$/);
    assert.equal(inContent.snippet.slice(...inContent.highlights[0]!), 'Pyongyang');
  });

  test('"no match" and "excluded by" are said plainly', () => {
    const none = testWatchlist(watchlist, { title: '', summary: '', content: 'Rien à voir.' }, 'the given text');
    assert.equal(renderTestReport(none), 'coree-russie on the given text (12 characters)\nno match: no keyword occurs\n');
    const vetoed = testWatchlist(watchlist, { title: '', summary: '', content: 'Lavrov parle de football.' }, 'the given text');
    assert.equal(vetoed.matched, false);
    assert.match(renderTestReport(vetoed), /no match: excluded by "football"/);
  });

  test('text from a page cannot smuggle escape sequences to the terminal', () => {
    const report = testWatchlist(watchlist, { title: '', summary: '', content: 'Lavrov \u001b]52;c;ZXZpbA==\u0007 \u001b[2J fin' }, 'x');
    assert.doesNotMatch(renderTestReport(report), /\u001b/);
  });
});

describe('parseKeepAnswer (choosing among proposed keywords)', () => {
  test('keep all, none, or drop numbers and ranges', () => {
    assert.deepEqual(parseKeepAnswer('', 4), { keep: [0, 1, 2, 3] });
    assert.deepEqual(parseKeepAnswer(' Y ', 4), { keep: [0, 1, 2, 3] });
    assert.deepEqual(parseKeepAnswer('n', 4), { keep: [] });
    assert.deepEqual(parseKeepAnswer('3,1', 4), { keep: [1, 3] });
    assert.deepEqual(parseKeepAnswer('2-3 4', 4), { keep: [0] });
    assert.match((parseKeepAnswer('5', 4) as { error: string }).error, /outside 1-4/);
    assert.match((parseKeepAnswer('two', 4) as { error: string }).error, /not a number/);
  });
});

describe('commands on a config dir', () => {
  let root: string;
  let configDir: string;
  let dir: string;
  const global = () => ({ configDir, dataDir: join(root, 'data'), quiet: true, color: false });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'presswatch-cmd-'));
    configDir = join(root, 'config');
    dir = join(configDir, 'watchlists');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'semis.yaml'), await readFile(COMMENTED, 'utf8'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('add, alias, exclude, feed add and remove edit the file in place, comments kept', async () => {
    await watchlistEditCommand('add', 'semis', ['ASML'], global());
    await watchlistAliasCommand('semis', 'ASML', ['ASML Holding'], global());
    await watchlistEditCommand('exclude', 'semis', ['football'], global());
    await watchlistFeedAddCommand('semis', 'https://example.net/chips.rss', { label: 'Chips' }, global());
    await watchlistEditCommand('remove', 'semis', ['Samsung Electronics', 'football'], global());
    const text = await readFile(join(dir, 'semis.yaml'), 'utf8');
    assert.match(text, /^# Semiconductors: fabs, export controls, the supply chain\.\n# Kept by hand/);
    assert.match(text, / {2}- TSMC # the foundry\n/);
    assert.match(text, / {2}# Companies\n {2}- term: ASML\n {4}aliases: \[ASML Holding\]\n\nexclude: \[\]\n$/);
    assert.match(text, / {2}- url: https:\/\/example\.net\/chips\.rss\n {4}label: Chips\n\nkeywords:/);
    const { watchlist } = await loadWatchlistFile(join(dir, 'semis.yaml'));
    assert.deepEqual(
      watchlist.keywords.map((k) => k.term),
      ['TSMC', 'lithography', 'ASML'],
    );
  });

  test('edits that would make the watchlist invalid are refused; bad input is a usage error', async () => {
    const before = await readFile(join(dir, 'semis.yaml'), 'utf8');
    await assert.rejects(watchlistEditCommand('remove', 'semis', ['TSMC', 'lithography', 'ASML'], global()), /not saved, the result would be invalid: .*keywords: empty/);
    await assert.rejects(watchlistFeedAddCommand('semis', 'ftp://example.org/feed', {}, global()), (e: Error) => e.name === 'UsageError' && /unsupported scheme "ftp:"/.test(e.message));
    await assert.rejects(watchlistEditCommand('add', 'nope', ['x'], global()), /unknown watchlist "nope" \(known: semis;/);
    assert.equal(await readFile(join(dir, 'semis.yaml'), 'utf8'), before);
  });

  test('create writes a valid file with a header; an existing name is refused', async () => {
    await watchlistCreateCommand('chips', ['Nvidia', 'HBM'], { description: 'GPUs and memory', feed: ['https://example.org/gpu.rss'], max: '15' }, global());
    const text = await readFile(join(dir, 'chips.yaml'), 'utf8');
    assert.match(text, /^# chips: GPUs and memory\n/);
    const { watchlist } = await loadWatchlistFile(join(dir, 'chips.yaml'));
    assert.deepEqual([watchlist.name, watchlist.keywords.map((k) => k.term), watchlist.feeds.map((f) => f.url)], ['chips', ['Nvidia', 'HBM'], ['https://example.org/gpu.rss']]);
    await assert.rejects(watchlistCreateCommand('chips', ['x'], { feed: [], max: '15' }, global()), /already exists/);
    await assert.rejects(watchlistCreateCommand('empty', [], { feed: [], max: '15' }, global()), /give at least one keyword/);
  });

  test('validate reports every file and fails with exit status 2 when one is invalid', async () => {
    await watchlistValidateCommand(undefined, { json: true }, global()).catch(() => assert.fail('all valid so far'));
    await writeFile(join(dir, 'broken.yaml'), 'keywords: []\nfeeds: [ftp://x]\n');
    await assert.rejects(watchlistValidateCommand(undefined, { json: true }, global()), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /1 of 3 watchlists is invalid/.test(e.message));
    await rm(join(dir, 'broken.yaml'));
  });

  test('OPML round trip: export the watchlists, import into empty ones, same feeds', async () => {
    const loaded = (await loadWatchlists(dir)).map((l) => l.watchlist);
    const exported = exportOpml(loaded, new Date('2026-11-02T08:00:00Z'));
    assert.equal(exported.count, 4);
    const opml = join(root, 'export.opml');
    await writeFile(opml, exported.xml);

    // A second config dir with the same watchlists but no feeds.
    const other = join(root, 'other');
    await mkdir(join(other, 'watchlists'), { recursive: true });
    await writeFile(join(other, 'watchlists', 'semis.yaml'), '# kept\nname: semis\nkeywords: [TSMC]\nfeeds: [] # to fill\n');
    await writeFile(join(other, 'watchlists', 'chips.yaml'), 'name: chips\nkeywords: [HBM]\n');
    const otherGlobal = { ...global(), configDir: other };
    const counts = await feedsImportCommand(opml, {}, otherGlobal);
    assert.deepEqual(counts, [
      { watchlist: 'chips', added: 1, duplicates: 0, invalid: 0 },
      { watchlist: 'semis', added: 3, duplicates: 0, invalid: 0 },
    ]);
    const reimported = await loadWatchlists(join(other, 'watchlists'));
    for (const w of reimported) {
      const original = loaded.find((l) => l.name === w.watchlist.name)!;
      assert.deepEqual(w.watchlist.feeds, original.feeds);
    }
    assert.match(await readFile(join(other, 'watchlists', 'semis.yaml'), 'utf8'), /^# kept\nname: semis\nkeywords: \[TSMC\]\nfeeds:\n {2}# to fill\n {2}- url: https:\/\/example\.org\/semis\.rss\n/);
    // Importing again adds nothing.
    assert.deepEqual(
      (await feedsImportCommand(opml, {}, otherGlobal)).map((c) => [c.added, c.duplicates]),
      [
        [0, 1],
        [0, 3],
      ],
    );
    // A reader's export goes where -w says, skipping what is there.
    const reader = new URL('../fixtures/opml/reader-export.opml', import.meta.url);
    const [count] = await feedsImportCommand(reader.pathname, { watchlist: 'chips' }, otherGlobal);
    assert.deepEqual(count, { watchlist: 'chips', added: 7, duplicates: 0, invalid: 0 });
    await assert.rejects(feedsImportCommand(reader.pathname, {}, otherGlobal), /pass -w NAME \(known: chips, semis\)/);
  });
});
