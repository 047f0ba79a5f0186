/**
 * One spelling per article URL, so that the copies a feed, a share button, an AMP
 * page and a mobile site hand out compare equal. Pure; never throws: a string that
 * is not an absolute URL comes back trimmed and otherwise untouched.
 *
 * What is folded (docs/dedupe.md keeps the list for people):
 * - scheme: `http` becomes `https` (outlets moved; old feeds still say http);
 * - host: lowercased (URL does it), trailing dot, `www.`, `m.`, `mobile.`, `amp.` dropped;
 *   a Google AMP cache address (`*.cdn.ampproject.org/c/s/…`) unwrapped to the origin;
 * - port: the scheme's default dropped;
 * - path: AMP variants (`/amp` last segment, `/amp/` first segment, `.amp`, `.amp.html`),
 *   trailing slashes;
 * - query: tracking parameters dropped (TRACKING_PARAMS, TRACKING_PREFIXES, and the AMP
 *   switches `amp`, `outputType=amp`), the rest sorted by name;
 * - fragment: dropped.
 * Path case, percent-encoding and the remaining query values are left alone: they can
 * name a different page.
 */

/** Query parameters that only say where a click came from, compared lowercased. */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // ad and social click ids
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'igsh',
  // analytics and mailing tools (Google, Mailchimp, HubSpot, Marketo, Webtrends, Adobe, comScore)
  '_ga',
  '_gl',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'mkt_tok',
  'vero_id',
  'wt.mc_id',
  'wt_mc',
  's_cid',
  'sc_cid',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
  'ns_fee',
  // AT Internet / Piano, used by most French outlets
  'xtor',
  'xtref',
  'xts',
  'xtcr',
  'xtdt',
  // outlets' own share and feed markers
  'echobox',
  'cmp',
  'cmpid',
  'icid',
  'ito',
  'ocid',
  'ncid',
  'smid',
  'smtyp',
  'emc',
  'partner',
  'feedtype',
  'feedname',
  'ref',
  'ref_src',
  'ref_url',
  'sr_share',
  'soc_src',
  'soc_trk',
  'spm',
  'rss',
  'rssfeed',
  'taid',
]);

/** Parameter-name prefixes that are tracking whatever follows: utm_source…, at_medium, at_campaign… */
export const TRACKING_PREFIXES: readonly string[] = ['utm_', 'at_', 'pk_', 'mtm_'];

const DROPPED_HOST_PREFIXES = /^(?:www\d?|m|mobile|amp)\./;
const AMP_CACHE = /^[^/]+\.cdn\.ampproject\.org$/;

export function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * The canonical spelling of `url`. `canonicalHint` is the page's
 * `<link rel="canonical">` when it was scraped: it wins when it is an http(s) URL
 * (relative ones resolved against `url`) that does not point at the site's home
 * page while `url` does not (a common CMS misconfiguration).
 */
export function canonicalizeUrl(url: string, canonicalHint?: string | null): string {
  const input = url.trim();
  const base = parseUrl(input);
  if (!base) return input;
  const hint = canonicalHint ? parseUrl(canonicalHint.trim(), base) : null;
  const chosen = hint && isHttp(hint) && !(isHome(hint) && !isHome(base)) ? hint : base;
  return formatCanonical(chosen);
}

function parseUrl(text: string, base?: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

function isHome(url: URL): boolean {
  return url.pathname === '/' || url.pathname === '';
}

function formatCanonical(parsed: URL): string {
  if (!isHttp(parsed)) {
    // Not a web article: only the fragment goes.
    parsed.hash = '';
    return parsed.href;
  }
  let url = parsed;
  // The cache path repeats the origin's host and path: /c/s/example.com/a/b (s = https).
  if (AMP_CACHE.test(url.hostname)) {
    const inner = /^\/[cvi]\/(?:s\/)?(.+)$/.exec(url.pathname);
    const unwrapped = inner ? parseUrl(`https://${inner[1]}${url.search}`) : null;
    if (unwrapped && !AMP_CACHE.test(unwrapped.hostname)) url = unwrapped;
  }
  // URL already dropped the scheme's own default; http's :443 is https's default once the scheme becomes https.
  const defaultPort = url.port === '' || (url.protocol === 'http:' && url.port === '443');
  let host = url.hostname.replace(/\.+$/, '');
  while (DROPPED_HOST_PREFIXES.test(host) && host.split('.').length > 2) host = host.replace(DROPPED_HOST_PREFIXES, '');
  const port = defaultPort ? '' : `:${url.port}`;
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `https://${auth}${host}${port}${canonicalPath(url.pathname)}${canonicalQuery(url.searchParams)}`;
}

function canonicalPath(pathname: string): string {
  let segments = pathname.split('/').filter((s, i, all) => s !== '' || i === 0 || i === all.length - 1);
  // Drop AMP markers until none is left, so that the result is a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    const last = segments.length - 1;
    if (last > 0 && (segments[last] === '' || segments[last]!.toLowerCase() === 'amp')) {
      segments = segments.slice(0, last);
      changed = true;
    } else if (segments.length > 2 && segments[1]!.toLowerCase() === 'amp') {
      segments = [segments[0]!, ...segments.slice(2)];
      changed = true;
    } else if (last > 0) {
      const stripped = segments[last]!.replace(/\.amp(\.html?)?$/i, '$1');
      if (stripped !== segments[last] && stripped !== '' && !stripped.startsWith('.')) {
        segments[last] = stripped;
        changed = true;
      }
    }
  }
  const path = segments.join('/');
  return path === '' ? '/' : path;
}

function canonicalQuery(params: URLSearchParams): string {
  const kept = [...params].filter(([name, value]) => {
    const key = name.toLowerCase();
    if (key === 'amp' || key === 'amp_js_v' || key === 'usqp') return false;
    if (key === 'outputtype' && value.toLowerCase() === 'amp') return false;
    return !isTrackingParam(name);
  });
  if (kept.length === 0) return '';
  // Stable sort: repeated names keep their order, which can matter.
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `?${new URLSearchParams(kept).toString()}`;
}
