/**
 * Fetching article pages politely: robots.txt is read once per host and obeyed,
 * at most `perHostConcurrency` requests run per host (between all the processes
 * sharing `hostSlots`), and two request starts on one host are at least
 * `perHostDelayMs` apart (or the host's Crawl-delay, if longer, capped at
 * `maxCrawlDelayMs`). The transfer itself is fetchResource's, with the same
 * User-Agent, timeout, size cap and charset decoding as feeds.
 */
import { isTrustedUrl, TRUST_NOTHING, type Trust } from './address-policy.js';
import { FetchError, fetchResource, normalizeSourceLocation, PrivateAddressError, type FetchOptions, type FetchResult, type Validators } from './http.js';
import { ALLOW_ALL, DISALLOW_ALL, productToken, type RobotsPolicy } from './robots-policy.js';

export interface PoliteFetcherOptions {
  fetch: FetchOptions;
  perHostConcurrency: number;
  perHostDelayMs: number;
  respectRobots: boolean;
  /** Upper bound on a host's Crawl-delay, so one robots.txt cannot stall a run for hours. */
  maxCrawlDelayMs?: number;
  /** Injected for tests; defaults to the real clock and timers. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
  /**
   * Where request starts are reserved, and places of requests in flight taken, when several
   * processes share the hosts (workers on one database). Default: this process only.
   */
  hostSlots?: HostSlots;
}

export interface HostSlots {
  reserve(origin: string, delayMs: number, nowMs: number): Promise<number>;
  /**
   * Takes one of `limit` places of requests in flight to `origin`, held until left or until
   * `untilMs` at most: its number, or null while all are taken (by any process).
   */
  enter(origin: string, limit: number, nowMs: number, untilMs: number): Promise<number | null>;
  leave(origin: string, place: number): Promise<void>;
}

export interface PoliteFetcher {
  /**
   * GETs one page under the host's rules; throws FetchError (also when robots.txt disallows
   * it, and PrivateAddressError when the page's host is not public and not trusted).
   */
  fetch(location: string, validators?: Validators, trust?: Trust): Promise<FetchResult>;
  /** The robots policy for a URL's host (fetched and cached on first use). */
  robotsFor(location: string, trust?: Trust): Promise<RobotsPolicy>;
}

interface HostState {
  active: number;
  waiting: Array<() => void>;
  nextStartAt: number;
  /** robots.txt read for a caller that trusts the host, and for one that does not: the address check differs. */
  robots: { trusted: Promise<RobotsPolicy> | null; untrusted: Promise<RobotsPolicy> | null };
}

const DEFAULT_MAX_CRAWL_DELAY_MS = 60_000;
/** Pauses between two asks for a shared place of a busy host: short at first, then up to half a second. */
const FIRST_PLACE_PAUSE_MS = 10;
const MAX_PLACE_PAUSE_MS = 500;
/** Beyond the fetch timeout, how long a shared place outlives its request when its process died holding it. */
const PLACE_GRACE_MS = 30_000;

/** Defaults for article pages: two requests at a time per host, a second between starts. */
export const DEFAULT_POLITENESS = { perHostConcurrency: 2, perHostDelayMs: 1_000, respectRobots: true } as const;

export function createPoliteFetcher(options: PoliteFetcherOptions): PoliteFetcher {
  const clock = options.clock ?? { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const limit = Math.max(1, Math.floor(options.perHostConcurrency));
  const maxCrawlDelay = options.maxCrawlDelayMs ?? DEFAULT_MAX_CRAWL_DELAY_MS;
  const token = productToken(options.fetch.userAgent);
  const hosts = new Map<string, HostState>();

  const stateOf = (origin: string): HostState => {
    let state = hosts.get(origin);
    if (!state) {
      state = { active: 0, waiting: [], nextStartAt: 0, robots: { trusted: null, untrusted: null } };
      hosts.set(origin, state);
    }
    return state;
  };

  const robotsFor = (location: string, trust: Trust = TRUST_NOTHING): Promise<RobotsPolicy> => {
    const url = new URL(normalizeSourceLocation(location));
    if (!options.respectRobots || (url.protocol !== 'http:' && url.protocol !== 'https:')) return Promise.resolve(ALLOW_ALL);
    const robots = stateOf(url.origin).robots;
    const kind = isTrustedUrl(url, trust) ? 'trusted' : 'untrusted';
    robots[kind] ??= loadRobots(url.origin, token, options.fetch, trust);
    return robots[kind];
  };

  /** Waits for the host's turn; returns the shared place taken (to be left), or null without shared places. */
  const acquire = async (origin: string, state: HostState, delayMs: number): Promise<number | null> => {
    while (state.active >= limit) await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.active++;
    const slots = options.hostSlots;
    if (!slots) {
      // Reserve the start time before sleeping, so concurrent callers queue behind it.
      const startAt = Math.max(clock.now(), state.nextStartAt);
      state.nextStartAt = startAt + delayMs;
      const wait = startAt - clock.now();
      if (wait > 0) await clock.sleep(wait);
      return null;
    }
    let place: number | null = null;
    try {
      // A place first, then a start: the places bound the queue of reserved starts, so the hold
      // covers the wait for this one (at most `limit` starts ahead) and the request itself.
      const holdMs = limit * delayMs + options.fetch.timeoutMs + PLACE_GRACE_MS;
      for (let pause = FIRST_PLACE_PAUSE_MS; ; pause = Math.min(2 * pause, MAX_PLACE_PAUSE_MS)) {
        place = await slots.enter(origin, limit, clock.now(), clock.now() + holdMs);
        if (place !== null) break;
        await clock.sleep(pause);
      }
      const wait = (await slots.reserve(origin, delayMs, clock.now())) - clock.now();
      if (wait > 0) await clock.sleep(wait);
      return place;
    } catch (error) {
      await release(origin, state, place);
      throw error;
    }
  };

  const release = async (origin: string, state: HostState, place: number | null): Promise<void> => {
    state.active--;
    state.waiting.shift()?.();
    // A place not given back (the store unreachable) expires by itself.
    if (place !== null) await options.hostSlots?.leave(origin, place).catch(() => {});
  };

  return {
    robotsFor,
    async fetch(location, validators = {}, trust = TRUST_NOTHING) {
      const href = normalizeSourceLocation(location);
      const url = new URL(href);
      if (url.protocol === 'file:') return fetchResource(href, validators, options.fetch, trust);
      const policy = await robotsFor(href, trust).catch((error: unknown) => {
        // The host itself is refused: say so about the page, not about its robots.txt.
        if (error instanceof PrivateAddressError) throw new PrivateAddressError(href, href, error.refusal);
        throw error;
      });
      if (!policy.isAllowed(url.pathname + url.search)) {
        throw new FetchError(`${href}: ${policy.reason ?? `disallowed by ${url.origin}/robots.txt for ${token}`}`);
      }
      const delay = Math.max(options.perHostDelayMs, Math.min(policy.crawlDelayMs ?? 0, maxCrawlDelay));
      const state = stateOf(url.origin);
      const place = await acquire(url.origin, state, delay);
      try {
        return await fetchResource(href, validators, options.fetch, trust);
      } finally {
        await release(url.origin, state, place);
      }
    },
  };
}

/**
 * RFC 9309: a robots.txt that does not exist (4xx) allows everything; one that cannot be
 * read (5xx, network failure) means "disallow all" until it can.
 */
async function loadRobots(origin: string, token: string, fetchOptions: FetchOptions, trust: Trust): Promise<RobotsPolicy> {
  // robots.txt files are small; a huge one is a misconfiguration we need not read whole.
  const options = { ...fetchOptions, maxBytes: Math.min(fetchOptions.maxBytes, 512 * 1024) };
  try {
    const result = await fetchResource(`${origin}/robots.txt`, {}, options, trust);
    if (result.kind !== 'ok') return ALLOW_ALL;
    const { parseRobots, policyFor } = await import('./robots.js');
    return policyFor(parseRobots(result.text), token);
  } catch (error) {
    // The host's own address is refused: no page of it will be read, robots or not.
    if (error instanceof PrivateAddressError && !error.redirected) throw error;
    const status = error instanceof FetchError ? error.status : null;
    if (status !== null && status >= 400 && status < 500) return ALLOW_ALL;
    if (error instanceof FetchError && /too large/.test(error.message)) return ALLOW_ALL;
    const detail = error instanceof Error ? error.message.replace(/^\S+: /, '') : String(error);
    return { ...DISALLOW_ALL, reason: `${origin}/robots.txt could not be read (${detail}); not fetching, as RFC 9309 asks` };
  }
}
