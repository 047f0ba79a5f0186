import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { test } from 'node:test';
import { testResolver } from '../helpers/test-resolver.js';
import { AddressRefusal, allowEntryError, classifyAddress, compileAllowList, guardLookup, isTrustedUrl, refusalForLiteral, trustHostsOf, type LookupFunction } from '../../src/fetch/address-policy.js';

test('classifyAddress: every non-public IPv4 range, and public addresses next to them', () => {
  const cases: Array<[string, string | null]> = [
    ['0.0.0.0', 'this-network'],
    ['0.255.1.2', 'this-network'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['11.0.0.0', null],
    ['100.63.255.255', null],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.128.0.0', null],
    ['126.255.255.255', null],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.255.0.1', null],
    ['172.15.255.255', null],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', null],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['192.167.255.255', null],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.0', null],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['223.255.255.255', null],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', null],
    ['93.184.216.34', null],
    ['1.1.1.1', null],
  ];
  for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
});

test('classifyAddress: IPv6 ranges, and IPv4 carried inside IPv6 judged as the IPv4 address', () => {
  const cases: Array<[string, string | null]> = [
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['ff05::2', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['::7f00:1', 'reserved'], // IPv4-compatible (deprecated)
    // IPv4-mapped, in dotted and hexadecimal forms
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:100.64.0.1', 'shared'],
    ['::ffff:0.0.0.0', 'this-network'],
    ['::ffff:224.0.0.1', 'multicast'],
    ['::ffff:8.8.8.8', null],
    // NAT64 and 6to4 reach the IPv4 address they carry
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::808:808', null],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:808:808::1', null],
    ['2606:4700:4700::1111', null],
    ['2a00:1450:4007:80f::200e', null],
  ];
  for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
});

test('refusalForLiteral: IPv4 written in other forms reaches the check normalised by the URL parser', () => {
  const none = compileAllowList([]);
  for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:0:0:1]/']) {
    const refusal = refusalForLiteral(new URL(url).hostname, none);
    assert.ok(refusal instanceof AddressRefusal, url);
    assert.equal(refusal.range, 'loopback', url);
  }
  assert.equal(refusalForLiteral(new URL('http://169.254.169.254.nip.io/').hostname, none), null, 'a name is left to the look-up');
  assert.equal(refusalForLiteral('8.8.8.8', none), null);
});

test('classifyAddress: a name is not an address', () => {
  for (const text of ['localhost', 'example.com', '', '127.1', '::ffff:999.0.0.1']) assert.equal(classifyAddress(text), null, text);
});

test('allow list: host names exactly (any case, trailing dot), addresses and CIDR ranges of both families', () => {
  const allow = compileAllowList(['Intranet.Example', '10.0.0.0/8', '192.168.1.10', 'fd00::/8', '[fe80::1]']);
  assert.ok(allow.allowsHost('intranet.example'));
  assert.ok(allow.allowsHost('INTRANET.example.'));
  assert.ok(!allow.allowsHost('www.intranet.example'));
  assert.ok(!allow.allowsHost('intranet.example.evil'));
  assert.ok(allow.allowsAddress('10.20.30.40'));
  assert.ok(allow.allowsAddress('::ffff:10.20.30.40'), 'an IPv4 range covers its IPv4-mapped form');
  assert.ok(!allow.allowsAddress('11.0.0.1'));
  assert.ok(allow.allowsAddress('192.168.1.10'));
  assert.ok(!allow.allowsAddress('192.168.1.11'));
  assert.ok(allow.allowsAddress('fd12::1'));
  assert.ok(!allow.allowsAddress('fc00::1'));
  assert.ok(allow.allowsAddress('fe80::1'));
  assert.ok(!allow.allowsAddress('fe80::2'));
  assert.ok(!compileAllowList([]).allowsAddress('127.0.0.1'));
});

test('allowEntryError: names what is wrong with an entry', () => {
  for (const ok of ['intranet', 'wiki.corp.example', '10.0.0.0/8', '127.0.0.1', '::1', '[::1]', 'fd00::/8', '0.0.0.0/0']) assert.equal(allowEntryError(ok), null, ok);
  assert.match(allowEntryError('10.0.0.0/33')!, /not a CIDR range/);
  assert.match(allowEntryError('10.0.0/8')!, /not a CIDR range/);
  assert.match(allowEntryError('http://intranet/')!, /not a CIDR range|neither/);
  assert.match(allowEntryError('intra net')!, /neither a host name/);
  assert.match(allowEntryError(' ')!, /empty/);
});

test('trust: the hosts of the URLs the user named, not their ports or paths; paths trust nothing', () => {
  const trust = trustHostsOf('http://Intranet.example:8080/feed.xml', '/home/me/feed.xml', 'file:///tmp/x.xml');
  assert.deepEqual(trust.hosts, ['intranet.example']);
  assert.ok(isTrustedUrl(new URL('https://intranet.example/page'), trust));
  assert.ok(!isTrustedUrl(new URL('https://other.example/page'), trust));
});

function lookupOnce(lookup: LookupFunction, hostname: string, all: boolean): Promise<{ error: NodeJS.ErrnoException | null; answer: unknown }> {
  return new Promise((resolve) => lookup(hostname, { all }, (error, address, family) => resolve({ error, answer: all ? address : { address, family } })));
}

test('guardLookup: public answers pass, in both call forms; any non-public answer refuses the name', async () => {
  const table: Record<string, string[]> = {
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'metadata.example': ['169.254.169.254'],
    'mixed.example': ['93.184.216.34', '10.0.0.5'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'intranet.example': ['10.1.1.1'],
    'printer.example': ['192.168.1.10'],
  };
  const resolver = testResolver((name) => table[name] ?? []);
  const guarded = guardLookup(compileAllowList(['intranet.example', '192.168.1.0/24']), resolver);

  assert.deepEqual(await lookupOnce(guarded, 'public.example', false), { error: null, answer: { address: '93.184.216.34', family: 4 } });
  const all = await lookupOnce(guarded, 'public.example', true);
  assert.equal(all.error, null);
  assert.equal((all.answer as LookupAddress[]).length, 2);

  for (const [name, address, range] of [
    ['metadata.example', '169.254.169.254', 'link-local'],
    ['mixed.example', '10.0.0.5', 'private'],
    ['mapped.example', '::ffff:127.0.0.1', 'loopback'],
  ] as const) {
    for (const form of [false, true]) {
      const { error } = await lookupOnce(guarded, name, form);
      assert.ok(error instanceof AddressRefusal, `${name} (all: ${form})`);
      assert.equal(error.address, address);
      assert.equal(error.range, range);
      assert.match(error.message, new RegExp(`^${name} resolves to .*: not fetched \\(allowPrivateHosts to allow\\)$`));
    }
  }
  assert.equal((await lookupOnce(guarded, 'intranet.example', false)).error, null, 'an allowed host name');
  assert.equal((await lookupOnce(guarded, 'printer.example', false)).error, null, 'an address in an allowed range');
  assert.equal((await lookupOnce(guarded, 'nowhere.example', false)).error?.code, 'ENOTFOUND', 'DNS errors pass through unchanged');
});
