/**
 * The store contract: every behaviour the pipeline relies on, run against each
 * store (SQLite always; PostgreSQL where a server is reachable, see
 * test/helpers/stores.ts). A behaviour cannot exist in one store and not the other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, type QueryNode } from '../../src/match/parse-query.js';
import { toTextPrefilter, wordsFilter, type TextFilter } from '../../src/store/text-filter.js';
import { openTestStore, STORE_BACKENDS } from '../helpers/stores.js';
import { FEED, makeItem, makeMatch, okRecord, OTHER_FEED } from './fixtures.js';

function parseOk(query: string): QueryNode {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
}

for (const backend of STORE_BACKENDS) {
  describe(`store contract (${backend.name})`, { skip: backend.skip }, () => {
    describe('saveFetch', () => {
      it('returns only the new items; the same item is never stored twice', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          const a = makeItem(1);
          const b = makeItem(2);
          assert.deepEqual(
            (await store.saveFetch(okRecord(), [a, b])).map((i) => i.id),
            [a.id, b.id],
          );
          assert.deepEqual(
            (await store.saveFetch(okRecord(), [b, makeItem(3), a])).map((i) => i.guid),
            ['3'],
          );
          // A feed that repeats a guid inside one document.
          assert.deepEqual(
            (await store.saveFetch(okRecord(), [makeItem(4), makeItem(4)])).map((i) => i.guid),
            ['4'],
          );
          assert.equal((await store.getFeedState(FEED))?.itemCount, 4);
          const stored = await store.listItemsAfter([FEED], 0, 10);
          assert.deepEqual(
            stored.map((i) => i.guid),
            ['1', '2', '3', '4'],
          );
          assert.deepEqual(stored[0]?.categories, ['Monde']);
          assert.equal(stored[0]?.firstSeenAt, '2026-11-20T10:00:00.000Z');
          assert.ok(
            stored.every((i, k) => k === 0 || i.seq > stored[k - 1]!.seq),
            'seq grows',
          );
        } finally {
          await store.close();
        }
      });

      it('is atomic: an item violating a constraint mid-batch rolls back the whole feed', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          await store.saveFetch(okRecord(FEED, { etag: '"before"' }), [makeItem(1)]);
          // title is NOT NULL in the schema; a parser bug that let null through must not half-save a fetch.
          const broken = makeItem(3, { title: null as unknown as string });
          await assert.rejects(
            () =>
              store.saveFetch(
                okRecord(FEED, {
                  etag: '"after"',
                  fetchedAt: '2026-11-21T00:00:00.000Z',
                }),
                [makeItem(2), broken, makeItem(4)],
              ),
            /title/,
          );
          const state = await store.getFeedState(FEED);
          assert.equal(state?.etag, '"before"', 'the feed row is not updated');
          assert.equal(state?.lastFetchedAt, '2026-11-20T10:00:00.000Z');
          assert.equal(state?.itemCount, 1, 'item 2, saved before the failure, is rolled back');
          assert.deepEqual(
            (await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid),
            ['1'],
          );
          // A brand-new feed failing the same way leaves no row at all.
          await assert.rejects(() =>
            store.saveFetch(okRecord(OTHER_FEED), [
              makeItem(9, { feedUrl: OTHER_FEED }),
              makeItem(10, {
                feedUrl: OTHER_FEED,
                summary: null as unknown as string,
              }),
            ]),
          );
          assert.equal(await store.getFeedState(OTHER_FEED), null);
          // The store is still usable afterwards.
          assert.equal((await store.saveFetch(okRecord(), [makeItem(2)])).length, 1);
        } finally {
          await store.close();
        }
      });

      it('an error record keeps validators, title and last success, and records the reason', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          await store.saveFetch(okRecord(FEED, { ttlMinutes: 30 }), [makeItem(1)]);
          await store.saveFetch(
            {
              url: FEED,
              label: 'Le Flux',
              status: 'error',
              httpStatus: 503,
              error: `${FEED}: HTTP 503`,
              fetchedAt: '2026-11-20T11:00:00.000Z',
            },
            [],
          );
          const state = await store.getFeedState(FEED);
          const expected = {
            url: FEED,
            label: 'Le Flux',
            title: 'Le Flux — Monde',
            etag: '"v1"',
            lastModified: null,
            lastStatus: 'error',
            lastHttpStatus: 503,
            lastError: `${FEED}: HTTP 503`,
            lastFetchedAt: '2026-11-20T11:00:00.000Z',
            lastOkAt: '2026-11-20T10:00:00.000Z',
            ttlMinutes: 30,
            itemCount: 1,
            firstItemAt: makeItem(1).publishedAt,
          };
          assert.ok(state);
          for (const [key, value] of Object.entries(expected)) assert.deepEqual(state[key as keyof typeof state], value, key);
          assert.deepEqual(
            (await store.listFeeds()).map((f) => [f.url, f.lastStatus, f.itemCount]),
            [[FEED, 'error', 1]],
          );
        } finally {
          await store.close();
        }
      });
    });

    describe('matching state', () => {
      it('beginMatching resumes where saveMatches left off, and starts over when the rules change', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          const items = [makeItem(1), makeItem(2), makeItem(3)];
          await store.saveFetch(okRecord(), items);
          assert.equal(await store.beginMatching('coree', 'rules-v1'), 0);
          const page = await store.listItemsAfter([FEED], 0, 2);
          assert.deepEqual(
            page.map((i) => i.guid),
            ['1', '2'],
          );
          await store.saveMatches('coree', page[1]!.seq, [makeMatch(items[0]!)]);
          assert.equal(await store.beginMatching('coree', 'rules-v1'), page[1]!.seq, 'same rules: resume');
          assert.deepEqual(
            (await store.listItemsAfter([FEED], page[1]!.seq, 10)).map((i) => i.guid),
            ['3'],
          );
          assert.equal((await store.listMatchedItems('coree', { undeliveredOnly: true })).length, 1);

          assert.equal(await store.beginMatching('coree', 'rules-v2'), 0, 'edited rules: start over');
          assert.deepEqual(await store.listMatchedItems('coree', { undeliveredOnly: false }), [], 'old matches dropped');
          // Another watchlist is not affected.
          assert.equal(await store.beginMatching('autre', 'x'), 0);
          await store.saveMatches('autre', 99, [makeMatch(items[2]!, 'Wonsan')]);
          await store.beginMatching('coree', 'rules-v3');
          assert.equal((await store.listMatchedItems('autre', { undeliveredOnly: true })).length, 1);
          assert.equal(await store.beginMatching('autre', 'x'), 99);
        } finally {
          await store.close();
        }
      });

      it('listTextsAfter gives the texts of the items the caller does not know, as stored, and only ids for the others', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          const long = 'Les négociations reprendront à Wonsan la semaine prochaine, selon un communiqué publié mardi soir. '.repeat(4);
          const lone = `${long}\ud800 fin`;
          const items = [makeItem(1, { content: long }), makeItem(2, { summary: lone }), makeItem(3), makeItem(4, { feedUrl: OTHER_FEED })];
          await store.saveFetch(okRecord(), items.slice(0, 3));
          await store.saveFetch(okRecord(OTHER_FEED), items.slice(3));
          const [one, two, three] = items;
          const page = await store.listTextsAfter([FEED], 0, 10, new Set([three!.id]));
          assert.deepEqual(
            page.map((i) => [i.id, i.fields]),
            [
              [one!.id, { title: one!.title, summary: one!.summary, content: long, body: '' }],
              // Both stores keep UTF-8: the lone surrogate comes back as U+FFFD, which is why readsBackAsWritten refuses it.
              [two!.id, { title: two!.title, summary: lone.replace('\ud800', '\ufffd'), content: '', body: '' }],
              [three!.id, null],
            ],
          );
          assert.deepEqual(
            (await store.listTextsAfter([FEED], page[0]!.seq, 1, new Set())).map((i) => i.id),
            [two!.id],
          );
        } finally {
          await store.close();
        }
      });

      it('saveMatches never moves the cursor backwards', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          await store.beginMatching('w', 'h');
          await store.saveMatches('w', 10, []);
          await store.saveMatches('w', 5, []);
          assert.equal(await store.beginMatching('w', 'h'), 10);
        } finally {
          await store.close();
        }
      });

      it('listMatchedItems groups matches per item and filters by feed and date', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          const a = makeItem(1);
          const b = makeItem(5, { feedUrl: OTHER_FEED });
          await store.saveFetch(okRecord(), [a]);
          await store.saveFetch(okRecord(OTHER_FEED, { label: null, title: 'Asie' }), [b]);
          await store.beginMatching('w', 'h');
          await store.saveMatches('w', 2, [makeMatch(a, 'Pyongyang'), makeMatch(a, 'Moscou'), makeMatch(b)]);
          const all = await store.listMatchedItems('w', {
            undeliveredOnly: false,
          });
          assert.deepEqual(
            all.map((m) => [m.item.guid, m.matches.map((x) => x.term)]),
            [
              ['1', ['Pyongyang', 'Moscou']],
              ['5', ['Pyongyang']],
            ],
          );
          assert.deepEqual(all[0]?.matches[0]?.offsets, { title: [[0, 9]] });
          assert.equal(all[0]?.feedLabel, 'Le Flux');
          assert.equal(all[1]?.feedTitle, 'Asie');
          assert.deepEqual(
            (
              await store.listMatchedItems('w', {
                undeliveredOnly: false,
                feedUrls: [OTHER_FEED],
              })
            ).map((m) => m.item.guid),
            ['5'],
          );
          assert.deepEqual(
            await store.listMatchedItems('w', {
              undeliveredOnly: false,
              feedUrls: [],
            }),
            [],
          );
          assert.deepEqual(
            (
              await store.listMatchedItems('w', {
                undeliveredOnly: false,
                since: '2026-11-13T00:00:00.000Z',
              })
            ).map((m) => m.item.guid),
            ['5'],
          );
        } finally {
          await store.close();
        }
      });
    });

    describe('deliveries', () => {
      it('delivered items leave the "new" list of that watchlist only, and stay visible to a look back', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          const [a, b] = [makeItem(1), makeItem(2)];
          await store.saveFetch(okRecord(), [a, b]);
          for (const w of ['w1', 'w2']) {
            await store.beginMatching(w, 'h');
            await store.saveMatches(w, 2, [makeMatch(a), makeMatch(b)]);
          }
          await store.markDelivered('w1', [a.id], '2026-11-20T12:00:00.000Z');
          await store.markDelivered('w1', [a.id], '2026-11-20T13:00:00.000Z'); // idempotent
          assert.deepEqual(
            (await store.listMatchedItems('w1', { undeliveredOnly: true })).map((m) => m.item.id),
            [b.id],
          );
          assert.equal((await store.listMatchedItems('w2', { undeliveredOnly: true })).length, 2);
          assert.equal(
            (
              await store.listMatchedItems('w1', {
                undeliveredOnly: false,
                since: '2026-01-01T00:00:00.000Z',
              })
            ).length,
            2,
          );
          await store.markDelivered('w1', [b.id], '2026-11-20T14:00:00.000Z');
          assert.deepEqual(await store.listMatchedItems('w1', { undeliveredOnly: true }), []);
          await store.markDelivered('w1', [], '2026-11-20T15:00:00.000Z');
        } finally {
          await store.close();
        }
      });

      it('close is idempotent', async (t) => {
        const store = await openTestStore(t, backend);
        await store.close();
        await store.close();
      });
    });

    describe('transaction', () => {
      it('commits what its tx did, rolls all of it back when the work throws, and nests as savepoints', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          await store.transaction(async (tx) => {
            await tx.saveFetch(okRecord(), [makeItem(1)]);
            await tx.beginMatching('w', 'h');
          });
          await assert.rejects(
            store.transaction(async (tx) => {
              await tx.saveFetch(okRecord(), [makeItem(2)]);
              throw new Error('stop');
            }),
            /stop/,
          );
          assert.deepEqual(
            (await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid),
            ['1'],
            'item 2 rolled back',
          );
          await store.transaction(async (tx) => {
            await tx.saveFetch(okRecord(), [makeItem(3)]);
            await assert.rejects(
              tx.transaction(async (inner) => {
                await inner.saveFetch(okRecord(), [makeItem(4)]);
                throw new Error('inner');
              }),
              /inner/,
            );
          });
          assert.deepEqual(
            (await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid),
            ['1', '3'],
            'only the savepoint rolled back',
          );
        } finally {
          await store.close();
        }
      });

      it('calls from outside a transaction are not part of it', async (t) => {
        const store = await openTestStore(t, backend);
        try {
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let started!: () => void;
          const inside = new Promise<void>((resolve) => (started = resolve));
          const work = store.transaction(async (tx) => {
            await tx.saveFetch(okRecord(), [makeItem(1)]);
            started();
            await held;
            throw new Error('rolled back');
          });
          await inside;
          // Issued while the transaction is open; must neither see nor join it.
          const outside = store.saveFetch(okRecord(OTHER_FEED), [makeItem(2, { feedUrl: OTHER_FEED })]);
          release();
          await assert.rejects(work, /rolled back/);
          assert.equal((await outside).length, 1);
          assert.equal(await store.getFeedState(FEED), null);
          assert.equal((await store.getFeedState(OTHER_FEED))?.itemCount, 1);
        } finally {
          await store.close();
        }
      });
    });

    describe('full text', () => {
      const texts = [
        { title: 'Pyongyang accueille une délégation économique', summary: 'Les journaux officiels en parlent.' },
        { title: 'Élections à Séoul', summary: 'Le scrutin présidentiel approche.' },
        { title: 'Пхеньян и Москва', summary: 'Переговоры в Пхеньяне продолжаются.' },
        { title: 'Match nul', summary: 'Un journal sportif commente la délégation.' },
      ];

      it('searchItems finds words by prefix, accent- and case-insensitively, with AND and OR, newest first', async (t) => {
        const store = await openTestStore(t, backend);
        await store.saveFetch(
          okRecord(),
          texts.map((x, n) => makeItem(n + 1, x)),
        );
        const titles = async (filter: TextFilter | null, options: { since?: string; feedUrls?: string[] } = {}) => (await store.searchItems(filter, { limit: 10, ...options })).map((i) => i.title);
        assert.deepEqual(await titles(wordsFilter('delegation')), [texts[3]!.title, texts[0]!.title], 'accents folded, newest first');
        assert.deepEqual(await titles(wordsFilter('JOURNAUX')), [texts[3]!.title, texts[0]!.title], 'journ* finds journal and journaux');
        assert.deepEqual(await titles(wordsFilter('seoul election')), [texts[1]!.title]);
        assert.deepEqual(await titles(wordsFilter('Пхеньяне')), [texts[2]!.title], 'Cyrillic inflection');
        const either = toTextPrefilter(parseOk('Séoul OR Pyongyang'));
        assert.deepEqual(await titles(either), [texts[1]!.title, texts[0]!.title]);
        assert.deepEqual(await titles(wordsFilter('Wonsan')), []);
        assert.equal((await titles(null)).length, 4, 'no filter: everything');
        assert.deepEqual(await titles(wordsFilter('delegation'), { since: '2026-11-13T00:00:00.000Z' }), [texts[3]!.title]);
        assert.deepEqual(await titles(wordsFilter('delegation'), { feedUrls: [OTHER_FEED] }), []);
        assert.deepEqual(await titles(wordsFilter('delegation'), { feedUrls: [] }), []);
      });

      it('searchItems finds a query word written in two parts (Pyong-Yang for Pyongyang), not the parts apart', async (t) => {
        const store = await openTestStore(t, backend);
        const split = [
          { title: 'Arrivée à Pyong-Yang', summary: 'Une délégation.' },
          { title: 'Pyong Yang reçoit', summary: 'Une autre délégation.' },
          { title: 'Le yang et le yin', summary: 'Rien à voir.' },
        ];
        await store.saveFetch(
          okRecord(),
          split.map((x, n) => makeItem(n + 1, x)),
        );
        const found = (await store.searchItems(toTextPrefilter(parseOk('Pyongyang')), { limit: 10 })).map((i) => i.title).sort();
        assert.deepEqual(found, [split[0]!.title, split[1]!.title].sort());
      });

      it('the scraped body is searchable, and documentFrequencies counts the items holding each term', async (t) => {
        const store = await openTestStore(t, backend);
        const items = texts.map((x, n) => makeItem(n + 1, x));
        await store.saveFetch(okRecord(), items, new Set([items[1]!.id]));
        const lease = { owner: 'me', now: '2026-11-20T10:00:00.000Z', until: '2026-11-20T10:15:00.000Z' };
        assert.deepEqual(
          (await store.claimPendingArticles(10, lease)).map((i) => i.id),
          [items[1]!.id],
        );
        assert.deepEqual(await store.claimPendingArticles(10, { ...lease, owner: 'other' }), [], 'leased: not claimed twice');
        await store.saveArticle(items[1]!.id, { status: 'done', body: 'Le négociateur nord-coréen est arrivé.', article: { author: 'X' }, canonicalUrl: 'https://flux.example.fr/c/2' });
        assert.deepEqual(await store.claimPendingArticles(10, { ...lease, now: '2026-11-21T00:00:00.000Z' }), [], 'scraped: no longer pending');
        const stored = (await store.listItemsAfter([FEED], 0, 10))[1]!;
        assert.equal(stored.body, 'Le négociateur nord-coréen est arrivé.');
        assert.equal(stored.canonicalUrl, 'https://flux.example.fr/c/2');
        assert.deepEqual(
          (await store.searchItems(wordsFilter('negociateurs'), { limit: 10 })).map((i) => i.id),
          [items[1]!.id],
        );
        const { documentCount, df } = await store.documentFrequencies(['délégation', 'Séoul', 'Wonsan', '--']);
        assert.equal(documentCount, 4);
        assert.deepEqual(
          [...df.entries()],
          [
            ['délégation', 2],
            ['Séoul', 1],
            ['Wonsan', 0],
          ],
        );
      });

      it('text with NUL, escapes and very long content is stored and found', async (t) => {
        const store = await openTestStore(t, backend);
        const long = 'mot '.repeat(150_000);
        const odd = makeItem(1, { title: 'Titre\u0000 avec NUL', summary: '\u001b[31mrouge\u001b[0m', content: `${long} Kaesong` });
        assert.equal((await store.saveFetch(okRecord(), [odd])).length, 1);
        const [stored] = await store.listItemsAfter([FEED], 0, 1);
        assert.match(stored!.title, /^Titre\u0000? avec NUL$/);
        assert.equal(stored!.summary, '\u001b[31mrouge\u001b[0m');
        assert.equal(stored!.content.length, long.length + ' Kaesong'.length);
        assert.equal((await store.searchItems(wordsFilter('titre'), { limit: 5 })).length, 1);
      });
    });

    describe('stories', () => {
      it('unclustered matched items, candidates by URL, title and band, assignment, members', async (t) => {
        const store = await openTestStore(t, backend);
        const [a, b, c] = [makeItem(1), makeItem(2), makeItem(3, { feedUrl: OTHER_FEED })];
        await store.saveFetch(okRecord(), [a, b]);
        await store.saveFetch(okRecord(OTHER_FEED, { label: 'Autre' }), [c]);
        assert.deepEqual(await store.listUnclusteredItems(10), [], 'unmatched items get no story');
        await store.beginMatching('w', 'h');
        await store.saveMatches('w', 3, [makeMatch(a), makeMatch(a, 'Séoul'), makeMatch(b), makeMatch(c)]);
        assert.deepEqual(
          (await store.listUnclusteredItems(10)).map((i) => i.id),
          [a.id, b.id, c.id],
          'each item once, oldest first',
        );
        const keysA = { canonicalUrl: 'https://flux.example.fr/a/1', titleKey: 'k1', bandKeys: ['b1', 'b2'] };
        await store.assignStory(a.id, a.id, keysA, '{"v":1}', null);
        assert.equal(await store.readSignature(a.id), '{"v":1}');
        assert.equal(await store.readSignature(b.id), null);
        assert.deepEqual(await store.findStoryCandidates({ canonicalUrl: null, titleKey: null, bandKeys: ['b2'] }, 5), [{ itemId: a.id, storyId: a.id, signature: '{"v":1}' }]);
        assert.deepEqual(await store.findStoryCandidates({ canonicalUrl: 'https://flux.example.fr/a/1', titleKey: null, bandKeys: [] }, 5), [{ itemId: a.id, storyId: a.id, signature: '{"v":1}' }]);
        assert.deepEqual(await store.findStoryCandidates({ canonicalUrl: null, titleKey: 'zz', bandKeys: ['b9'] }, 5), []);
        await store.transaction(async (tx) => {
          await tx.assignStory(b.id, b.id, { canonicalUrl: null, titleKey: 'k2', bandKeys: ['b2', 'b3'] }, '{"v":2}', null);
          await tx.assignStory(c.id, a.id, { canonicalUrl: null, titleKey: 'k1', bandKeys: ['b1'] }, '{"v":3}', null);
        });
        // Stronger evidence first: a shared title key outweighs shared bands.
        const ranked = await store.findStoryCandidates({ canonicalUrl: null, titleKey: 'k2', bandKeys: ['b1', 'b2'] }, 5);
        assert.deepEqual(
          ranked,
          [
            { itemId: b.id, storyId: b.id, signature: '{"v":2}' },
            { itemId: a.id, storyId: a.id, signature: '{"v":1}' },
            { itemId: c.id, storyId: a.id, signature: '{"v":3}' },
          ],
          'title and a band, then two bands, then one',
        );
        assert.equal((await store.findStoryCandidates({ canonicalUrl: null, titleKey: 'k2', bandKeys: ['b1', 'b2'] }, 1)).length, 1, 'limit');
        const held = await store.findStoryCandidates({ canonicalUrl: null, titleKey: 'k2', bandKeys: ['b1', 'b2'] }, 5, new Set([a.id]));
        assert.deepEqual(
          held.map((c) => [c.itemId, c.storyId, c.itemId === a.id ? 'held' : c.signature]),
          [
            [b.id, b.id, '{"v":2}'],
            [a.id, a.id, 'held'],
            [c.id, a.id, '{"v":3}'],
          ],
          'the same candidates when the caller holds a signature; the others still come with theirs',
        );
        assert.ok([null, '{"v":1}'].includes(held[1]!.signature), 'a held signature: null or as stored');
        assert.deepEqual(await store.listUnclusteredItems(10), []);
        const members = await store.listStoryMembers([a.id]);
        assert.deepEqual(
          members.map((m) => [m.item.id, m.item.storyId, m.feedLabel]),
          [
            [a.id, a.id, 'Le Flux'],
            [c.id, a.id, 'Autre'],
          ],
        );
        assert.deepEqual(await store.listStoryMembers([]), []);
      });

      it('moveToStories moves items to other stories in one go, keeping their signatures and keys', async (t) => {
        const store = await openTestStore(t, backend);
        const [a, b, c] = [makeItem(1), makeItem(2), makeItem(3)];
        await store.saveFetch(okRecord(), [a, b, c]);
        await store.beginMatching('w', 'h');
        await store.saveMatches('w', 3, [makeMatch(a), makeMatch(b), makeMatch(c)]);
        await store.assignStory(a.id, a.id, { canonicalUrl: null, titleKey: 'ka', bandKeys: ['ba'] }, '{"v":"a"}', null);
        await store.transaction(async (tx) => {
          await tx.assignStory(b.id, b.id, { canonicalUrl: null, titleKey: 'kb', bandKeys: ['bb'] }, '{"v":"b"}', null);
          await tx.assignStory(c.id, b.id, { canonicalUrl: null, titleKey: 'kc', bandKeys: ['bc'] }, '{"v":"c"}', 'copy');
          await tx.moveToStories([
            { itemId: b.id, storyId: a.id, via: 'event' },
            { itemId: c.id, storyId: a.id, via: 'copy' },
          ]);
        });
        await store.moveToStories([]);
        const members = await store.listStoryMembers([a.id]);
        assert.deepEqual(
          members.map((m) => [m.item.id, m.item.storyId, m.item.storyVia]),
          [
            [a.id, a.id, null],
            [b.id, a.id, 'event'],
            [c.id, a.id, 'copy'],
          ],
        );
        assert.deepEqual(await store.listStoryMembers([b.id]), []);
        assert.equal(await store.readSignature(c.id), '{"v":"c"}');
        assert.deepEqual(await store.findStoryCandidates({ canonicalUrl: null, titleKey: 'kc', bandKeys: ['bb'] }, 5), [
          { itemId: c.id, storyId: a.id, signature: '{"v":"c"}' },
          { itemId: b.id, storyId: a.id, signature: '{"v":"b"}' },
        ]);
      });

      it('a story delivered once is not new again, whichever of its items comes back', async (t) => {
        const store = await openTestStore(t, backend);
        const [a, b] = [makeItem(1), makeItem(2)];
        await store.saveFetch(okRecord(), [a, b]);
        await store.beginMatching('w', 'h');
        await store.saveMatches('w', 2, [makeMatch(a), makeMatch(b)]);
        await store.assignStory(a.id, a.id, { canonicalUrl: null, titleKey: null, bandKeys: [] }, '{}', null);
        await store.assignStory(b.id, a.id, { canonicalUrl: null, titleKey: null, bandKeys: [] }, '{}', null);
        await store.markDelivered('w', [a.id], '2026-11-20T12:00:00.000Z');
        assert.deepEqual(await store.listMatchedItems('w', { undeliveredOnly: true }), []);
      });
    });

    describe('feeds', () => {
      it('countRecentItems counts items first seen since a date, per feed; listFeeds is ordered by URL', async (t) => {
        const store = await openTestStore(t, backend);
        await store.saveFetch(okRecord(OTHER_FEED, { fetchedAt: '2026-11-01T00:00:00.000Z' }), [makeItem(7, { feedUrl: OTHER_FEED })]);
        await store.saveFetch(okRecord(), [makeItem(1), makeItem(2)]);
        const recent = await store.countRecentItems('2026-11-10T00:00:00.000Z');
        assert.deepEqual([...recent.entries()], [[FEED, 2]]);
        assert.deepEqual(
          (await store.listFeeds()).map((f) => [f.url, f.itemCount, f.firstItemAt]),
          [
            [OTHER_FEED, 1, makeItem(7).publishedAt],
            [FEED, 2, makeItem(1).publishedAt],
          ],
        );
      });
    });

    describe('work shared between processes', () => {
      const at = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00.000Z`;

      it('due feeds are leased to one owner until released or expired; the schedule counts what is due', async (t) => {
        const store = await openTestStore(t, backend);
        const urls = ['https://a.example/rss', 'https://b.example/rss', 'https://c.example/rss'];
        await store.registerFeeds(urls.map((url) => ({ url, label: null })));
        await store.registerFeeds([{ url: urls[0]!, label: 'ignored: already known' }]);
        assert.equal((await store.getFeedState(urls[0]!))?.label, null);
        assert.deepEqual(await store.feedSchedule(urls, at(0)), { due: 3, nextDueAt: null });
        const mine = await store.claimDueFeeds(urls, 2, { owner: 'w1', now: at(0), until: at(5) });
        assert.equal(mine.length, 2);
        const theirs = await store.claimDueFeeds(urls, 5, { owner: 'w2', now: at(1), until: at(6) });
        assert.deepEqual(
          theirs,
          urls.filter((u) => !mine.includes(u)),
          'the rest, nothing twice',
        );
        assert.deepEqual(await store.claimDueFeeds(urls, 5, { owner: 'w3', now: at(2), until: at(7) }), []);
        // w1 fetched its first feed (due again at 30) and gives both back; w2 died: its lease runs out.
        await store.saveFetch({ url: mine[0]!, label: null, status: 'ok', httpStatus: 200, error: null, nextFetchAt: at(30), fetchedAt: at(3) }, []);
        await store.releaseFeeds('w2', mine);
        assert.deepEqual(await store.claimDueFeeds(urls, 5, { owner: 'w3', now: at(3), until: at(8) }), [], 'only the holder releases');
        await store.releaseFeeds('w1', mine);
        assert.deepEqual(await store.feedSchedule(urls, at(4)), { due: 2, nextDueAt: at(30) });
        assert.deepEqual(await store.claimDueFeeds(urls, 5, { owner: 'w3', now: at(4), until: at(40) }), [mine[1]!]);
        assert.deepEqual(await store.claimDueFeeds(urls, 5, { owner: 'w3', now: at(7), until: at(40) }), theirs, 'an expired lease is claimed again');
        await store.releaseFeeds('w3', urls);
        const later = await store.claimDueFeeds(urls, 5, { owner: 'w4', now: at(29), until: at(40) });
        assert.deepEqual(later.sort(), [mine[1]!, ...theirs].sort(), 'never fetched: due; fetched: not before its next-fetch time');
        assert.deepEqual(await store.claimDueFeeds(urls, 5, { owner: 'w5', now: at(30), until: at(40) }), [mine[0]!], 'due again at its next-fetch time');
      });

      it('host slots are spaced by the delay for everyone sharing the store', async (t) => {
        const store = await openTestStore(t, backend);
        assert.equal(await store.reserveHostSlot('https://news.example', 1000, 5000), 5000);
        assert.equal(await store.reserveHostSlot('https://news.example', 1000, 5100), 6000);
        assert.equal(await store.reserveHostSlot('https://news.example', 500, 5200), 7000);
        assert.equal(await store.reserveHostSlot('https://other.example', 1000, 5200), 5200, 'hosts are independent');
        assert.equal(await store.reserveHostSlot('https://news.example', 1000, 90_000), 90_000, 'an idle host starts at once');
      });

      it('host places: at most `limit` held at once by everyone sharing the store; given back, or expired, they are taken again', async (t) => {
        const store = await openTestStore(t, backend);
        const host = 'https://news.example';
        const lease = (owner: string, nowMs: number) => ({ owner, nowMs, untilMs: nowMs + 1000 });
        assert.equal(await store.claimHostPlace(host, 2, lease('w1', 5000)), 0);
        assert.equal(await store.claimHostPlace(host, 2, lease('w2', 5000)), 1);
        assert.equal(await store.claimHostPlace(host, 2, lease('w3', 5100)), null, 'both places held');
        assert.equal(await store.claimHostPlace('https://other.example', 2, lease('w3', 5100)), 0, 'hosts are independent');
        await store.releaseHostPlace(host, 0, 'w2');
        assert.equal(await store.claimHostPlace(host, 2, lease('w3', 5200)), null, 'only the holder gives a place back');
        await store.releaseHostPlace(host, 0, 'w1');
        assert.equal(await store.claimHostPlace(host, 2, lease('w3', 5300)), 0, 'given back: taken again');
        // w2 died holding place 1 (held until 6000): it is free from then on.
        assert.equal(await store.claimHostPlace(host, 2, lease('w4', 5999)), null);
        assert.equal(await store.claimHostPlace(host, 2, lease('w4', 6000)), 1, 'an expired place is taken again');
        assert.equal(await store.claimHostPlace(host, 3, lease('w5', 6000)), 2, 'a higher limit opens more places');
      });

      it('claimStories holds undelivered stories and leaves delivered ones out; exclusive runs its work in a transaction', async (t) => {
        const store = await openTestStore(t, backend);
        const [a, b] = [makeItem(1), makeItem(2)];
        await store.saveFetch(okRecord(), [a, b]);
        await store.markDelivered('w', [a.id], at(0));
        assert.deepEqual(await store.claimStories('w', [a.id, b.id]), [b.id]);
        assert.deepEqual(await store.claimStories('w', [b.id]), [b.id], 'claiming again what one holds');
        await store.releaseStories();
        await assert.rejects(
          store.exclusive('x', async (tx) => {
            await tx.saveFetch(okRecord(OTHER_FEED), []);
            throw new Error('undo');
          }),
          /undo/,
        );
        assert.equal(await store.getFeedState(OTHER_FEED), null);
        assert.equal(await store.exclusive('x', async (tx) => (await tx.getFeedState(FEED))?.itemCount), 2);
      });
    });
  });
}
