import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Watchlist } from '../../src/config/watchlist.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { runDigest, SILENT_REPORTER, type DigestRunOptions, type Reporter } from '../../src/pipeline.js';
import { buildReferenceProfile } from '../../src/relevance/profile.js';
import type { Store } from '../../src/store/store.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { openTestStore, STORE_BACKENDS, type StoreBackend } from '../helpers/stores.js';

// Stories written for this test: a defence-pact story told by two outlets, an
// airline story whose keyword is only in the article body, and an unrelated one.
const PACT =
  "Moscou et Pyongyang ont signé mardi un protocole qui précise l'accord de défense mutuelle conclu l'an dernier. Le texte prévoit des manœuvres communes et un échange d'officiers, selon l'agence officielle nord-coréenne. Les chancelleries occidentales ont dénoncé une escalade.";
const PACT_COPY =
  "Moscou et Pyongyang ont signé mardi un protocole précisant l'accord de défense mutuelle conclu l'an dernier. Le texte prévoit des manœuvres communes ainsi qu'un échange d'officiers, selon l'agence officielle nord-coréenne. Les chancelleries occidentales dénoncent une escalade.";
const FLIGHTS_BODY =
  "La compagnie a confirmé l'ouverture d'une ligne hebdomadaire. Les premiers vols relieront Vladivostok à Wonsan dès le mois de mai, avant une extension vers la capitale. Les réservations ouvriront en mars.";

const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 3, userAgent: 'presswatch-test/1.0' };

function rss(items: { guid: string; title: string; link: string; text: string; date: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><link>http://x/</link><description>d</description>
${items.map((i) => `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.guid}</guid><pubDate>${i.date}</pubDate><description>${i.text}</description></item>`).join('\n')}</channel></rss>`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body>
<nav><a href="/">Accueil</a><a href="/monde">Monde</a></nav><article><h1>${title}</h1>${body
    .split('. ')
    .map((s) => `<p>${s}.</p>`)
    .join('')}</article>
<footer>Mentions légales</footer></body></html>`;
}

interface Fixture {
  server: TestServer;
  watchlist: Watchlist;
  options: DigestRunOptions;
  warnings: string[];
}

async function setUp(t: TestContext, backend: StoreBackend, agenceItems: () => Parameters<typeof rss>[0]): Promise<Fixture & { store: Store }> {
  let origin = '';
  const server = await startServer({
    '/agence.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(agenceItems())),
    '/journal.xml': (_q, res) =>
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(rss([{ guid: 'j-1', title: 'Un protocole précise le pacte Moscou-Pyongyang', link: `${origin}/journal/pacte.html`, text: PACT_COPY, date: 'Tue, 17 Nov 2026 10:00:00 GMT' }])),
    '/liste.html': (_q, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body><main>
        <div class="card"><a class="titre" href="/liste/vols.html">Une nouvelle ligne aérienne vers l'Extrême-Orient</a><time datetime="2026-11-17T08:00:00Z">17 nov.</time></div>
        <div class="card"><a class="titre" href="/liste/meteo.html">Prévisions météo pour le week-end</a></div>
        <a href="/apropos">À propos</a></main></body></html>`),
    '/liste/vols.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page("Une nouvelle ligne aérienne vers l'Extrême-Orient", FLIGHTS_BODY)),
    '/liste/meteo.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page('Prévisions météo', 'Il fera beau samedi. Des averses sont attendues dimanche dans le nord du pays.')),
    '/agence/pacte.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page('Pacte', PACT)),
    '/journal/pacte.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page('Pacte', PACT_COPY)),
    // A mobile edition: other words, but its page names the agency's article as canonical.
    '/mobile.xml': (_q, res) =>
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(rss([{ guid: 'm-1', title: 'Défense : Moscou et Pyongyang signent', link: `${origin}/m/pacte.html`, text: 'En bref.', date: 'Tue, 17 Nov 2026 12:00:00 GMT' }])),
    '/m/pacte.html': (_q, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          page('Défense', 'Version courte pour téléphone. Les deux capitales ont signé un nouveau texte militaire. Réactions attendues à Séoul et à Tokyo.').replace(
            '<head>',
            `<head><link rel="canonical" href="${origin}/agence/pacte.html">`,
          ),
        ),
    '/robots.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /prive/\n'),
  });
  origin = server.origin;
  t.after(() => server.close());
  const store = await openTestStore(t, backend);
  const warnings: string[] = [];
  const reporter: Reporter = { ...SILENT_REPORTER, warn: (m) => warnings.push(m) };
  const watchlist: Watchlist = {
    name: 'veille',
    description: '',
    feeds: [
      { url: server.url('/agence.xml'), label: 'Agence' },
      { url: server.url('/journal.xml'), label: 'Journal' },
      { url: server.url('/mobile.xml'), label: 'Mobile' },
      { url: server.url('/liste.html'), label: 'Liste', type: 'html', selectors: { links: 'a.titre', date: 'time' } },
    ],
    keywords: [
      { term: 'Pyongyang', aliases: [] },
      { term: 'Wonsan', aliases: [] },
    ],
    rules: [],
    exclude: [],
    fullText: 'auto',
    fullTextMinChars: 150,
  };
  const options: DigestRunOptions = {
    fetch: FETCH,
    // One feed at a time: which copy starts a story, and so each outlet's kind (copy or report),
    // follows the order items are stored in, which concurrent feeds would leave to timing.
    concurrency: 1,
    now: () => new Date('2026-11-18T12:00:00Z'),
    reporter,
    fetchFeeds: true,
    since: null,
    scrape: { concurrency: 4, fetcher: createPoliteFetcher({ fetch: FETCH, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true }) },
  };
  return { server, watchlist, options, warnings, store };
}

for (const backend of STORE_BACKENDS) {
  describe(`full text, stories and relevance through the pipeline (${backend.name})`, { skip: backend.skip }, () => {
    it('scrapes short items, reads HTML list pages, folds the same story across outlets and never repeats it', async (t) => {
      let agence = (origin: string) => [
        { guid: 'a-1', title: 'Pacte de défense : un protocole signé', link: `${origin}/agence/pacte.html?utm_source=rss`, text: 'Signature à Moscou.', date: 'Tue, 17 Nov 2026 09:00:00 GMT' },
        { guid: 'a-2', title: 'Pyongyang : note confidentielle', link: `${origin}/prive/note.html`, text: 'Une note sur Pyongyang.', date: 'Tue, 17 Nov 2026 11:00:00 GMT' },
      ];
      let originRef = '';
      const f = await setUp(t, backend, () => agence(originRef));
      originRef = f.server.origin;

      const first = await runDigest(f.store, [f.watchlist], f.options);
      const stories = first.digest.stories;
      const titles = stories.map((s) => s.title).sort();
      assert.deepEqual(titles, ['Pacte de défense : un protocole signé', 'Pyongyang : note confidentielle', "Une nouvelle ligne aérienne vers l'Extrême-Orient"]);

      const pact = stories.find((s) => s.title.startsWith('Pacte'))!;
      assert.equal(pact.source, 'Agence', 'the earliest copy represents the story');
      assert.deepEqual(
        pact.alsoReportedBy?.map((o) => o.source),
        ['Journal', 'Mobile'],
        'copies joined by text and by <link rel="canonical">',
      );
      assert.deepEqual(
        pact.alsoReportedBy?.map((o) => o.kind),
        ['copy', 'copy'],
      );
      assert.equal(stories.filter((s) => s.title.includes('Moscou et Pyongyang signent')).length, 0, 'the mobile copy is not a story of its own');
      assert.ok(
        pact.matches.some((m) => m.term === 'Pyongyang' && m.field === 'body'),
        'the keyword was found in the scraped article',
      );

      const flights = stories.find((s) => s.title.startsWith('Une nouvelle ligne'))!;
      assert.equal(flights.publishedAt, '2026-11-17T08:00:00.000Z', 'date from the list page selector');
      assert.deepEqual(
        flights.matches.map((m) => [m.term, m.field]),
        [['Wonsan', 'body']],
      );
      assert.ok(!stories.some((s) => s.title.startsWith('Prévisions')), 'the weather page was scraped but does not match');

      // robots.txt forbids /prive/: the item is kept and matched on its feed text, and the refusal is reported once.
      const note = stories.find((s) => s.title.startsWith('Pyongyang'))!;
      assert.deepEqual(
        note.matches.map((m) => m.field),
        ['title'],
      );
      assert.ok(
        f.warnings.some((w) => /scrape: 1 article page .*robots/.test(w)),
        f.warnings.join('\n'),
      );

      await first.markDelivered();

      // The agency re-issues the pact dispatch with a new GUID, an edited title and other tracking parameters.
      agence = (origin: string) => [
        {
          guid: 'a-1-bis',
          title: 'Pacte de défense : un protocole signé (mise à jour)',
          link: `${origin}/agence/pacte.html?utm_source=twitter&fbclid=x`,
          text: 'Signature à Moscou.',
          date: 'Tue, 17 Nov 2026 09:30:00 GMT',
        },
      ];
      const second = await runDigest(f.store, [f.watchlist], f.options);
      assert.deepEqual(second.digest.stories, [], 'a story shown once is not shown again, whatever its new GUID, URL parameters or title');
      assert.equal(second.digest.counts.newItems, 1, 'the re-issued item was stored');
    });

    it('scores stories against the reference profile, sorts by score and filters with minScore', async (t) => {
      let originRef = '';
      const f = await setUp(t, backend, () => [
        { guid: 'a-1', title: 'Pacte de défense : un protocole signé', link: `${originRef}/agence/pacte.html`, text: PACT, date: 'Tue, 17 Nov 2026 09:00:00 GMT' },
        {
          guid: 'a-3',
          title: 'Pyongyang accueille un festival de cinéma',
          link: `${originRef}/agence/cinema.html`,
          text: 'Des films venus de plusieurs pays sont projetés à Pyongyang cette semaine, devant un public nombreux et des invités étrangers.',
          date: 'Tue, 17 Nov 2026 12:00:00 GMT',
        },
      ]);
      originRef = f.server.origin;
      const reference = buildReferenceProfile(
        "L'accord de défense mutuelle entre la Russie et la Corée du Nord engage Moscou et Pyongyang. Un protocole prévoit des manœuvres communes et un échange d'officiers. Les chancelleries occidentales dénoncent l'escalade militaire.",
        'test-seed.txt',
        new Date('2026-11-18T00:00:00Z'),
      );
      const watchlist = { ...f.watchlist, fullText: 'never' as const, reference };
      const run = await runDigest(f.store, [watchlist], { ...f.options, since: '2026-11-01T00:00:00Z', sort: 'score' });
      const scored = run.digest.stories.filter((s) => s.watchlist === 'veille');
      assert.ok(scored.length >= 2);
      for (const s of scored) assert.ok(s.score !== undefined && s.score >= 0 && s.score <= 1, `score of ${s.title}`);
      assert.equal(scored[0]!.title, 'Pacte de défense : un protocole signé', 'the pact story is the most relevant');
      const cinema = scored.find((s) => s.title.includes('festival'))!;
      assert.ok(cinema.score! < scored[0]!.score!);

      const filtered = await runDigest(f.store, [watchlist], { ...f.options, fetchFeeds: false, since: '2026-11-01T00:00:00Z', minScore: cinema.score! + 0.001 });
      assert.ok(!filtered.digest.stories.some((s) => s.title.includes('festival')), '--min-score leaves the weak story out');
      assert.ok(filtered.digest.stories.some((s) => s.title.startsWith('Pacte')));
    });
  });
}
