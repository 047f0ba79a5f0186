/**
 * Where a watchlist's digest is delivered (docs/delivery.md). Pure: reads a
 * `destinations:` entry of a watchlist file and says what is wrong with it.
 *
 *   destinations:
 *     - mailto:veille@example.org                     # one message per run
 *     - uri: https://hooks.slack.com/services/...     # a webhook
 *       format: slack                                 # slack | mattermost | discord | json
 *       secretEnv: PRESSWATCH_HOOK_SECRET             # signs the body (json), read from the environment
 *     - file:/var/www/veille.atom                     # a rolling Atom feed
 *
 * Secrets never go into the file: SMTP credentials come from the environment or
 * the settings, a webhook's signing secret from the variable `secretEnv` names.
 */

export const WEBHOOK_FORMATS = ['slack', 'mattermost', 'discord', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export type DestinationKind = 'mail' | 'webhook' | 'feed';

export interface DestinationSpec {
  /** As written in the watchlist: also the key of the destination's delivery record. */
  uri: string;
  /** Webhooks only; inferred from the host when not given (Slack, Discord), else json. */
  format?: WebhookFormat;
  /** Webhooks only: the environment variable holding the HMAC secret. */
  secretEnv?: string;
}

const FIELDS = ['uri', 'format', 'secretEnv'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Deliberately simple: one address, no display name, no list (one destination per recipient).
const MAIL_ADDRESS = /^[^\s@,;<>()"]+@[^\s@,;<>()"]+\.[^\s@,;<>()"]+$/;

export function destinationKind(uri: string): DestinationKind | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 'mailto') return 'mail';
  if (scheme === 'http' || scheme === 'https') return 'webhook';
  if (scheme === 'file') return 'feed';
  return null;
}

/** The recipient of a `mailto:` destination. */
export function mailAddressOf(uri: string): string {
  return decodeURIComponent(uri.slice('mailto:'.length));
}

/** The path of a `file:` destination (`file:/abs/path.atom` or `file:///abs/path.atom`). */
export function feedPathOf(uri: string): string {
  const rest = uri.slice('file:'.length);
  return decodeURIComponent(rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//localhost/') ? rest.slice('//localhost'.length) : rest);
}

/** What a URI is wrong about, or null. */
export function checkDestinationUri(uri: string): string | null {
  if (!uri) return 'empty destination';
  const kind = destinationKind(uri);
  if (kind === 'mail') {
    const address = safeDecode(uri.slice('mailto:'.length));
    if (address === null || !MAIL_ADDRESS.test(address)) {
      return `"${uri}" is not one mail address (write mailto:name@example.org; one destination per recipient)`;
    }
    return null;
  }
  if (kind === 'webhook') {
    try {
      const url = new URL(uri);
      if (!url.hostname) return `not a valid URL (no host): ${uri}`;
      return null;
    } catch {
      return `not a valid URL: ${uri}`;
    }
  }
  if (kind === 'feed') {
    if (/^file:\/\/(?!\/|localhost\/)/.test(uri)) return `"${uri}": a file: destination names a local path (file:/path/feed.atom)`;
    const path = safeDecode(feedPathOf(uri));
    if (path === null || !path.startsWith('/')) return `"${uri}": give an absolute path (file:/path/to/feed.atom)`;
    if (!/\.(atom|xml)$/i.test(path)) return `"${uri}": the file must end in .atom or .xml (it is rewritten on every delivery)`;
    return null;
  }
  return `unsupported destination "${uri}" (use mailto:ADDRESS, https://… or http://… for a webhook, file:/PATH.atom for a feed)`;
}

/** The format a webhook gets when the watchlist does not say: Slack's and Discord's own hosts are recognised. */
export function inferWebhookFormat(uri: string): WebhookFormat {
  try {
    const url = new URL(uri);
    if (url.hostname === 'hooks.slack.com') return 'slack';
    if (/(^|\.)(discord|discordapp)\.com$/.test(url.hostname) && url.pathname.startsWith('/api/webhooks/')) return 'discord';
  } catch {
    // checked elsewhere
  }
  return 'json';
}

export interface DestinationProblem {
  /** The field of a mapping entry, or null for the entry itself. */
  field: string | null;
  message: string;
}

/** One entry of `destinations:`, a URI or `{ uri, format, secretEnv }`. */
export function readDestination(entry: unknown): { value: DestinationSpec | null; problems: DestinationProblem[] } {
  const problems: DestinationProblem[] = [];
  const fail = (field: string | null, message: string) => problems.push({ field, message });
  if (typeof entry === 'string') {
    const uri = entry.trim();
    const problem = checkDestinationUri(uri);
    if (problem) return { value: null, problems: [{ field: null, message: problem }] };
    return { value: withDefaults({ uri }), problems };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { value: null, problems: [{ field: null, message: 'must be a URI (mailto:, https://, file:) or { uri, format, secretEnv }' }] };
  }
  const map = entry as Record<string, unknown>;
  for (const key of Object.keys(map)) if (!FIELDS.includes(key)) fail(key, `unknown field; expected one of ${FIELDS.join(', ')}`);
  const rawUri = map['uri'];
  const uri = typeof rawUri === 'string' ? rawUri.trim() : '';
  if (typeof rawUri !== 'string') fail('uri', rawUri === undefined ? 'missing; where to deliver (mailto:, https://, file:)' : 'must be a string');
  else {
    const problem = checkDestinationUri(uri);
    if (problem) fail('uri', problem);
  }
  const spec: DestinationSpec = { uri };
  const kind = destinationKind(uri);
  const format = map['format'];
  if (format !== undefined) {
    if (typeof format !== 'string' || !(WEBHOOK_FORMATS as readonly string[]).includes(format)) fail('format', `must be one of ${WEBHOOK_FORMATS.join(', ')}`);
    else if (kind !== 'webhook' && kind !== null) fail('format', 'only webhooks (http:, https:) have a format');
    else spec.format = format as WebhookFormat;
  }
  const secretEnv = map['secretEnv'];
  if (secretEnv !== undefined) {
    if (typeof secretEnv !== 'string' || !ENV_NAME.test(secretEnv)) fail('secretEnv', 'must be the name of an environment variable (letters, digits, underscore), never the secret itself');
    else if (kind !== 'webhook' && kind !== null) fail('secretEnv', 'only webhooks (http:, https:) are signed');
    else spec.secretEnv = secretEnv;
  }
  return problems.length ? { value: null, problems } : { value: withDefaults(spec), problems };
}

function withDefaults(spec: DestinationSpec): DestinationSpec {
  return destinationKind(spec.uri) === 'webhook' && !spec.format ? { ...spec, format: inferWebhookFormat(spec.uri) } : spec;
}

export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/**
 * A destination as messages show it. A webhook's URL is often its only
 * credential (Slack, Discord): long path segments and the query are shortened,
 * user info is dropped, so stderr, JSON digests and logs never carry it whole.
 */
export function redactUri(uri: string): string {
  if (destinationKind(uri) !== 'webhook') return uri;
  try {
    const url = new URL(uri);
    const path = url.pathname
      .split('/')
      .map((segment) => (segment.length > 12 || /\d{6,}/.test(segment) ? `${segment.slice(0, 4)}…` : segment))
      .join('/');
    return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
  } catch {
    return 'a webhook';
  }
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
