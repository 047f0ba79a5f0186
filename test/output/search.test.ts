import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/http-server.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ITEMS = [
  ['s1', "L'accord de défense entre Moscou et Pyongyang", 'Le pacte signé l’an dernier engage les deux pays.'],
  ['s2', 'Liaisons aériennes : reprise des vols', 'Les vols réguliers vers Pyongyang reprennent, une liaison aérienne attendue.'],
  ['s3', 'Football : la Corée du Nord qualifiée', "L'équipe de Pyongyang a gagné."],
  ['s4', 'Économie', 'Un désaccord commercial oppose les deux pays.'],
  ['s5', 'Revue de presse', 'Les journaux de Séoul commentent la visite.'],
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
    assert.deepEqual(await titlesOf('Wonsan'), []);
    assert.deepEqual(await titlesOf('journal'), ['Revue de presse'], 'the full-text prefilter lets plural forms through (journaux)');

    const bad = await runCli(['search', 'accord AND (défense'], dirs);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /invalid query at column \d+: expected/);

    const text = await runCli(['search', 'Pyongyang', '--limit', '1'], dirs);
    assert.equal(text.code, 0);
    assert.equal((text.stdout.match(/example\.invalid/g) ?? []).length, 1, '--limit caps the results');
  });
});
