/**
 * Hostile feed content and delivery: escape sequences, controls, bidi
 * overrides, <script>, event handlers, javascript: links and Markdown or Slack
 * link syntax from a feed reach no mail, no webhook body (json, slack,
 * mattermost, discord) and no Atom file. Run end to end through the built CLI
 * against a real SMTP server and a loopback webhook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'htmlparser2';
import Parser from 'rss-parser';
import { checkAtom } from '../helpers/atom-check.js';
import { startServer } from '../helpers/http-server.js';
import { startSmtpServer } from '../helpers/smtp-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FIXTURES, missingBuild, runCli } from './support.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every string inside a parsed JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every link-carrying field of a chat message: only http(s) targets. */
function links(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(links);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (['url', 'title_link', 'href'].includes(key) && typeof v === 'string' ? [v] : links(v)));
}

/** Walks HTML: no script, no style sheet, no event handler, no remote image; links are http(s). */
function assertSafeHtml(html: string, where: string): void {
  const dom = parseDocument(html, { lowerCaseAttributeNames: true });
  const walk = (nodes: typeof dom.children) => {
    for (const node of nodes) {
      assert.notEqual(node.type, 'script', `${where}: a <script>`);
      if (node.type !== 'tag' && node.type !== 'style') continue;
      const el = node as unknown as { name: string; attribs: Record<string, string>; children: typeof nodes };
      assert.ok(!['script', 'img', 'iframe', 'object', 'embed', 'link', 'form'].includes(el.name), `${where}: <${el.name}>`);
      for (const [name, value] of Object.entries(el.attribs)) {
        assert.ok(!/^on/.test(name), `${where}: ${name}="${value}"`);
        if (name === 'href' || name === 'src') assert.match(value, /^https?:\/\//, `${where}: ${name}="${value}"`);
      }
      walk(el.children);
    }
  };
  walk(dom.children);
}

test('delivery: a hostile feed reaches no mail, webhook body or Atom file as markup, link or escape sequence', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const xml = await readFile(join(FIXTURES, 'escape-sequences.xml'), 'utf8');
  const bodies = new Map<string, string[]>();
  const hook = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      bodies.set(path, [...(bodies.get(path) ?? []), Buffer.concat(chunks).toString('utf8')]);
      res.writeHead(200).end('ok');
    });
  };
  const server = await startServer({
    '/feed.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(xml),
    '/json': hook,
    '/slack': hook,
    '/mattermost': hook,
    '/discord': hook,
  });
  t.after(() => server.close());
  const smtp = await startSmtpServer();
  t.after(() => smtp.close());

  const root = await makeTempDir(t, 'presswatch-hostile-deliver-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  const atom = join(root, 'feed.atom');
  const ca = join(root, 'ca.pem');
  await writeFile(ca, smtp.cert);
  await (await import('node:fs/promises')).mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await writeFile(
    join(dirs.configDir, 'watchlists', 'hostile.yaml'),
    [
      'name: hostile',
      'fullText: never',
      `feeds: [${JSON.stringify(server.url('/feed.xml'))}]`,
      'keywords: [Pyongyang]',
      'destinations:',
      '  - mailto:redaction@example.org',
      ...['json', 'slack', 'mattermost', 'discord'].map((f) => `  - { uri: ${JSON.stringify(server.url(`/${f}`))}, format: ${f} }`),
      `  - file:${atom}`,
      '',
    ].join('\n'),
  );
  const run = await runCli(['--quiet', 'digest', '--deliver', '--no-print'], dirs, {
    env: { NODE_EXTRA_CA_CERTS: ca, PRESSWATCH_SMTP_URL: smtp.url, PRESSWATCH_MAIL_FROM: 'veille@example.org' },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');

  // Mail: both parts, and the raw message.
  assert.equal(smtp.received.length, 1);
  const mail = smtp.received[0]!;
  assert.ok(!UNSAFE.test((mail.parsed.text ?? '').replace(/\n/g, '')), `text part: ${JSON.stringify((mail.parsed.text ?? '').match(UNSAFE))}`);
  assert.match(mail.parsed.text ?? '', /Pyongyang RED click/, 'the visible text is kept');
  const html = String(mail.parsed.html);
  assert.ok(!UNSAFE.test(html.replace(/\n/g, '')));
  assertSafeHtml(html, 'mail');
  assert.ok(!/javascript:alert\(document/.test(html), 'the javascript: link is not even shown');
  assert.ok(!UNSAFE.test(mail.parsed.subject ?? ''));

  // Webhooks: every string of every body, and every link field.
  for (const format of ['json', 'slack', 'mattermost', 'discord']) {
    const received = bodies.get(`/${format}`) ?? [];
    assert.equal(received.length, 1, format);
    const body = JSON.parse(received[0]!) as unknown;
    for (const s of strings(body)) assert.ok(!UNSAFE.test(s.replace(/\n/g, '')), `${format}: ${JSON.stringify(s)}`);
    for (const link of links(body)) assert.match(link, /^https?:\/\//, `${format}: link ${link}`);
    if (format === 'slack') {
      for (const s of strings(body)) {
        // The only <...> left are the links presswatch wrote, to http(s) targets.
        const withoutOwnLinks = s.replace(/<https?:\/\/[^|>\s]+\|[^<>]*>/g, '');
        assert.ok(!/[<>]/.test(withoutOwnLinks), `slack: unescaped < or > in ${JSON.stringify(s)}`);
      }
    }
    if (format === 'mattermost' || format === 'discord') {
      const markdown =
        format === 'discord'
          ? (body as { embeds: { description: string; title: string }[] }).embeds.flatMap((e) => [e.description, e.title])
          : (body as { attachments: { text: string }[] }).attachments.map((a) => a.text);
      for (const s of markdown) {
        const unescaped = s.replace(/\\[!-/:-@[-`{-~]/g, '');
        assert.ok(!/[[\]<>`*_|]/.test(unescaped), `${format}: Markdown syntax from the feed left in ${JSON.stringify(s)}`);
      }
    }
  }
  assert.deepEqual((JSON.parse(bodies.get('/discord')![0]!) as { allowed_mentions: unknown }).allowed_mentions, { parse: [] });

  // Atom: valid, no controls, entry HTML safe.
  const feedXml = await readFile(atom, 'utf8');
  assert.deepEqual(checkAtom(feedXml), []);
  assert.ok(!UNSAFE.test(feedXml.replace(/\n/g, '')), JSON.stringify(feedXml.match(UNSAFE)));
  const feed = await new Parser().parseString(feedXml);
  assert.equal(feed.items.length, 2);
  for (const item of feed.items) {
    assertSafeHtml(String(item.content ?? ''), 'atom content');
    if (item.link) assert.match(item.link, /^https?:\/\//);
  }
  assert.ok(!/href="javascript:/i.test(feedXml));
});
