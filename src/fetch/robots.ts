/**
 * robots.txt as RFC 9309 reads it, through robots-parser (the longest matching
 * rule wins, allow wins a tie, `*` and `$` are wildcards, matched the way
 * Google's reference parser does). Crawl-delay (not in the RFC, widely used) is
 * read per group. This module only adapts it to what the polite fetcher asks:
 * a path in, allowed or not; pure, text in and answers out. Imported only when
 * a page is scraped (robots-parser is not part of a run that reads feeds only).
 */
import robotsParserExport from 'robots-parser';
import type { RobotsPolicy } from './robots-policy.js';

// A CommonJS package (module.exports is the function, which is what a default
// import gives at run time) whose types declare an ES default export instead.
const robotsParser = robotsParserExport as unknown as typeof robotsParserExport.default;

/** A parsed robots.txt. */
export type Robots = ReturnType<typeof robotsParser>;

// robots-parser answers only for URLs of the robots.txt's own origin; the policy is
// already per host, so every file is read as if served here and asked about paths.
const ORIGIN = 'http://robots.invalid';

export function parseRobots(text: string): Robots {
  return robotsParser(`${ORIGIN}/robots.txt`, text.replace(/^\ufeff/, ''));
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
