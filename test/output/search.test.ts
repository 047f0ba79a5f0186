import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/http-server.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { checkSchema } from './json-schema-check.js';

const ITEMS = [
  ['s1', "L'accord de défense entre Moscou et Pyongyang", 'Le pacte signé l’an dernier engage les deux pays.'],
  ['s2', 'Liaisons aériennes : reprise des vols', 'Les vols réguliers vers Pyongyang reprennent, une liaison aérienne attendue.'],
  ['s3', 'Football : la Corée du Nord qualifiée', "L'équipe de Pyongyang a gagné."],
  ['s4', 'Économie', 'Un désaccord commercial oppose les deux pays.'],
  ['s5', 'Revue de presse', 'Les journaux de Séoul commentent la visite.'],
  ['s6', 'Ferry', 'Le ferry relie Vladivostok à Won-\nsan, puis à la Corée du\nNord.'],
];

function rss(): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Archive</title><link>http://x/</link><description>d</description>
${ITEMS.map(([id, title, text]) => `<item><title>${title}</title><link>http://example.invalid/${id}</link><guid>${id}</guid><description>${text}</description></item>`).join('\n')}</channel></rss>`;
}

describe('presswatch search', () => {
  it('finds stored items with the query language, accent-insensitive, and explains bad queries', async (t) => {
    assertBuilt();
    const root = await makeTempDir(t);
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    const server = await startServer({ '/feed.xml': (_q, res) => res.end(rss()) });
    t.after(() => server.close());
    mkdirSync(join(dirs.configDir, 'watchlists'), { recursive: true });
    writeFileSync(join(dirs.configDir, 'watchlists', 'archive.yaml'), `feeds:\n  - ${server.url('/feed.xml')}\nkeywords:\n  - Séoul\nfullText: never\n`);
    assert.equal((await runCli(['digest', '--format', 'json'], dirs)).code, 0);

    const titlesOf = async (...args: string[]) => {
      const run = await runCli(['search', ...args, '--format', 'json'], dirs);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout).stories as { title: string }[]).map((s) => s.title).sort();
    };
    assert.deepEqual(await titlesOf('accord de defense'), ["L'accord de défense entre Moscou et Pyongyang"], 'accents and elision');
    assert.deepEqual(await titlesOf('accord'), ["L'accord de défense entre Moscou et Pyongyang"], '"désaccord" is not "accord"');
    assert.deepEqual(await titlesOf('Pyongyang AND NOT football'), ["L'accord de défense entre Moscou et Pyongyang", 'Liaisons aériennes : reprise des vols']);
    assert.deepEqual(await titlesOf('title:Pyongyang'), ["L'accord de défense entre Moscou et Pyongyang"]);
    assert.deepEqual(await titlesOf('liaison NEAR/2 aérienne'), ['Liaisons aériennes : reprise des vols'], 'inflected forms');
    assert.deepEqual(await titlesOf('aérien*'), ['Liaisons aériennes : reprise des vols']);
    assert.deepEqual(await titlesOf('Wonsan'), ['Ferry'], 'a word hyphenated at a line end');
    assert.deepEqual(await titlesOf('"Corée du Nord" AND NOT football'), ['Ferry'], 'a phrase across a line break');
    assert.deepEqual(await titlesOf('Séoul NEAR/1 Wonsan'), []);
    assert.deepEqual(await titlesOf('journal'), ['Revue de presse'], 'the full-text prefilter lets plural forms through (journaux)');

    const bad = await runCli(['search', 'accord AND (défense'], dirs);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /invalid query at column \d+: expected/);

    const text = await runCli(['search', 'Pyongyang', '--limit', '1'], dirs);
    assert.equal(text.code, 0);
    assert.equal((text.stdout.match(/example\.invalid/g) ?? []).length, 1, '--limit caps the results');
  });

  it('folds copies of one story from several outlets, with "also in", under a header of its own; --no-fold shows every copy', async (t) => {
    assertBuilt();
    const root = await makeTempDir(t);
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    // Written for this test: one dispatch that two outlets carry (a word changed), and another story.
    const dispatch =
      'Les autorités ferroviaires des deux pays ont annoncé mardi la réouverture de la ligne de fret entre Khassan et Tumangang, ' +
      'fermée depuis trois ans, avec un premier convoi de charbon attendu à la fin du mois selon le ministère des transports.';
    const other =
      'La gare de Khassan accueille depuis samedi une exposition de photographies consacrée aux cheminots de la région, ' +
      'visible tous les jours dans le hall principal, avec des tirages prêtés par les familles et les archives locales.';
    const feed = (title: string, items: [string, string, string, string][]) =>
      `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>http://x/</link><description>d</description>
${items.map(([id, date, head, text]) => `<item><title>${head}</title><link>http://example.invalid/${id}</link><guid>${id}</guid><pubDate>${date}</pubDate><description>${text}</description></item>`).join('\n')}</channel></rss>`;
    const server = await startServer({
      '/agence.xml': (_q, res) =>
        res.end(
          feed('Agence', [
            ['fret-agence', 'Fri, 20 Nov 2026 08:00:00 GMT', 'Réouverture de la ligne de fret Khassan-Tumangang', dispatch],
            ['expo', 'Thu, 19 Nov 2026 08:00:00 GMT', 'Une exposition sur les cheminots à Khassan', other],
          ]),
        ),
      '/quotidien.xml': (_q, res) => res.end(feed('Quotidien', [['fret-quotidien', 'Fri, 20 Nov 2026 10:00:00 GMT', 'Le fret reprend entre Khassan et Tumangang', dispatch.replace('mardi', 'ce mardi')]])),
    });
    t.after(() => server.close());
    mkdirSync(join(dirs.configDir, 'watchlists'), { recursive: true });
    // A keyword that matches one item: the others never get a story from the pipeline, and search must fold them itself.
    writeFileSync(
      join(dirs.configDir, 'watchlists', 'rail.yaml'),
      `feeds:\n  - url: ${server.url('/agence.xml')}\n    label: Agence Exemple\n  - url: ${server.url('/quotidien.xml')}\n    label: Le Quotidien\nkeywords:\n  - exposition\nfullText: never\n`,
    );
    assert.equal((await runCli(['digest', '--format', 'json'], dirs)).code, 0);

    const text = await runCli(['search', 'Khassan'], dirs);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 2), ['presswatch search · Khassan · everything stored', '3 hits in 2 stories']);
    assert.doesNotMatch(text.stdout, /feeds checked|presswatch digest|nothing new matched/);
    assert.equal((text.stdout.match(/^ {2}Réouverture de la ligne de fret Khassan-Tumangang$/gm) ?? []).length, 1, 'the earliest copy is shown, once');
    assert.doesNotMatch(text.stdout, /Le fret reprend/);
    assert.match(text.stdout, /^ {2}also in: Le Quotidien$/m);
    assert.match(text.stdout, /^ {2}Une exposition sur les cheminots à Khassan$/m);

    const unfolded = await runCli(['search', 'Khassan', '--no-fold'], dirs);
    assert.equal(unfolded.code, 0, unfolded.stderr);
    assert.equal(unfolded.stdout.split('\n')[1], '3 hits, every copy shown');
    assert.match(unfolded.stdout, /^ {2}Le fret reprend entre Khassan et Tumangang$/m);
    assert.doesNotMatch(unfolded.stdout, /also in/);

    const json = await runCli(['search', 'Khassan', '--format', 'json', '--since', '2026-11-01'], dirs);
    assert.equal(json.code, 0, json.stderr);
    const digest = JSON.parse(json.stdout);
    const schema = JSON.parse(readFileSync(new URL('../../docs/digest.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(checkSchema(digest, schema), []);
    assert.deepEqual(digest.search, { query: 'Khassan', hits: 3, folded: true });
    assert.equal(digest.counts.stories, 2);
    assert.deepEqual(
      digest.stories[0].alsoReportedBy.map((o: { source: string }) => o.source),
      ['Le Quotidien'],
    );
    assert.deepEqual(
      digest.stories[0].alsoReportedBy.map((o: { kind: string }) => o.kind),
      ['copy'],
    );

    const one = await runCli(['search', 'Khassan', '-n', '1'], dirs);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout.split('\n')[1], '2 hits in 1 story', '--limit counts stories; the hits are those behind them');
  });
});
