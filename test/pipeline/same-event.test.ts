import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Watchlist } from '../../src/config/watchlist.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { runDigest, SILENT_REPORTER, type DigestRunOptions } from '../../src/pipeline.js';
import { startServer } from '../helpers/http-server.js';
import { openTestStore, STORE_BACKENDS } from '../helpers/stores.js';

const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'presswatch-test/1.0' };

interface FeedItem {
  guid: string;
  title: string;
  text: string;
  date: string;
}

function rss(items: readonly FeedItem[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x/</link><description>d</description>
${items.map((i) => `<item><title>${i.title}</title><link>http://example.invalid/${i.guid}</link><guid>${i.guid}</guid><pubDate>${new Date(i.date).toUTCString()}</pubDate><description>${i.text}</description></item>`).join('')}</channel></rss>`;
}

// An invented event (an earthquake off Crete) reported on its own by a French and an English outlet, and
// a different story of the same days in the same watchlist. Written for this test.
const FRENCH: FeedItem[] = [
  {
    guid: 'fr-quake',
    date: '2031-03-04T08:30:00Z',
    title: 'Crète : un séisme de magnitude 6,4 secoue le sud de l’île',
    text: "Un séisme de magnitude 6,4 a frappé mardi à l'aube le large de la côte sud de la Crète. Deux blessés légers sont signalés à Ierapetra. L'alerte au tsunami a été levée une heure plus tard.",
  },
];
const ENGLISH: FeedItem[] = [
  {
    guid: 'en-quake',
    date: '2031-03-04T06:10:00Z',
    title: 'Magnitude 6.4 earthquake strikes off Crete, tsunami warning lifted',
    text: 'A magnitude 6.4 earthquake struck off the southern coast of Crete early on Tuesday, the Athens geodynamic institute said. A tsunami warning was lifted after an hour. Two people were injured in Ierapetra by falling masonry.',
  },
  {
    guid: 'en-ferry',
    date: '2031-03-04T12:00:00Z',
    title: 'Greek ferry strike halts sailings to Crete for 48 hours',
    text: 'Greek seamen’s union PNO called a 48-hour strike on Tuesday over pay, halting ferries between Piraeus and Heraklion, the coast guard said. Around 20 sailings were cancelled.',
  },
];
// Other Crete stories of the week: a watchlist's matches all name what it watches.
const OTHER_DAYS: FeedItem[] = [
  {
    guid: 'fr-olive',
    date: '2031-03-02T09:00:00Z',
    title: 'Crète : la récolte d’olives en baisse de 30 %',
    text: "Les producteurs crétois annoncent une récolte d'olives en baisse de 30 % après un hiver trop sec. Les prix de l'huile grimpent à Chania.",
  },
  {
    guid: 'en-tourism',
    date: '2031-03-02T15:00:00Z',
    title: 'Crete expects record 6 million visitors this summer',
    text: 'Crete’s regional tourism office expects a record 6 million visitors this summer, with new flights from Warsaw and Dublin to Heraklion.',
  },
  {
    guid: 'fr-fire',
    date: '2031-03-03T18:00:00Z',
    title: 'Un incendie de broussailles maîtrisé près de Réthymnon',
    text: "Un incendie de broussailles a parcouru 40 hectares près de Réthymnon, en Crète, avant d'être maîtrisé lundi soir par les pompiers.",
  },
  {
    guid: 'en-court',
    date: '2031-03-05T10:00:00Z',
    title: 'Court in Chania jails smuggling ring leader for 12 years',
    text: 'A court in Chania, Crete, sentenced the leader of a migrant smuggling ring to 12 years in prison on Wednesday.',
  },
  {
    guid: 'fr-port',
    date: '2031-03-03T07:30:00Z',
    title: 'Héraklion : le port investit 25 millions d’euros dans un nouveau quai',
    text: "L'autorité portuaire d'Héraklion, en Crète, a annoncé lundi un investissement de 25 millions d'euros pour un quai destiné aux navires de croisière, livrable en 2033.",
  },
  {
    guid: 'en-museum',
    date: '2031-03-03T11:00:00Z',
    title: 'Knossos museum reopens after two-year renovation',
    text: 'The archaeological museum near Knossos, Crete, reopened on Monday after a two-year renovation, with a new hall for Minoan frescoes.',
  },
  {
    guid: 'fr-water',
    date: '2031-03-05T08:00:00Z',
    title: 'Sécheresse en Crète : Lassithi rationne l’eau d’irrigation',
    text: "La région de Lassithi, dans l'est de la Crète, limite l'eau d'irrigation à trois jours par semaine, faute de pluie depuis novembre.",
  },
  {
    guid: 'en-election',
    date: '2031-03-05T16:00:00Z',
    title: 'Heraklion mayor wins confidence vote over bus contract',
    text: 'The mayor of Heraklion, Crete, survived a confidence vote in the city council on Wednesday over a disputed contract for electric buses, by 27 votes to 14.',
  },
];
const LATER: FeedItem = {
  guid: 'en-quake-later',
  date: '2031-03-04T20:00:00Z',
  title: 'Crete quake: schools closed in Ierapetra as aftershocks continue',
  text: 'Schools in Ierapetra stayed shut on Tuesday as aftershocks rattled Crete after the magnitude 6.4 earthquake. Engineers are inspecting the old town’s buildings.',
};

for (const backend of STORE_BACKENDS) {
  describe(`one event, one story (pipeline, ${backend.name}, loopback feeds)`, { skip: backend.skip }, () => {
    // Both orders of the feeds, fetched concurrently: the stories must not depend on which report is stored first.
    for (const englishFirst of [false, true]) {
      it(`folds independent reports of one event, in two languages, into one entry; a later report is not shown as a new story (${englishFirst ? 'English' : 'French'} feed listed first)`, async (t) => {
        const english = [...ENGLISH];
        const server = await startServer({
          '/fr.xml': (_q, res) => res.end(rss([...FRENCH, ...OTHER_DAYS.filter((i) => i.guid.startsWith('fr'))])),
          '/en.xml': (_q, res) => res.end(rss([...english, ...OTHER_DAYS.filter((i) => i.guid.startsWith('en'))])),
        });
        t.after(() => server.close());
        const store = await openTestStore(t, backend);
        const w: Watchlist = {
          name: 'crete',
          description: '',
          feeds: englishFirst
            ? [
                { url: server.url('/en.xml'), label: 'The Daily' },
                { url: server.url('/fr.xml'), label: 'Le Quotidien' },
              ]
            : [
                { url: server.url('/fr.xml'), label: 'Le Quotidien' },
                { url: server.url('/en.xml'), label: 'The Daily' },
              ],
          keywords: [{ term: 'Crète', aliases: ['Crete'] }],
          rules: [],
          exclude: [],
          fullText: 'never',
        };
        const options = (overrides: Partial<DigestRunOptions> = {}): DigestRunOptions => ({
          fetch: FETCH,
          concurrency: 2,
          now: () => new Date('2031-03-05T07:00:00Z'),
          reporter: SILENT_REPORTER,
          fetchFeeds: true,
          since: null,
          ...overrides,
        });

        const first = await runDigest(store, [w], options());
        const titles = first.digest.stories.map((s) => s.title).sort();
        assert.deepEqual(titles, [...OTHER_DAYS.map((i) => i.title), 'Greek ferry strike halts sailings to Crete for 48 hours', 'Magnitude 6.4 earthquake strikes off Crete, tsunami warning lifted'].sort());
        const quake = first.digest.stories.find((s) => s.title.startsWith('Magnitude'))!;
        assert.equal(quake.language, 'en');
        assert.deepEqual(quake.alsoReportedBy, [
          { title: 'Crète : un séisme de magnitude 6,4 secoue le sud de l’île', url: 'http://example.invalid/fr-quake', source: 'Le Quotidien', publishedAt: '2031-03-04T08:30:00.000Z', kind: 'report', language: 'fr' },
        ]);
        assert.equal(first.digest.stories.find((s) => s.title.startsWith('Greek'))!.alsoReportedBy, undefined);
        await first.markDelivered();

        // The English outlet follows up the same evening: the story was shown, so it is not new.
        english.push(LATER);
        const second = await runDigest(store, [w], options());
        assert.deepEqual(
          second.digest.stories.map((s) => s.title),
          [],
        );
        await second.markDelivered();

        // Looking back shows the story once; the English outlet's later report, its own second article on the
        // event, keeps a line of its own (only copies from the shown report's outlet are left out).
        const back = await runDigest(store, [w], options({ fetchFeeds: false, since: '2031-03-01T00:00:00Z' }));
        const shown = back.digest.stories.filter((s) => /quake|séisme|earthquake/i.test(s.title));
        assert.equal(shown.length, 1);
        assert.deepEqual(
          shown[0]!.alsoReportedBy?.map((o) => [o.source, o.kind, o.language]),
          [
            ['Le Quotidien', 'report', 'fr'],
            ['The Daily', 'report', 'en'],
          ],
        );
      });
    }
  });
}
