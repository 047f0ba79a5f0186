import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30s`, `15m`, `24h`, `7d`, `2w` → milliseconds; null when it is not such a duration. */
export function parseDurationMs(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  return m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : null;
}

/** `--since 24h`, `90m`, `7d`, `2w`, or a date (`2026-11-20`, ISO 8601) → ISO instant. */
export function parseSince(value: string, now: Date): string {
  const duration = parseDurationMs(value);
  if (duration !== null) return new Date(now.getTime() - duration).toISOString();
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const time = Date.parse(value.trim());
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  throw new UsageError(`--since: "${value}" is neither a duration (30m, 24h, 7d, 2w) nor a date (2026-11-20 or ISO 8601)`);
}

/** A duration flag of at least one second (`--interval 15m`, `--lease 5m`), naming the flag in the error. */
export function parseDurationFlag(flag: string, value: string): number {
  const ms = parseDurationMs(value);
  if (ms === null || ms < 1000) throw new UsageError(`${flag}: "${value}" is not a duration of at least 1s (30s, 15m, 1h)`);
  return ms;
}

/** Parses a positive integer option, naming the flag in the error. */
export function parsePositiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: "${value}" is not one of ${choices.join(', ')}`);
}

/** `--deliver` and `--no-print` against the other flags: each combination means one thing or is refused. */
export function checkDeliveryFlags(flags: { deliver: boolean; print: boolean; since?: string | undefined; output?: string | undefined; save?: boolean | undefined }): void {
  if (flags.deliver && flags.since) throw new UsageError('--deliver sends each destination what it has not had yet; --since looks back: use one or the other');
  if (flags.print) return;
  if (!flags.deliver) throw new UsageError('--no-print without --deliver would do nothing visible; add --deliver, or leave out --no-print');
  if (flags.output) throw new UsageError('--no-print and --output: --output writes the digest that --no-print leaves out; use one');
  if (flags.save) throw new UsageError('--no-print and --save: --save keeps a copy of the printed digest; with --no-print there is none');
}
