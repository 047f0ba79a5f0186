/**
 * Which network addresses presswatch may connect to (server-side request forgery).
 *
 * A link found in a document (an item's link, a redirect) is followed only to a
 * public address. What the user named is trusted: a configured feed or HTML source,
 * a URL typed on the command line, and the host of the feed a link came from. The
 * `allowPrivateHosts` setting opens more, by host name or by address range.
 *
 * The check runs inside the connection's own DNS look-up (`guardLookup`, installed in
 * the HTTP agent's look-up by http.ts), on the very addresses the socket will use,
 * so a name that answers a public address once and a private one the next time
 * (DNS rebinding) cannot slip through. IP literals skip DNS and are checked by
 * `refusalForLiteral` by the same agent before it connects.
 *
 * Other transports (webhooks, SMTP) take their destination from the user and are
 * trusted; anything that follows a link from a document must come through here.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

/** The kinds of non-public address, as named in messages. */
export type NonPublicRange = 'loopback' | 'private' | 'link-local' | 'shared' | 'this-network' | 'unspecified' | 'multicast' | 'reserved';

const RANGE_WORDS: Record<NonPublicRange, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  shared: 'a shared (carrier-grade NAT) address',
  'this-network': 'a "this network" address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** `a link-local address`, for messages. */
export function describeRange(range: NonPublicRange): string {
  return RANGE_WORDS[range];
}

/** The node:dns `lookup` shape the connection uses; tests inject their own resolver of this shape. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => void;

// ---------------------------------------------------------------- classifying addresses

interface Range4 {
  base: number;
  bits: number;
  range: NonPublicRange;
}

// IANA IPv4 special-purpose registry, the ranges that are not globally reachable unicast.
const IPV4_RANGES: Range4[] = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // deprecated 6to4 relays
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use, and 255.255.255.255 broadcast
].map(([base, bits, range]) => ({ base: parseIPv4(base as string)!, bits: bits as number, range: range as NonPublicRange }));

/** The non-public range an IP address falls in, or null for a public address (or not an IP at all). */
export function classifyAddress(address: string): NonPublicRange | null {
  const bare = stripBrackets(address);
  const v4 = parseIPv4(bare);
  if (v4 !== null) return classifyIPv4(v4);
  const v6 = parseIPv6(bare);
  return v6 === null ? null : classifyIPv6(v6);
}

function classifyIPv4(address: number): NonPublicRange | null {
  for (const r of IPV4_RANGES) if (inPrefix32(address, r.base, r.bits)) return r.range;
  return null;
}

interface Range6 {
  base: bigint;
  bits: number;
  range: NonPublicRange;
}

const range6 = (base: string, bits: number, range: NonPublicRange): Range6 => ({ base: ipv6Value(base), bits, range });

// IANA IPv6 special-purpose registry, in the order they are tried (after :: and ::1).
const IPV6_RANGES: Range6[] = [
  range6('fc00::', 7, 'private'), // unique local
  range6('fe80::', 10, 'link-local'),
  range6('fec0::', 10, 'private'), // deprecated site-local
  range6('ff00::', 8, 'multicast'),
  range6('64:ff9b:1::', 48, 'private'), // local-use NAT64
];
/** Only 2000::/3 is allocated as global unicast; within it, a few blocks are special. */
const GLOBAL_UNICAST = range6('2000::', 3, 'reserved');
const IPV6_RESERVED_IN_GLOBAL: Range6[] = [
  range6('2001::', 23, 'reserved'), // IETF protocol assignments, Teredo
  range6('2001:db8::', 32, 'reserved'), // documentation
  range6('3fff::', 20, 'reserved'), // documentation
];
const MAPPED = range6('::ffff:0:0', 96, 'reserved');
const NAT64 = range6('64:ff9b::', 96, 'reserved');
const SIX_TO_FOUR = range6('2002::', 16, 'reserved');

function classifyIPv6(address: bigint): NonPublicRange | null {
  if (address === 0n) return 'unspecified';
  if (address === 1n) return 'loopback';
  // Forms that carry an IPv4 address reach that address: judge it.
  const embedded = embeddedIPv4(address);
  if (embedded !== null) return classifyIPv4(embedded);
  for (const r of IPV6_RANGES) if (inRange6(address, r)) return r.range;
  if (!inRange6(address, GLOBAL_UNICAST)) return 'reserved';
  for (const r of IPV6_RESERVED_IN_GLOBAL) if (inRange6(address, r)) return r.range;
  return null;
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(address: bigint): number | null {
  if (inRange6(address, MAPPED) || inRange6(address, NAT64)) return Number(address & 0xffffffffn);
  if (inRange6(address, SIX_TO_FOUR)) return Number((address >> 80n) & 0xffffffffn);
  return null;
}

function inPrefix32(address: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return (address & mask) >>> 0 === (base & mask) >>> 0;
}

function inRange6(address: bigint, r: { base: bigint; bits: number }): boolean {
  const shift = BigInt(128 - r.bits);
  return address >> shift === r.base >> shift;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Dotted-quad IPv4 (the only form a URL's host or a DNS answer takes) to a 32-bit number. */
function parseIPv4(text: string): number | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function parseIPv6(text: string): bigint | null {
  const bare = text.replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names an interface, not an address
  return isIP(bare) === 6 ? ipv6Value(bare) : null;
}

/**
 * The value of a valid IPv6 address. Apart from parseIPv6 so that the range tables above
 * are built without node:net's IPv6 check, whose first call costs milliseconds (it compiles
 * a large regular expression): a run that meets no IPv6 address never pays it.
 */
function ipv6Value(bare: string): bigint {
  let head = bare;
  let tailV4: number | null = null;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted) {
    tailV4 = parseIPv4(dotted[1]!);
    head = `${bare.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, null];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right === null ? [] : right ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(right === null ? 0 : missing).fill('0'), ...rightGroups];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== null) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return value;
}

// ---------------------------------------------------------------- the allow list

interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

/** The `allowPrivateHosts` setting, compiled: host names (exact, any case) and address ranges. */
export interface AllowList {
  readonly key: string;
  allowsHost(hostname: string): boolean;
  allowsAddress(address: string): boolean;
}

/** Why an `allowPrivateHosts` entry is unusable, or null when it is a host name, an IP address or a CIDR range. */
export function allowEntryError(entry: string): string | null {
  const text = entry.trim();
  if (!text) return 'an empty entry';
  if (text.includes('/')) return parseCidr(text) ? null : `"${entry}" is not a CIDR range (such as 10.0.0.0/8 or fd00::/8)`;
  if (isIP(stripBrackets(text))) return null;
  if (/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(text)) return null;
  return `"${entry}" is neither a host name, an IP address nor a CIDR range`;
}

export function compileAllowList(entries: readonly string[] = []): AllowList {
  const hosts = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of entries) {
    const text = raw.trim();
    if (allowEntryError(text)) continue; // settings validation reports it; an unusable entry opens nothing
    const literal = stripBrackets(text);
    const cidr = parseCidr(text.includes('/') ? text : `${literal}/${isIP(literal) === 4 ? 32 : isIP(literal) === 6 ? 128 : -1}`);
    if (cidr) ranges.push(cidr);
    else hosts.add(text.toLowerCase().replace(/\.$/, ''));
  }
  return {
    key: [...entries].sort().join(','),
    allowsHost: (hostname) => hosts.has(stripBrackets(hostname).toLowerCase().replace(/\.$/, '')),
    allowsAddress: (address) => {
      const point = addressValue(address);
      return point !== null && ranges.some((r) => r.family === point.family && r.base >> BigInt((r.family === 4 ? 32 : 128) - r.bits) === point.value >> BigInt((r.family === 4 ? 32 : 128) - r.bits));
    },
  };
}

/** An address as a number of its family; an IPv4-mapped IPv6 address counts as the IPv4 address it maps. */
function addressValue(address: string): { family: 4 | 6; value: bigint } | null {
  const bare = stripBrackets(address);
  const v4 = parseIPv4(bare);
  if (v4 !== null) return { family: 4, value: BigInt(v4) };
  const v6 = parseIPv6(bare);
  if (v6 === null) return null;
  if (inRange6(v6, MAPPED)) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

function parseCidr(text: string): Cidr | null {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  const address = stripBrackets(text.slice(0, slash));
  const v4 = parseIPv4(address);
  if (v4 !== null) return bits <= 32 ? { family: 4, base: BigInt(v4), bits } : null;
  const v6 = parseIPv6(address);
  return v6 !== null && bits <= 128 ? { family: 6, base: v6, bits } : null;
}

// ---------------------------------------------------------------- the guard

/** A connection refused because the address is not public; http.ts turns it into a FetchError naming the URL. */
export class AddressRefusal extends Error {
  readonly code = 'EPRESSWATCH_PRIVATE_ADDRESS';
  readonly hostname: string;
  readonly address: string;
  readonly range: NonPublicRange;
  constructor(hostname: string, address: string, range: NonPublicRange) {
    super(`${hostname} resolves to ${address}, ${describeRange(range)}: not fetched (allowPrivateHosts to allow)`);
    this.name = 'AddressRefusal';
    this.hostname = hostname;
    this.address = address;
    this.range = range;
  }
}

/** The refusal for one address reached under a host name, or null when the address is public or allowed. */
export function refusalFor(hostname: string, address: string, allow: AllowList): AddressRefusal | null {
  const range = classifyAddress(address);
  if (range === null || allow.allowsHost(hostname) || allow.allowsAddress(address)) return null;
  return new AddressRefusal(hostname, address, range);
}

/** For a URL whose host is an IP literal: the socket connects without a look-up, so the agent asks this. */
export function refusalForLiteral(hostname: string, allow: AllowList): AddressRefusal | null {
  const bare = stripBrackets(hostname);
  return isIP(bare) ? refusalFor(bare, bare, allow) : null;
}

/**
 * Wraps a look-up so that it fails when any answer is a non-public address the allow
 * list does not open. All answers are judged, not only the first: the socket may try
 * each of them (happy eyeballs), and a mixed answer is a rebinding attempt anyway.
 */
export function guardLookup(allow: AllowList, resolve: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    if (allow.allowsHost(hostname)) return resolve(hostname, options, callback);
    resolve(hostname, { ...options, all: true }, (error, answer) => {
      if (error) return callback(error, options.all ? [] : '');
      const addresses = typeof answer === 'string' ? [{ address: answer, family: isIP(answer) }] : answer;
      for (const a of addresses) {
        const refusal = refusalFor(hostname, a.address, allow);
        if (refusal) return callback(refusal, options.all ? [] : '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

// ---------------------------------------------------------------- trust

/** The hosts a request may reach at any address, because the user named them. */
export interface Trust {
  readonly hosts: readonly string[];
}

/** Nothing vouched for: every host is held to public addresses (the default). */
export const TRUST_NOTHING: Trust = { hosts: [] };

/** Trust the hosts of these URLs (a configured feed, a URL typed by the user); non-http URLs add nothing. */
export function trustHostsOf(...urls: readonly string[]): Trust {
  const hosts: string[] = [];
  for (const u of urls) {
    try {
      const url = new URL(u);
      if (url.protocol === 'http:' || url.protocol === 'https:') hosts.push(url.hostname.toLowerCase());
    } catch {
      // not a URL (a path): no host to trust
    }
  }
  return { hosts };
}

export function isTrustedUrl(url: URL, trust: Trust): boolean {
  return trust.hosts.includes(url.hostname.toLowerCase());
}
