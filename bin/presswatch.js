#!/usr/bin/env node
// A shim: the CLI is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('presswatch: not built yet; run `npm install` (or `npm run build`) in the project folder\n');
  process.exit(1);
}
await import(entry.href);
