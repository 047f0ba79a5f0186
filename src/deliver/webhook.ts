/**
 * Webhooks: the digest POSTed as JSON (Slack, Mattermost, Discord messages, or
 * the presswatch.digest/1 document), signed with HMAC-SHA256 when the
 * watchlist names a secret. A 2xx answer is acceptance. 429 and 5xx are
 * retried with back-off, honouring Retry-After up to the run's longest wait;
 * a redirect is not followed (the signed body would go where the watchlist did
 * not say): it is a failure naming the new address.
 *
 * Webhook addresses are the user's own configuration, so they are trusted and
 * reached directly, not through the feed fetcher's address policy.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUri, type DestinationSpec } from '../config/destination.js';
import { webhookMessages } from './chat-messages.js';
import { shortReason, type Destination } from './destination.js';

export const SIGNATURE_HEADER = 'X-Presswatch-Signature';
/** The first wait before a retry (then 2x, 4x...), and the longest a run waits for one (a Retry-After beyond it ends this run's attempts). */
export const DEFAULT_BACKOFF_MS = 2000;
export const DEFAULT_MAX_WAIT_MS = 60_000;

export interface WebhookSettings {
  /** Per request. */
  timeoutMs: number;
  /** Attempts after the first one, on 429, 5xx and refused or reset connections. */
  retries: number;
  /** The first back-off; it doubles on each retry. */
  backoffMs: number;
  /** The longest a run waits before one retry: a Retry-After beyond it ends the attempts for this run. */
  maxWaitMs: number;
  userAgent: string;
  /** Reads the environment variable a destination's `secretEnv` names. */
  env: (name: string) => string | undefined;
  wait?: (ms: number) => Promise<void>;
}

export function webhookDestination(spec: DestinationSpec, settings: WebhookSettings): Destination {
  const label = redactUri(spec.uri);
  const format = spec.format ?? 'json';
  return {
    uri: spec.uri,
    kind: 'webhook',
    label,
    async deliver({ digest }) {
      let secret: string | undefined;
      if (spec.secretEnv) {
        secret = settings.env(spec.secretEnv);
        // Never post unsigned what the receiver expects signed.
        if (!secret) return { status: 'failed', reason: `the secret's environment variable ${spec.secretEnv} is not set` };
      }
      const accepted: string[] = [];
      const messages = webhookMessages(digest, format);
      for (const [i, message] of messages.entries()) {
        const result = await postWithRetries(spec.uri, message.body, secret, settings);
        if (!result.ok) {
          const part = messages.length > 1 ? ` (message ${i + 1} of ${messages.length})` : '';
          return { status: 'failed', reason: `${result.reason}${part}`, acceptedStoryIds: accepted };
        }
        accepted.push(...message.storyIds);
      }
      return { status: 'accepted', detail: `${messages.length === 1 ? 'one message' : `${messages.length} messages`} accepted` };
    },
  };
}

/** `sha256=<hex HMAC-SHA256 of the body>`, as the receiver recomputes it over the raw body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

type PostResult = { ok: true; status: number } | { ok: false; reason: string };

export async function postWithRetries(url: string, body: string, secret: string | undefined, settings: WebhookSettings): Promise<PostResult> {
  const wait = settings.wait ?? ((ms: number) => sleep(ms));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': settings.userAgent };
  if (secret) headers[SIGNATURE_HEADER.toLowerCase()] = signBody(body, secret);
  const attempts = settings.retries + 1;
  for (let attempt = 1; ; attempt++) {
    const answer = await postOnce(url, body, headers, settings.timeoutMs);
    if (answer.kind === 'done') return answer.result;
    const last = attempt >= attempts;
    const delay = answer.retryAfterMs ?? settings.backoffMs * 2 ** (attempt - 1);
    if (answer.retryAfterMs !== undefined && answer.retryAfterMs > settings.maxWaitMs) {
      return { ok: false, reason: `${answer.reason}, asking to retry in ${Math.ceil(answer.retryAfterMs / 1000)} s, longer than a run waits (${Math.ceil(settings.maxWaitMs / 1000)} s); the next run retries` };
    }
    if (last) return { ok: false, reason: attempts > 1 ? `${answer.reason} (${attempts} attempts)` : answer.reason };
    await wait(Math.min(delay, settings.maxWaitMs));
  }
}

type Answer = { kind: 'done'; result: PostResult } | { kind: 'retry'; reason: string; retryAfterMs?: number };

async function postOnce(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'done', result: { ok: false, reason: `no answer within ${timeoutMs} ms` } };
    const code = err.cause?.code ?? '';
    const reason = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'unknown host' : shortReason(err.cause?.message ?? err.message);
    // A refused or reset connection delivered nothing: worth another try. An unknown host is not.
    return code === 'ENOTFOUND' ? { kind: 'done', result: { ok: false, reason } } : { kind: 'retry', reason };
  }
  const status = response.status;
  const excerpt = await readExcerpt(response);
  const answered = `answered ${status}${response.statusText ? ` ${response.statusText}` : ''}${excerpt ? `: ${excerpt}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'done', result: { ok: true, status } };
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    const target = location ? ` to ${redactUri(new URL(location, url).href)}` : '';
    return { kind: 'done', result: { ok: false, reason: `answered ${status}, a redirect${target}: webhooks are not followed elsewhere; put the final address in the watchlist` } };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { kind: 'retry', reason: answered, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { kind: 'done', result: { ok: false, reason: answered } };
}

/** The start of an error answer, for the message; the rest is discarded so the connection is freed. */
async function readExcerpt(response: Response): Promise<string> {
  if (response.ok) {
    await response.body?.cancel().catch(() => {});
    return '';
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  let text = '';
  const decoder = new TextDecoder();
  try {
    while (text.length < 300) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // an answer cut short still has its status
  } finally {
    await reader.cancel().catch(() => {});
  }
  return shortReason(text, 120);
}

/** Retry-After: seconds, or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
