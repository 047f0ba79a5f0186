import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parseDocument } from 'htmlparser2';
import type { Digest } from '../../src/digest/digest.js';
import type { Destination } from '../../src/deliver/destination.js';
import { mailDestination, type MailSettings } from '../../src/deliver/mail.js';
import { sampleDigest } from '../digest/sample-digest.js';
import { SMTP_PASS, SMTP_USER, startSmtpServer, testCertificate } from '../helpers/smtp-server.js';

const NOW = new Date('2026-11-24T07:00:05.000Z');

async function settings(smtpUrl: string | null, extra: Partial<MailSettings> = {}): Promise<MailSettings> {
  const { cert } = await testCertificate();
  return { smtpUrl, from: 'presswatch <veille@example.org>', timeoutMs: 3000, tls: { ca: cert }, now: () => NOW, ...extra };
}

const deliver = (destination: Destination, digest: Digest = sampleDigest()) => destination.deliver({ digest, earlier: [] });

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('mail destination (a real SMTP server on loopback)', () => {
  it('sends one multipart/alternative message over STARTTLS with login: text and HTML parts, the stories, subject, Date, Message-ID', async (t) => {
    const smtp = await startSmtpServer();
    t.after(() => smtp.close());
    const outcome = await deliver(mailDestination('mailto:redaction@example.org', await settings(smtp.url)));
    assert.equal(outcome.status, 'accepted', JSON.stringify(outcome));
    assert.match(outcome.status === 'accepted' ? (outcome.detail ?? '') : '', /^250\b/);
    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0]!;
    assert.equal(mail.secure, true, 'the session was upgraded with STARTTLS before the login');
    assert.deepEqual(mail.envelopeTo, ['redaction@example.org']);
    const { parsed } = mail;
    assert.equal(parsed.subject, 'presswatch · coree-russie · 2 new stories');
    assert.equal(parsed.from?.value[0]?.address, 'veille@example.org');
    assert.equal(parsed.date?.toISOString(), NOW.toISOString());
    assert.match(parsed.messageId ?? '', /^<[0-9a-f-]{36}@example\.org>$/);
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    assert.match(mail.raw, /^Content-Type: multipart\/alternative;/im);
    // Both parts carry the stories.
    assert.match(parsed.text ?? '', /Pyongyang et Moscou : le point sur l’accord/);
    assert.match(parsed.text ?? '', /https:\/\/example\.org\/a1/);
    const html = String(parsed.html);
    assert.match(html, /Pyongyang et Moscou : le point sur l’accord/);
    assert.match(html, /<a href="https:\/\/example\.org\/a1"[^>]*style="color:#0645ad"/);
    assert.match(html, /<mark style="[^"]+">accord de défense<\/mark>/);
    // Inline styles only: no style sheet, no remote image or script.
    const dom = parseDocument(html);
    const tags: string[] = [];
    const walk = (nodes: typeof dom.children) => {
      for (const n of nodes) {
        if (n.type === 'script' || n.type === 'style') tags.push(n.type);
        if ('name' in n) tags.push(n.name);
        if ('children' in n) walk(n.children as typeof dom.children);
      }
    };
    walk(dom.children);
    for (const forbidden of ['script', 'style', 'img', 'link', 'iframe', 'object']) assert.ok(!tags.includes(forbidden), `<${forbidden}> in the mail`);
  });

  it('smtps:// speaks TLS from the first byte (implicit TLS, port 465 style)', async (t) => {
    const smtp = await startSmtpServer({ secure: true });
    t.after(() => smtp.close());
    const outcome = await deliver(mailDestination('mailto:a@example.org', await settings(smtp.url.replace(/^smtp:/, 'smtps:'))));
    assert.equal(outcome.status, 'accepted', JSON.stringify(outcome));
    assert.equal(smtp.received[0]!.secure, true);
    // A client speaking plain SMTP to it gets nowhere: a failure, not a hang.
    const plain = await deliver(mailDestination('mailto:a@example.org', await settings(smtp.url, { timeoutMs: 1000 })));
    assert.equal(plain.status, 'failed');
    assert.equal(smtp.received.length, 1);
  });

  it('one story: the subject says "1 new story"', async (t) => {
    const smtp = await startSmtpServer();
    t.after(() => smtp.close());
    const digest = sampleDigest();
    const one = { ...digest, stories: digest.stories.slice(0, 1), counts: { ...digest.counts, stories: 1 } };
    assert.equal((await deliver(mailDestination('mailto:a@example.org', await settings(smtp.url)), one)).status, 'accepted');
    assert.equal(smtp.received[0]!.parsed.subject, 'presswatch · coree-russie · 1 new story');
  });

  it('a refused login is a failure that says so, and nothing is delivered', async (t) => {
    const smtp = await startSmtpServer();
    t.after(() => smtp.close());
    const url = smtp.url.replace(encodeURIComponent(SMTP_PASS), 'wrong');
    const outcome = await deliver(mailDestination('mailto:a@example.org', await settings(url)));
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', new RegExp(`^SMTP 127\\.0\\.0\\.1:${smtp.port} refused the login: 535`));
    assert.ok(!(outcome.status === 'failed' && outcome.reason.includes('wrong')), 'the password is never repeated');
    assert.equal(smtp.received.length, 0);
  });

  it('a 4xx reply (try later) and a 5xx reply (refused) are failures naming the code', async (t) => {
    const busy = await startSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 451 }));
      },
    });
    t.after(() => busy.close());
    const temporary = await deliver(mailDestination('mailto:a@example.org', await settings(busy.url)));
    assert.equal(temporary.status, 'failed');
    assert.match(temporary.status === 'failed' ? temporary.reason : '', /451 4\.2\.1 Mailbox busy/);

    const refusing = await startSmtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('5.7.1 Message rejected as spam'), { responseCode: 554 })));
      },
    });
    t.after(() => refusing.close());
    const refused = await deliver(mailDestination('mailto:a@example.org', await settings(refusing.url)));
    assert.equal(refused.status, 'failed');
    assert.match(refused.status === 'failed' ? refused.reason : '', /554 5\.7\.1 Message rejected as spam/);
  });

  it('a server that drops the connection mid-conversation, and a port where nothing listens', async (t) => {
    // Greets, then hangs up on the first command.
    const dropper = createServer((socket) => {
      socket.write('220 localhost ESMTP ready\r\n');
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => dropper.close(() => resolve())));
    const port = (dropper.address() as AddressInfo).port;
    const dropped = await deliver(mailDestination('mailto:a@example.org', await settings(`smtp://127.0.0.1:${port}`)));
    assert.equal(dropped.status, 'failed');
    assert.match(dropped.status === 'failed' ? dropped.reason : '', /closed the connection/);

    const unreachable = await deliver(mailDestination('mailto:a@example.org', await settings(`smtp://${SMTP_USER}:x@127.0.0.1:${await closedPort()}`)));
    assert.equal(unreachable.status, 'failed');
    assert.match(unreachable.status === 'failed' ? unreachable.reason : '', /connection refused/);
  });

  it('without an SMTP URL or a sender: a failure that says how to configure it', async () => {
    const none = await deliver(mailDestination('mailto:a@example.org', await settings(null)));
    assert.match(none.status === 'failed' ? none.reason : '', /PRESSWATCH_SMTP_URL/);
    const noSender = await deliver(mailDestination('mailto:a@example.org', await settings('smtp://127.0.0.1:25', { from: null })));
    assert.match(noSender.status === 'failed' ? noSender.reason : '', /PRESSWATCH_MAIL_FROM/);
    const wrongScheme = await deliver(mailDestination('mailto:a@example.org', await settings('https://user:secret@mail.example')));
    assert.match(wrongScheme.status === 'failed' ? wrongScheme.reason : '', /smtp:\/\//);
    assert.ok(!(wrongScheme.status === 'failed' && wrongScheme.reason.includes('secret')));
  });
});
