/**
 * What `--deliver` needs from the user's settings and environment. Its own module,
 * imported only when --deliver is given: the destinations' code stays out of
 * every other run's start-up.
 */
import { feedPathOf } from '../config/destination.js';
import type { Settings } from '../config/settings.js';
import type { Watchlist } from '../config/watchlist.js';
import { createDestination, type DeliverySettings } from '../deliver/create-destination.js';
import type { Destination } from '../deliver/destination.js';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_WAIT_MS } from '../deliver/webhook.js';
import { ConfigError } from '../errors.js';

/** How destinations reach their servers: the settings, with PRESSWATCH_SMTP_URL and PRESSWATCH_MAIL_FROM first. */
export function deliverySettingsOf(settings: Settings, env: NodeJS.ProcessEnv = process.env): DeliverySettings {
  return {
    mail: {
      smtpUrl: env['PRESSWATCH_SMTP_URL'] || settings.smtpUrl || null,
      from: env['PRESSWATCH_MAIL_FROM'] || settings.mailFrom || null,
      timeoutMs: settings.deliveryTimeoutMs,
      now: () => new Date(),
    },
    webhook: {
      timeoutMs: settings.deliveryTimeoutMs,
      retries: settings.deliveryRetries,
      backoffMs: DEFAULT_BACKOFF_MS,
      maxWaitMs: DEFAULT_MAX_WAIT_MS,
      userAgent: settings.userAgent,
      env: (name) => env[name],
    },
  };
}

/**
 * Each watchlist's destinations, for `--deliver`. One Atom file cannot be the
 * rolling feed of two watchlists (each run would overwrite the other's).
 */
export function destinationsOf(watchlists: readonly Watchlist[], settings: DeliverySettings, warn: (message: string) => void): Map<string, Destination[]> {
  if (!watchlists.some((w) => w.destinations?.length)) {
    const which = watchlists.length === 1 ? `${watchlists[0]!.name} has no destinations` : 'none of these watchlists has destinations';
    warn(`--deliver: ${which}; add one with \`presswatch watchlist deliver add NAME mailto:ADDRESS\``);
  }
  const fileOwner = new Map<string, string>();
  for (const w of watchlists) {
    for (const d of w.destinations ?? []) {
      if (!d.uri.startsWith('file:')) continue;
      const path = feedPathOf(d.uri);
      const other = fileOwner.get(path);
      if (other && other !== w.name) throw new ConfigError(`destinations: ${path} is the Atom file of both ${other} and ${w.name}; give each watchlist its own file`);
      fileOwner.set(path, w.name);
    }
  }
  return new Map(watchlists.map((w) => [w.name, (w.destinations ?? []).map((d) => createDestination(d, settings))]));
}

/** The destinations of these watchlists, as `--deliver` delivers to them. */
export function destinationsFor(watchlists: readonly Watchlist[], settings: Settings, warn: (message: string) => void): Map<string, Destination[]> {
  return destinationsOf(watchlists, deliverySettingsOf(settings), warn);
}
