import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFetchTime, parseRetryAfter } from '../../src/fetch/schedule.js';

const NOW = new Date('2026-11-24T06:00:00.000Z');
const after = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('nextFetchTime: what the publisher asked for', () => {
  const cases: [string, Parameters<typeof nextFetchTime>[0], string | null][] = [
    ['nothing said', { now: NOW }, null],
    ['RSS ttl in minutes', { now: NOW, ttlMinutes: 60 }, after(3_600_000)],
    ['Cache-Control max-age', { now: NOW, cacheControl: 'public, max-age=900' }, after(900_000)],
    ['s-maxage counts too', { now: NOW, cacheControl: 's-maxage=120' }, after(120_000)],
    ['max-age=0 asks nothing', { now: NOW, cacheControl: 'max-age=0' }, null],
    ['Retry-After seconds', { now: NOW, retryAfter: '3600' }, after(3_600_000)],
    ['Retry-After HTTP date', { now: NOW, retryAfter: 'Tue, 24 Nov 2026 08:00:00 GMT' }, after(7_200_000)],
    ['the longest wish wins', { now: NOW, ttlMinutes: 5, cacheControl: 'max-age=60', retryAfter: '600' }, after(600_000)],
    ['capped at a day', { now: NOW, retryAfter: String(365 * 86400) }, after(86_400_000)],
    ['garbage is ignored', { now: NOW, retryAfter: 'soon', cacheControl: 'max-age=abc' }, null],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(nextFetchTime(input), expected));

  it('parseRetryAfter never goes negative for a past date', () => {
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 00:00:00 GMT', NOW), 0);
    assert.equal(parseRetryAfter(null, NOW), null);
  });
});
