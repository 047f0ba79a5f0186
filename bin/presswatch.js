#!/usr/bin/env node
// A shim: the CLI is compiled to dist/ by `npm install` (the prepare script), and bundled
// into dist/bundle/ when esbuild is there (fewer files to load: a faster start). A bundle
// older than the compiled files (tsc run alone) is stale and not used.
import { existsSync, statSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const bundle = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('presswatch: not built yet; run `npm install` (or `npm run build`) in the project folder\n');
  process.exit(1);
}
const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs;
await import((fresh ? bundle : compiled).href);
