/**
 * `digest --deliver`, `--no-print`, `watchlist deliver ...` and the exit codes,
 * through the built CLI: a loopback feed, a real SMTP server (STARTTLS on a
 * certificate the child process trusts through NODE_EXTRA_CA_CERTS), a loopback
 * webhook and an Atom file.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Parser from 'rss-parser';
import type { Digest } from '../../src/digest/digest.js';
import { startServer } from '../helpers/http-server.js';
import { checkSchema } from '../output/json-schema-check.js';
import { runCli, assertBuilt, REPO_ROOT, startCli } from '../helpers/run-cli.js';
import { SMTP_PASS, SMTP_USER, startSmtpServer } from '../helpers/smtp-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Agence</title><link>https://news.example/</link><description>d</description>
<item><title>Pyongyang reçoit une délégation russe</title><link>https://news.example/1</link><guid>n1</guid><pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate><description>Une délégation russe est arrivée à Pyongyang pour parler de ferroviaire et de ports.</description></item>
</channel></rss>`;

async function setUp(t: { after(fn: () => Promise<void> | void): void }) {
  assertBuilt();
  const root = await makeTempDir(t, 'presswatch-deliver-cli-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  let hookStatus = 200;
  const hookBodies: { body: string; signature: string | undefined }[] = [];
  const server = await startServer({
    '/feed.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED),
    '/hook': (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hookBodies.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-presswatch-signature'] as string | undefined });
        res.writeHead(hookStatus).end();
      });
    },
  });
  t.after(() => server.close());
  const smtp = await startSmtpServer();
  t.after(() => smtp.close());
  const caFile = join(root, 'ca.pem');
  await writeFile(caFile, smtp.cert);
  const atom = join(root, 'www', 'veille.atom');
  await runCli(['config', 'set', 'deliveryRetries', '0'], dirs);
  const env = { NODE_EXTRA_CA_CERTS: caFile, PRESSWATCH_SMTP_URL: smtp.url, PRESSWATCH_MAIL_FROM: 'Veille <veille@example.org>', HOOK_SECRET: 'k3y' };
  const cli = (args: string[]) => runCli(args, dirs, { env, timeoutMs: 30_000 });
  // Written as a person would; `watchlist deliver add` is tested below. fullText never: news.example is not fetched.
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await writeFile(
    join(dirs.configDir, 'watchlists', 'veille.yaml'),
    `name: veille
feeds:
  - ${server.url('/feed.xml')}
keywords: [Pyongyang]
fullText: never
destinations:
  - mailto:redaction@example.org
  - { uri: "${server.url('/hook')}", format: json, secretEnv: HOOK_SECRET }
  - file:${atom}
`,
  );
  return {
    dirs,
    env,
    cli,
    smtp,
    hookBodies,
    atom,
    server,
    setHookStatus: (s: number) => {
      hookStatus = s;
    },
  };
}

describe('digest --deliver through the CLI', () => {
  it('delivers to mail, webhook and Atom file, lists each delivery in the JSON digest, and prints as before', async (t) => {
    const s = await setUp(t);
    const run = await s.cli(['digest', '-w', 'veille', '--deliver', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const digest = JSON.parse(run.stdout) as Digest;
    assert.deepEqual(checkSchema(digest, JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'digest.schema.json'), 'utf8'))), [], 'deliveries are documented in the schema');
    assert.deepEqual(
      digest.stories.map((x) => x.title),
      ['Pyongyang reçoit une délégation russe'],
      'stdout still gets its digest',
    );
    assert.deepEqual(
      digest.deliveries?.map((d) => [d.kind, d.destination.replace(s.server.origin, 'ORIGIN'), d.status, d.stories, d.delivered, d.error]),
      [
        ['mail', 'mailto:redaction@example.org', 'delivered', 1, 1, null],
        ['webhook', 'ORIGIN/hook', 'delivered', 1, 1, null],
        ['feed', `file:${s.atom}`, 'delivered', 1, 1, null],
      ],
    );
    assert.equal(s.smtp.received.length, 1);
    assert.equal(s.smtp.received[0]!.secure, true);
    assert.equal(s.smtp.received[0]!.parsed.subject, 'presswatch · veille · 1 new story');
    assert.equal(s.hookBodies.length, 1);
    assert.equal(s.hookBodies[0]!.signature, `sha256=${createHmac('sha256', 'k3y').update(s.hookBodies[0]!.body).digest('hex')}`);
    const feed = await new Parser().parseString(await readFile(s.atom, 'utf8'));
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Pyongyang reçoit une délégation russe'],
    );
    assert.match(run.stderr, /delivered 1 story of veille to mailto:redaction@example\.org/);

    // Nothing new: nothing sent, exit 0.
    const again = await s.cli(['--quiet', 'digest', '-w', 'veille', '--deliver', '--no-print']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.equal(again.stderr, '');
    assert.equal(s.smtp.received.length, 1);
    assert.equal(s.hookBodies.length, 1);
  });

  it('a failing destination: one line on stderr, listed in the JSON, exit code 3; the next run sends what it missed', async (t) => {
    const s = await setUp(t);
    s.setHookStatus(500);
    const failed = await s.cli(['--quiet', 'digest', '-w', 'veille', '--deliver', '--format', 'json']);
    assert.equal(failed.code, 3, failed.stderr);
    const lines = failed.stderr.trim().split('\n');
    assert.equal(lines.length, 2, failed.stderr);
    assert.match(lines[0]!, /^presswatch: warning: deliver: veille to http:\/\/127\.0\.0\.1:\d+\/hook failed: answered 500 Internal Server Error; the next run sends what it missed$/);
    assert.equal(lines[1], 'presswatch: 1 of 3 deliveries failed (see above); the next run sends them what they missed');
    const digest = JSON.parse(failed.stdout) as Digest;
    assert.deepEqual(
      digest.deliveries?.map((d) => d.status),
      ['delivered', 'failed', 'delivered'],
    );
    assert.match(digest.deliveries![1]!.error!, /^answered 500/);

    s.setHookStatus(200);
    const back = await s.cli(['--quiet', 'digest', '-w', 'veille', '--deliver', '--no-print']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, '', '--no-print prints nothing');
    assert.equal(s.hookBodies.length, 2);
    assert.deepEqual(
      (JSON.parse(s.hookBodies[1]!.body) as Digest).stories.map((x) => x.title),
      ['Pyongyang reçoit une délégation russe'],
    );
    assert.equal(s.smtp.received.length, 1, 'mail got it once');
  });

  it('watchlist deliver test: a sample to each destination, each outcome reported, the Atom file left alone, nothing recorded', async (t) => {
    const s = await setUp(t);
    const test = await s.cli(['watchlist', 'deliver', 'test', 'veille']);
    assert.equal(test.code, 0, test.stderr);
    const lines = test.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^OK {6}mailto:redaction@example\.org {2}250 /);
    assert.match(lines[1]!, /^OK {6}http:\/\/127\.0\.0\.1:\d+\/hook {2}one message accepted$/);
    assert.match(lines[2]!, /^OK {6}file:.*veille\.atom {2}.*www is writable/);
    assert.equal(existsSync(s.atom), false, "no sample left in the reader's feed");
    assert.equal(s.smtp.received[0]!.parsed.subject, 'presswatch · veille · 1 new story');
    assert.match(s.smtp.received[0]!.parsed.text ?? '', /presswatch test: this destination works/);
    // Nothing was recorded: the real story still goes everywhere.
    const run = await s.cli(['--quiet', 'digest', '-w', 'veille', '--deliver', '--no-print']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(s.smtp.received.length, 2);

    s.setHookStatus(404);
    const failing = await s.cli(['watchlist', 'deliver', 'test', 'veille', '--json']);
    assert.equal(failing.code, 3);
    assert.deepEqual(
      (JSON.parse(failing.stdout) as { ok: boolean }[]).map((r) => r.ok),
      [true, false, true],
    );
  });

  it('watchlist deliver add, remove and list keep the file valid; flags that contradict each other are usage errors', async (t) => {
    const s = await setUp(t);
    const removed = await s.cli(['watchlist', 'deliver', 'remove', 'veille', 'mailto:redaction@example.org']);
    assert.equal(removed.code, 0, removed.stderr);
    const added = await s.cli(['watchlist', 'deliver', 'add', 'veille', 'mailto:autre@example.org']);
    assert.equal(added.code, 0, added.stderr);
    const list = await s.cli(['watchlist', 'deliver', 'list', 'veille', '--json']);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { uri: string }[]).map((d) => d.uri),
      [s.server.url('/hook'), `file:${s.atom}`, 'mailto:autre@example.org'],
    );
    for (const args of [
      ['digest', '--no-print'],
      ['digest', '--deliver', '--since', '24h'],
      ['digest', '--deliver', '--no-print', '-o', 'x.txt'],
      ['watch', '--no-print'],
    ]) {
      const r = await s.cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^presswatch: --/);
    }
  });

  it('config: the SMTP password is kept in a 0600 file and never shown', async (t) => {
    const s = await setUp(t);
    const set = await s.cli(['config', 'set', 'smtpUrl', `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${s.smtp.port}`]);
    assert.equal(set.code, 0, set.stderr);
    const settingsFile = join(s.dirs.configDir, 'config.json');
    assert.equal((await stat(settingsFile)).mode & 0o777, 0o600);
    const shown = await s.cli(['config', 'get', 'smtpUrl']);
    assert.equal(shown.stdout.trim(), `smtp://${SMTP_USER}:***@127.0.0.1:${s.smtp.port}`);
    const all = await s.cli(['config', 'get']);
    assert.ok(!all.stdout.includes(encodeURIComponent(SMTP_PASS)));
    const bad = await s.cli(['config', 'set', 'smtpUrl', 'https://user:secret@mail.example']);
    assert.equal(bad.code, 2);
    assert.ok(!bad.stderr.includes('secret'));
  });

  it('watch --deliver --no-print: a destination that fails in one round gets the story in a later one; nothing is printed', async (t) => {
    const s = await setUp(t);
    s.setHookStatus(503);
    const watch = startCli(t, ['watch', '-w', 'veille', '--interval', '1s', '--deliver', '--no-print'], s.dirs, s.env);
    await watch.waitFor(() => /deliver: veille to .* failed: answered 503/.test(watch.stderr()), 'the failed delivery', 15_000);
    s.setHookStatus(200);
    await watch.waitFor(() => s.hookBodies.length >= 2, 'the delivery in a later round', 15_000);
    assert.equal(await watch.stop(), 0);
    assert.equal(watch.stdout(), '');
    assert.deepEqual(
      (JSON.parse(s.hookBodies.at(-1)!.body) as Digest).stories.map((x) => x.title),
      ['Pyongyang reçoit une délégation russe'],
    );
    assert.equal(s.smtp.received.length, 1, 'mail got the story once, in the first round');
  });
});
