/**
 * robots.txt as RFC 9309 reads it, through robots-parser (the longest matching
 * rule wins, allow wins a tie, `*` and `$` are wildcards, matched the way
 * Google's reference parser does). Crawl-delay (not in the RFC, widely used) is
 * read per group. This module only adapts it to what the polite fetcher asks:
 * a path in, allowed or not; pure, text in and answers out.
 */
import robotsParserExport from 'robots-parser';

// A CommonJS package (module.exports is the function, which is what a default
// import gives at run time) whose types declare an ES default export instead.
const robotsParser = robotsParserExport as unknown as typeof robotsParserExport.default;

/** A parsed robots.txt. */
export type Robots = ReturnType<typeof robotsParser>;

/** What a host's robots.txt says to one crawler. */
export interface RobotsPolicy {
  isAllowed(pathAndQuery: string): boolean;
  crawlDelayMs: number | null;
  /** Why everything is refused when robots.txt could not be read, for the error message. */
  reason?: string;
}

export const ALLOW_ALL: RobotsPolicy = { isAllowed: () => true, crawlDelayMs: null };
export const DISALLOW_ALL: RobotsPolicy = { isAllowed: () => false, crawlDelayMs: null };

// robots-parser answers only for URLs of the robots.txt's own origin; the policy is
// already per host, so every file is read as if served here and asked about paths.
const ORIGIN = 'http://robots.invalid';

export function parseRobots(text: string): Robots {
  return robotsParser(`${ORIGIN}/robots.txt`, text.replace(/^\ufeff/, ''));
}

/** The crawler's product token from a User-Agent string: `presswatch/0.1 (...)` → `presswatch`. */
export function productToken(userAgent: string): string {
  return (/^[A-Za-z0-9_-]+/.exec(userAgent.trim())?.[0] ?? userAgent).toLowerCase();
}

/** The group naming our token (case-insensitive) wins over `*`; several groups naming it are merged. */
export function policyFor(robots: Robots, token: string): RobotsPolicy {
  const delay = robots.getCrawlDelay(token);
  return {
    // RFC 9309 2.2.2: /robots.txt itself is always allowed.
    isAllowed: (path) => path === '/robots.txt' || robots.isAllowed(`${ORIGIN}${path.startsWith('/') ? path : `/${path}`}`, token) !== false,
    crawlDelayMs: delay !== undefined && Number.isFinite(delay) && delay >= 0 ? delay * 1000 : null,
  };
}
