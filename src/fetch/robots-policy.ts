/**
 * What the polite fetcher needs of robots.txt before any is read: the policy's
 * shape and the crawler's name. Apart from src/fetch/robots.ts so that a run
 * which scrapes no page never loads the robots.txt parser.
 */

/** What a host's robots.txt says to one crawler. */
export interface RobotsPolicy {
  isAllowed(pathAndQuery: string): boolean;
  crawlDelayMs: number | null;
  /** Why everything is refused when robots.txt could not be read, for the error message. */
  reason?: string;
}

export const ALLOW_ALL: RobotsPolicy = { isAllowed: () => true, crawlDelayMs: null };
export const DISALLOW_ALL: RobotsPolicy = { isAllowed: () => false, crawlDelayMs: null };

/** The crawler's product token from a User-Agent string: `presswatch/0.1 (...)` → `presswatch`. */
export function productToken(userAgent: string): string {
  return (/^[A-Za-z0-9_-]+/.exec(userAgent.trim())?.[0] ?? userAgent).toLowerCase();
}
