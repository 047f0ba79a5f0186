import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { HostSlots } from '../fetch/polite-fetcher.js';
import type { Store } from '../store/store.js';

/** Who holds a lease: this process, told apart from every other on any machine sharing the store. */
export const LEASE_OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** A lease of `durationMs` from `now`, held by this process. */
export function leaseFrom(now: Date, durationMs: number): { owner: string; now: string; until: string } {
  return { owner: LEASE_OWNER, now: now.toISOString(), until: new Date(now.getTime() + durationMs).toISOString() };
}

/** The article fetcher's per-host politeness kept in the store, so that it holds across every worker sharing it. */
export function sharedHostSlots(store: Store): HostSlots {
  return {
    reserve: (origin, delayMs, nowMs) => store.reserveHostSlot(origin, delayMs, nowMs),
    enter: (origin, limit, nowMs, untilMs) => store.claimHostPlace(origin, limit, { owner: LEASE_OWNER, nowMs, untilMs }),
    leave: (origin, place) => store.releaseHostPlace(origin, place, LEASE_OWNER),
  };
}
