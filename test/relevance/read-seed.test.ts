import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_FETCH_OPTIONS } from '../../src/fetch/http.js';
import { MIN_SEED_CHARS, readSeed, SeedError } from '../../src/relevance/read-seed.js';
import { serveFeed, startServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const OPTIONS = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 3_000 };
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), 'utf8');
const ARTICLE_TEXT = `La compagnie nationale a repris ses vols réguliers entre Pyongyang et Vladivostok cette semaine.
Deux rotations hebdomadaires sont prévues, et une liaison maritime pourrait suivre au printemps selon les autorités.
Les observateurs y voient un volet civil de l’accord de défense signé l’an dernier entre les deux capitales.`;

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SeedError, `expected a SeedError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

/** A loopback port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('readSeed from files', () => {
  it('reads plain text from a path and from a file: URL', async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'seed.txt');
    await writeFile(path, `\ufeff${ARTICLE_TEXT}\n`);
    const seed = await readSeed(path, OPTIONS);
    assert.equal(seed.text, ARTICLE_TEXT);
    assert.equal(seed.title, null);
    assert.equal(seed.source, path);
    assert.equal((await readSeed(pathToFileURL(path).href, OPTIONS)).text, ARTICLE_TEXT);
  });

  it('reads an HTML file as its article text', async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'seed.html');
    await writeFile(path, fixture('article.html'));
    const seed = await readSeed(path, OPTIONS);
    assert.match(seed.text, /vols réguliers entre Pyongyang et Vladivostok/);
    assert.doesNotMatch(seed.text, /Accueil|mentions légales|analytics|Les plus lus/);
  });

  it('rejects an empty file, naming it', async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'empty.txt');
    await writeFile(path, ' \n\n');
    await rejectsWith(readSeed(path, OPTIONS), new RegExp(`^seed: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: empty file`));
  });

  it('rejects a binary file', async (t) => {
    const dir = await makeTempDir(t);
    const withNul = join(dir, 'image.png');
    await writeFile(withNul, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await rejectsWith(readSeed(withNul, OPTIONS), /image\.png: binary file/);
    const controls = join(dir, 'blob.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 7 === 0 ? 0x01 + (i % 20) : 0x41 + (i % 26);
    await writeFile(controls, bytes);
    await rejectsWith(readSeed(controls, OPTIONS), /blob\.bin: binary file/);
  });

  it('rejects a missing file and a text too short to learn from', async (t) => {
    const dir = await makeTempDir(t);
    await rejectsWith(readSeed(join(dir, 'nope.txt'), OPTIONS), /nope\.txt: no such file/);
    const short = join(dir, 'short.txt');
    await writeFile(short, 'Pyongyang et Moscou.');
    await rejectsWith(readSeed(short, OPTIONS), new RegExp(`short\\.txt: only 20 characters of article text \\(at least ${MIN_SEED_CHARS}`));
  });
});

describe('readSeed from URLs', () => {
  it('extracts the article of a page served over HTTP, with its title', async (t) => {
    const server = await startServer({
      '/article': serveFeed(fixture('article.html'), { 'content-type': 'text/html; charset=utf-8' }),
      '/moved': (_req, res) => res.writeHead(301, { location: '/article' }).end(),
    });
    t.after(() => server.close());
    const seed = await readSeed(server.url('/moved'), OPTIONS);
    assert.equal(seed.source, server.url('/article'));
    assert.equal(seed.title, 'Vols entre Vladivostok et Pyongyang : une ligne rouverte');
    assert.match(seed.text, /liaison maritime entre Rajin et Vladivostok/);
    assert.match(seed.text, /délégations officielles/);
    assert.doesNotMatch(seed.text, /Accueil|confidentialité|window\.analytics|championnat/);
  });

  it('rejects a page with no article text', async (t) => {
    const server = await startServer({ '/empty': serveFeed(fixture('no-article.html'), { 'content-type': 'text/html' }) });
    t.after(() => server.close());
    await rejectsWith(readSeed(server.url('/empty'), OPTIONS), /\/empty: (no article text|only \d+ characters of article text)/);
  });

  it('rejects an image and an empty response', async (t) => {
    const server = await startServer({
      '/logo.png': serveFeed(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), { 'content-type': 'image/png' }),
      '/blank': serveFeed('', { 'content-type': 'text/plain' }),
    });
    t.after(() => server.close());
    await rejectsWith(readSeed(server.url('/logo.png'), OPTIONS), /logo\.png: served as image\/png/);
    await rejectsWith(readSeed(server.url('/blank'), OPTIONS), /blank: empty response/);
  });

  it('rejects an unreachable URL and an HTTP error with the fetch reason', async (t) => {
    const port = await closedPort();
    await rejectsWith(readSeed(`http://127.0.0.1:${port}/article`, OPTIONS), new RegExp(`^seed: cannot read http://127\\.0\\.0\\.1:${port}/article: connection refused`));
    const server = await startServer({});
    t.after(() => server.close());
    await rejectsWith(readSeed(server.url('/gone'), OPTIONS), /gone: HTTP 404/);
  });
});
