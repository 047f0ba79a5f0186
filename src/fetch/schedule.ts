/**
 * When a feed may be fetched again, from what the publisher said: RSS <ttl>
 * (minutes), Cache-Control max-age, and Retry-After on 429/503. Pure.
 * Returns null when the publisher said nothing: the caller's interval rules.
 */
export function nextFetchTime(input: {
  now: Date;
  ttlMinutes?: number | null;
  cacheControl?: string | null;
  retryAfter?: string | null;
  /** Caps what a publisher can ask for, so a typo of a year does not silence a feed. */
  maxDelayMs?: number;
}): string | null {
  const cap = input.maxDelayMs ?? 24 * 3_600_000;
  const delays: number[] = [];
  if (input.ttlMinutes && input.ttlMinutes > 0) delays.push(input.ttlMinutes * 60_000);
  const maxAge = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(input.cacheControl ?? '');
  if (maxAge) delays.push(Number(maxAge[1]) * 1000);
  const retry = parseRetryAfter(input.retryAfter ?? null, input.now);
  if (retry !== null) delays.push(retry);
  if (delays.length === 0) return null;
  const delay = Math.min(cap, Math.max(...delays));
  return delay > 0 ? new Date(input.now.getTime() + delay).toISOString() : null;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
