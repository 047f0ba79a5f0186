import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import type { DestinationSpec } from '../../src/config/destination.js';
import type { Digest, Story } from '../../src/digest/digest.js';
import { cleanDigest } from '../../src/digest/clean-digest.js';
import { renderJson } from '../../src/digest/render-json.js';
import { DISCORD_LIMITS } from '../../src/deliver/chat-messages.js';
import { parseRetryAfter, webhookDestination, type WebhookSettings } from '../../src/deliver/webhook.js';
import { sampleDigest } from '../digest/sample-digest.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server whose routes see the request body; every request is kept. */
async function hookServer(routes: Record<string, (req: Received, res: ServerResponse) => void>): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(routes).map(([path, handle]) => [
      path,
      (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const r = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
          received.push(r);
          handle(r, res);
        });
      },
    ]),
  );
  return { server: await startServer(wrapped), received };
}

function settings(extra: Partial<WebhookSettings> = {}, waits: number[] = []): WebhookSettings {
  return { timeoutMs: 2000, retries: 2, backoffMs: 50, maxWaitMs: 5000, userAgent: 'presswatch-test', env: () => undefined, wait: async (ms) => void waits.push(ms), ...extra };
}

const deliver = (spec: DestinationSpec, s: WebhookSettings, digest: Digest = sampleDigest()) => webhookDestination(spec, s).deliver({ digest, earlier: [] });
const ok = (_r: Received, res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');

/** A digest of `n` stories with long text (to cross chat size limits). */
function manyStories(n: number, snippetChars = 200): Digest {
  const base = sampleDigest();
  const story = base.stories[0]!;
  const stories: Story[] = Array.from({ length: n }, (_, i) => ({ ...story, id: `s${i}`, title: `Story ${i} ${'Titre '.repeat(60)}`, snippet: 'x'.repeat(snippetChars), highlights: [] }));
  return { ...base, stories, counts: { ...base.counts, stories: n } };
}

describe('webhook destination (a loopback HTTP server)', () => {
  it('json: the presswatch.digest/1 document as the body, signed with HMAC-SHA256 of the raw body', async (t) => {
    const { server, received } = await hookServer({ '/hook': ok });
    t.after(() => server.close());
    const digest = sampleDigest();
    const outcome = await deliver({ uri: server.url('/hook'), format: 'json', secretEnv: 'HOOK_SECRET' }, settings({ env: (n) => (n === 'HOOK_SECRET' ? 's3cret' : undefined) }), digest);
    assert.equal(outcome.status, 'accepted');
    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request!.body, renderJson(cleanDigest(digest)));
    const sent = JSON.parse(request!.body) as Digest;
    assert.equal(sent.schema, 'presswatch.digest/1');
    assert.equal(sent.stories[0]!.title, digest.stories[0]!.title, 'clean text is sent as it is');
    // Escape sequences from the feed are removed, and the highlight still covers the keyword.
    const evil = sent.stories[1]!;
    assert.equal(evil.title, '<script>alert(1)</script>click [x](javascript:alert(1)) evil');
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(evil.snippet));
    assert.deepEqual(
      evil.highlights.map(([a, b]) => evil.snippet.slice(a, b)),
      ['accord de défense'],
    );
    assert.equal(request!.headers['content-type'], 'application/json; charset=utf-8');
    const expected = `sha256=${createHmac('sha256', 's3cret').update(request!.body).digest('hex')}`;
    assert.equal(request!.headers['x-presswatch-signature'], expected);
  });

  it('json without a secret is not signed; a secret variable that is unset posts nothing', async (t) => {
    const { server, received } = await hookServer({ '/hook': ok });
    t.after(() => server.close());
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'json' }, settings())).status, 'accepted');
    assert.equal(received[0]!.headers['x-presswatch-signature'], undefined);
    const unset = await deliver({ uri: server.url('/hook'), format: 'json', secretEnv: 'NOT_SET' }, settings());
    assert.equal(unset.status, 'failed');
    assert.match(unset.status === 'failed' ? unset.reason : '', /NOT_SET is not set/);
    assert.equal(received.length, 1);
  });

  it('slack: a header and one mrkdwn section per story, title linked, source and matches; feed text cannot open a link', async (t) => {
    const { server, received } = await hookServer({ '/hook': ok });
    t.after(() => server.close());
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'slack' }, settings())).status, 'accepted');
    const body = JSON.parse(received[0]!.body) as { text: string; blocks: { type: string; text: { type: string; text: string } }[] };
    assert.equal(body.text, 'presswatch · coree-russie · 2 new stories');
    assert.deepEqual(
      body.blocks.map((b) => b.type),
      ['header', 'section', 'section'],
    );
    const first = body.blocks[1]!.text;
    assert.equal(first.type, 'mrkdwn');
    assert.match(first.text, /^\*<https:\/\/example\.org\/a1\|Pyongyang et Moscou : le point sur l’accord>\*\nLe Quotidien · 2026-11-23 08:30 · score 0\.81 · accord de défense\n/);
    const evil = body.blocks[2]!.text.text;
    assert.match(evil, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    // The only < > in a section are the link presswatch wrote.
    assert.equal(evil.replace(/^\*<https:\/\/example\.org\/evil\|/, '').search(/[<>]/), evil.replace(/^\*<https:\/\/example\.org\/evil\|/, '').indexOf('>*'));
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(received[0]!.body.replace(/\\u00[0-9a-f]{2}/g, '')), 'no control characters');
  });

  it('mattermost: one attachment per story with its title linked, source and matches as Markdown', async (t) => {
    const { server, received } = await hookServer({ '/hook': ok });
    t.after(() => server.close());
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'mattermost' }, settings())).status, 'accepted');
    const body = JSON.parse(received[0]!.body) as { text: string; attachments: { title: string; title_link?: string; text: string }[] };
    assert.equal(body.text, 'presswatch · coree-russie · 2 new stories');
    assert.equal(body.attachments.length, 2);
    assert.equal(body.attachments[0]!.title_link, 'https://example.org/a1');
    assert.match(body.attachments[0]!.text, /^Le Quotidien · 2026-11-23 08:30 · score 0\.81 · accord de défense/);
    assert.equal(body.attachments[1]!.title, '<script>alert(1)</script>click [x](javascript:alert(1)) evil', 'a plain-text title');
    assert.match(body.attachments[1]!.text, /\\<img/);
    assert.ok(!/(?<!\\)</.test(body.attachments[1]!.text), 'Markdown text has its < escaped');
  });

  it('discord: embeds, split to its limits (10 embeds and 6000 characters a message, 256-character titles), pinging nobody', async (t) => {
    const { server, received } = await hookServer({ '/hook': (_r, res) => res.writeHead(204).end() });
    t.after(() => server.close());
    const digest = manyStories(25, 900);
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'discord' }, settings(), digest)).status, 'accepted');
    const bodies = received.map((r) => JSON.parse(r.body) as { content: string; embeds: { title: string; url?: string; description: string }[]; allowed_mentions: unknown });
    assert.ok(bodies.length >= 3);
    assert.deepEqual(
      bodies.flatMap((b) => b.embeds.map((e) => /^Story (\d+)/.exec(e.title)![1])),
      Array.from({ length: 25 }, (_, i) => String(i)),
      'every story once, in order',
    );
    assert.ok(bodies[0]!.embeds[0]!.title.endsWith('…'), 'a long title is cut to the limit');
    for (const [i, b] of bodies.entries()) {
      assert.ok(b.embeds.length <= DISCORD_LIMITS.embedsPerMessage);
      assert.ok(b.embeds.reduce((n, e) => n + e.title.length + e.description.length, 0) <= DISCORD_LIMITS.embedCharsPerMessage);
      for (const e of b.embeds) assert.ok(e.title.length <= DISCORD_LIMITS.titleChars && e.description.length <= DISCORD_LIMITS.descriptionChars);
      assert.deepEqual(b.allowed_mentions, { parse: [] });
      assert.match(b.content, new RegExp(`\\(${i + 1}/${bodies.length}\\)$`));
    }
  });

  it('a message refused halfway through a split digest: the stories of the messages that went through are named', async (t) => {
    let n = 0;
    const { server } = await hookServer({ '/hook': (_r, res) => (++n === 2 ? res.writeHead(400).end('{"message": "Invalid Form Body"}') : res.writeHead(204).end()) });
    t.after(() => server.close());
    const outcome = await deliver({ uri: server.url('/hook'), format: 'discord' }, settings(), manyStories(25, 10));
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /answered 400 Bad Request: \{"message": "Invalid Form Body"\} \(message 2 of 3\)/);
    assert.deepEqual(
      outcome.status === 'failed' ? outcome.acceptedStoryIds : [],
      Array.from({ length: 10 }, (_, i) => `s${i}`),
    );
  });

  it('429 with Retry-After: waits as asked, then posts again', async (t) => {
    let n = 0;
    const { server, received } = await hookServer({ '/hook': (_r, res) => (++n === 1 ? res.writeHead(429, { 'retry-after': '2' }).end('slow down') : ok(_r, res)) });
    t.after(() => server.close());
    const waits: number[] = [];
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'json' }, settings({}, waits))).status, 'accepted');
    assert.equal(received.length, 2);
    assert.deepEqual(waits, [2000]);
    assert.equal(received[1]!.body, received[0]!.body, 'the same body again');
  });

  it('a real wait: Retry-After of 1 s is honoured on the clock', async (t) => {
    let n = 0;
    const { server } = await hookServer({ '/hook': (_r, res) => (++n === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : ok(_r, res)) });
    t.after(() => server.close());
    const started = Date.now();
    const { wait: _ignored, ...real } = settings();
    assert.equal((await deliver({ uri: server.url('/hook'), format: 'json' }, real)).status, 'accepted');
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
  });

  it('500 then success: retried with back-off; 503 every time: a failure after the last attempt', async (t) => {
    let n = 0;
    const { server, received } = await hookServer({
      '/flaky': (_r, res) => (++n === 1 ? res.writeHead(500).end('oops') : ok(_r, res)),
      '/down': (_r, res) => res.writeHead(503).end('maintenance'),
    });
    t.after(() => server.close());
    const waits: number[] = [];
    assert.equal((await deliver({ uri: server.url('/flaky'), format: 'json' }, settings({}, waits))).status, 'accepted');
    assert.deepEqual(waits, [50]);
    const downWaits: number[] = [];
    const down = await deliver({ uri: server.url('/down'), format: 'json' }, settings({}, downWaits));
    assert.equal(down.status, 'failed');
    assert.equal(down.status === 'failed' ? down.reason : '', 'answered 503 Service Unavailable: maintenance (3 attempts)');
    assert.deepEqual(downWaits, [50, 100], 'the back-off doubles');
    assert.equal(received.filter((r) => r.path === '/down').length, 3);
  });

  it('a Retry-After longer than a run waits ends the attempts at once', async (t) => {
    const { server, received } = await hookServer({ '/hook': (_r, res) => res.writeHead(429, { 'retry-after': '3600' }).end() });
    t.after(() => server.close());
    const outcome = await deliver({ uri: server.url('/hook'), format: 'json' }, settings({ maxWaitMs: 60_000 }));
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /answered 429 Too Many Requests, asking to retry in 3600 s, longer than a run waits \(60 s\)/);
    assert.equal(received.length, 1);
  });

  it('a server that never answers: a timeout, not retried within the run', async (t) => {
    const { server, received } = await hookServer({ '/hook': () => {} });
    t.after(() => server.close());
    const outcome = await deliver({ uri: server.url('/hook'), format: 'json' }, settings({ timeoutMs: 300 }));
    assert.deepEqual(outcome, { status: 'failed', reason: 'no answer within 300 ms', acceptedStoryIds: [] });
    assert.equal(received.length, 1);
  });

  it('a redirect is not followed: a failure naming the new address, and the target gets nothing', async (t) => {
    const { server, received } = await hookServer({
      '/old': (_r, res) => res.writeHead(308, { location: '/new' }).end(),
      '/new': ok,
    });
    t.after(() => server.close());
    const outcome = await deliver({ uri: server.url('/old'), format: 'json' }, settings());
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', new RegExp(`answered 308, a redirect to ${server.url('/new').replace(/\./g, '\\.')}: webhooks are not followed`));
    assert.deepEqual(
      received.map((r) => r.path),
      ['/old'],
    );
  });

  it('a 4xx other than 429 is not retried; a refused connection is', async (t) => {
    const { server: closed } = await hookServer({});
    const closedUrl = closed.url('/hook');
    await closed.close();
    const { server, received } = await hookServer({ '/gone': (_r, res) => res.writeHead(404).end('no such hook') });
    t.after(() => server.close());
    const gone = await deliver({ uri: server.url('/gone'), format: 'json' }, settings());
    assert.equal(gone.status === 'failed' ? gone.reason : '', 'answered 404 Not Found: no such hook');
    assert.equal(received.length, 1);
    const waits: number[] = [];
    const refused = await deliver({ uri: closedUrl, format: 'json' }, settings({}, waits));
    assert.equal(refused.status === 'failed' ? refused.reason : '', 'connection refused (3 attempts)');
    assert.equal(waits.length, 2);
  });

  it('Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('2026-10-21T07:27:00Z')), 60_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});
