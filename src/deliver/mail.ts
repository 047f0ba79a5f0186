/**
 * Mail: one message per watchlist and run, through nodemailer over SMTP.
 * multipart/alternative with the text digest and the HTML digest (inline
 * styles, nothing remote, no script). The destination counts as accepted only
 * when the server answered 250 to the message for its recipient.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { mailAddressOf } from '../config/destination.js';
import { checkSmtpUrl } from '../config/settings.js';
import type { Digest } from '../digest/digest.js';
import { renderHtml } from '../digest/render-html.js';
import { renderText } from '../digest/render-text.js';
import { headlineOf, shortReason, type Destination, type DeliveryOutcome } from './destination.js';

export interface MailSettings {
  /** `smtp://user:pass@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
  smtpUrl: string | null;
  /** The sender: an address, or `Name <address>`. */
  from: string | null;
  /** Connection, greeting and socket timeouts. */
  timeoutMs: number;
  /** Extra TLS options, such as a certificate authority to trust. */
  tls?: ConnectionOptions;
  now: () => Date;
}

export function mailDestination(uri: string, settings: MailSettings): Destination {
  const to = mailAddressOf(uri);
  return {
    uri,
    kind: 'mail',
    label: uri,
    async deliver({ digest }) {
      const problem = checkSmtpUrl(settings.smtpUrl);
      if (problem) return { status: 'failed', reason: problem };
      if (!settings.from) return { status: 'failed', reason: 'no sender: set PRESSWATCH_MAIL_FROM or `presswatch config set mailFrom ADDRESS`' };
      return sendMail(composeMail(digest, { from: settings.from, to, now: settings.now() }), settings);
    },
  };
}

/** The message for one watchlist's digest (pure). */
export function composeMail(digest: Digest, envelope: { from: string; to: string; now: Date }): Mail.Options {
  const domain = /@([^>\s]+)>?\s*$/.exec(envelope.from)?.[1] ?? 'presswatch.invalid';
  return {
    from: envelope.from,
    to: envelope.to,
    subject: headlineOf(digest),
    date: envelope.now,
    messageId: `<${randomUUID()}@${domain}>`,
    // RFC 3834: no vacation auto-replies to a robot.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Presswatch-Watchlist': digest.watchlists.join(', ') },
    text: renderText(digest, { color: false }),
    html: renderHtml(digest, { styles: 'mail' }),
  };
}

async function sendMail(message: Mail.Options, settings: MailSettings): Promise<DeliveryOutcome> {
  // Loaded on first use: it costs the start-up of every digest otherwise (about a second on a busy machine).
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl!,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    // The message is built here from escaped text: nodemailer must never read a file or a URL for it.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(settings.tls ? { tls: settings.tls } : {}),
  });
  try {
    const info = await transport.sendMail(message);
    if (info.rejected.length > 0) return { status: 'failed', reason: `SMTP: the server refused ${info.rejected.map(String).join(', ')}` };
    return { status: 'accepted', detail: shortReason(info.response) };
  } catch (error) {
    return { status: 'failed', reason: describeSmtpError(error as SmtpError, settings.smtpUrl!) };
  } finally {
    transport.close();
  }
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** What went wrong, in the words a person can act on; never the password. */
export function describeSmtpError(error: SmtpError, smtpUrl: string): string {
  const server = serverOf(smtpUrl);
  const reply = error.response ? `: ${shortReason(error.response)}` : '';
  switch (error.code) {
    case 'EAUTH':
      return `SMTP ${server} refused the login${reply}`;
    case 'ETIMEDOUT':
      return `SMTP ${server} did not answer in time`;
    case 'EENVELOPE':
      return `SMTP ${server} refused the envelope${reply}`;
    case 'ETLS':
      return `SMTP ${server}: TLS failed: ${shortReason(error.message)}`;
  }
  if (error.responseCode) return `SMTP ${server} answered ${error.responseCode}${reply}`;
  const cause = error.message ?? String(error);
  if (/ECONNREFUSED/.test(cause)) return `SMTP ${server}: connection refused`;
  if (/ENOTFOUND|EAI_AGAIN/.test(cause)) return `SMTP ${server}: unknown host`;
  if (/closed|ECONNRESET|EPIPE/i.test(cause)) return `SMTP ${server} closed the connection before accepting the message`;
  return `SMTP ${server}: ${shortReason(cause.replace(smtpUrl, server))}`;
}

/** host:port of an SMTP URL, for messages. */
function serverOf(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    return 'server';
  }
}
