import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from '../../src/fetch/address-policy.js';

/**
 * A DNS resolver for tests, injected as FetchOptions.lookup (the hook the connection
 * itself uses): `answer` gives the addresses for a name at the n-th call (1-based);
 * none means ENOTFOUND. Calls back the way node:dns.lookup does, one address or
 * all of them with `all`. Every name asked is recorded in `calls`.
 */
export function testResolver(answer: (hostname: string, call: number) => readonly string[]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = ((hostname, options, callback) => {
    calls.push(hostname);
    const addresses: LookupAddress[] = answer(hostname, calls.length).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (!addresses.length) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}
