import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Who holds a lease: this process, told apart from every other on any machine sharing the store. */
export const LEASE_OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** A lease of `durationMs` from `now`, held by this process. */
export function leaseFrom(now: Date, durationMs: number): { owner: string; now: string; until: string } {
  return { owner: LEASE_OWNER, now: now.toISOString(), until: new Date(now.getTime() + durationMs).toISOString() };
}
