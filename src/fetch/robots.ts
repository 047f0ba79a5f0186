/**
 * robots.txt as RFC 9309 reads it: groups of user-agent lines with allow/disallow
 * rules, the longest matching rule wins, allow wins a tie, `*` and `$` are wildcards.
 * Crawl-delay (not in the RFC, widely used) is kept per group. Pure: text in, answers out.
 */

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

export interface RobotsGroup {
  agents: string[];
  rules: RobotsRule[];
  crawlDelaySeconds: number | null;
}

export interface Robots {
  groups: RobotsGroup[];
}

/** What a host's robots.txt says to one crawler. */
export interface RobotsPolicy {
  isAllowed(pathAndQuery: string): boolean;
  crawlDelayMs: number | null;
  /** Why everything is refused when robots.txt could not be read, for the error message. */
  reason?: string;
}

export const ALLOW_ALL: RobotsPolicy = { isAllowed: () => true, crawlDelayMs: null };
export const DISALLOW_ALL: RobotsPolicy = { isAllowed: () => false, crawlDelayMs: null };

export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = [];
  let current: RobotsGroup | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // Consecutive user-agent lines share one group.
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelaySeconds: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (key === 'allow' || key === 'disallow') {
      // An empty Disallow allows everything: it adds no rule.
      if (value) current.rules.push({ allow: key === 'allow', pattern: value });
    } else if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
    }
  }
  return { groups };
}

/** The crawler's product token from a User-Agent string: `presswatch/0.1 (...)` → `presswatch`. */
export function productToken(userAgent: string): string {
  return (/^[A-Za-z0-9_-]+/.exec(userAgent.trim())?.[0] ?? userAgent).toLowerCase();
}

/** Groups naming our token (case-insensitive) win over `*`; several matching groups are merged. */
export function policyFor(robots: Robots, token: string): RobotsPolicy {
  const name = token.toLowerCase();
  let groups = robots.groups.filter((g) => g.agents.some((a) => a !== '*' && (a === name || name.startsWith(a) || a.startsWith(name))));
  if (!groups.length) groups = robots.groups.filter((g) => g.agents.includes('*'));
  if (!groups.length) return ALLOW_ALL;
  const rules = groups.flatMap((g) => g.rules);
  const delays = groups.map((g) => g.crawlDelaySeconds).filter((d): d is number => d !== null);
  return {
    isAllowed: (path) => isPathAllowed(rules, path),
    crawlDelayMs: delays.length ? Math.max(...delays) * 1000 : null,
  };
}

export function isPathAllowed(rules: readonly RobotsRule[], pathAndQuery: string): boolean {
  const path = normalizePath(pathAndQuery);
  if (path === '/robots.txt') return true;
  let best: RobotsRule | null = null;
  let bestLength = -1;
  for (const rule of rules) {
    if (!matchesPattern(normalizePath(rule.pattern), path)) continue;
    const length = rule.pattern.length;
    if (length > bestLength || (length === bestLength && rule.allow && !best!.allow)) {
      best = rule;
      bestLength = length;
    }
  }
  return best ? best.allow : true;
}

/** Percent-encoding differs between a robots.txt and a URL; compare decoded forms where safe. */
function normalizePath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/%2f/gi, '%252F'));
  } catch {
    return path;
  }
}

function matchesPattern(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  if (!body.includes('*')) return anchored ? path === body : path.startsWith(body);
  const regex = new RegExp(`^${body.split('*').map(escapeRegex).join('.*')}${anchored ? '$' : ''}`);
  return regex.test(path);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
