/**
 * A real SMTP server on 127.0.0.1 (smtp-server), with authentication and
 * STARTTLS on a certificate generated for the test, that keeps every message
 * it accepted, parsed by mailparser.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  parsed: ParsedMail;
  raw: string;
  envelopeTo: string[];
  /** The session was encrypted (STARTTLS) when the message was sent. */
  secure: boolean;
}

export interface TestSmtpServer {
  port: number;
  /** smtp://user:pass@127.0.0.1:port */
  url: string;
  /** The certificate (PEM) the server presents: trust it as a CA. */
  cert: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export const SMTP_USER = 'veille';
export const SMTP_PASS = 'p@ss:wörd';

let certificate: Promise<{ cert: string; key: string }> | null = null;

/** One certificate per test process (EC keys: quick to make), for 127.0.0.1 and localhost. */
export function testCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

export async function startSmtpServer(overrides: Partial<SMTPServerOptions> = {}): Promise<TestSmtpServer> {
  const { cert, key } = await testCertificate();
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // Authentication only over TLS, as real submission servers do: proves STARTTLS ran.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({ parsed, raw, envelopeTo: session.envelope.rcptTo.map((r) => r.address), secure: session.secure });
            callback();
          })
          .catch(callback);
      });
    },
    ...overrides,
  });
  // A client that hangs up or speaks the wrong protocol is an error of that connection, not of the test.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${port}`,
    cert,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
