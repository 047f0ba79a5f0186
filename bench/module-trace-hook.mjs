// Module resolution hook for bench/startup.ts: appends "parentURL\tresolvedURL" for every
// import to the file named by PRESSWATCH_MODULE_TRACE. Runs on the loader thread (Node 20.6+).
import { appendFileSync } from 'node:fs';

const out = process.env.PRESSWATCH_MODULE_TRACE;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (out) appendFileSync(out, `${context.parentURL ?? ''}\t${resolved.url}\n`);
  return resolved;
}
