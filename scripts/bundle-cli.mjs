// `npm run build`, after tsc: bundles dist/cli/main.js into dist/bundle/ with esbuild,
// which bin/presswatch.js runs when present. One file per lazily imported command or
// stage (code splitting), so a command still loads only what it needs, from a few files
// instead of ~150 modules and their package.json look-ups: --help 105 -> 89 ms CPU,
// a warm digest 469 -> 425 ms (docs/benchmarks.md). Outside the bundle: better-sqlite3
// (a native addon). The entity tables (country gazetteer, its word index, cities
// by country) are derived here once and written beside the bundle as JSON, which the
// bundle reads instead of deriving them on every run (src/entities/precomputed-tables.ts).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle: esbuild is not installed (a dev dependency): presswatch runs unbundled from dist/cli/, only slower to start\n');
  process.exit(0);
}
// Every cold digest loads the feed parser (rss-parser) and the HTML-to-text scan (htmlparser2's
// Parser); neither needs all that its package's entry point evaluates at load:
// - htmlparser2's index also evaluates domhandler, domutils and dom-serializer (for its DOM
//   helpers), which only the scraper (cheerio, a chunk of its own) uses: our own modules import
//   the streaming Parser alone.
// - xml2js (rss-parser's XML reader) requires xmlbuilder at load for its Builder, which
//   rss-parser uses only for Atom content given as XHTML elements: required on first use.
const lighterParsers = {
  name: 'lighter-parsers',
  setup(build) {
    const parserOnly = fileURLToPath(new URL('../node_modules/htmlparser2/dist/esm/Parser.js', import.meta.url));
    build.onResolve({ filter: /^htmlparser2$/ }, (args) => (args.importer.startsWith(`${root}dist/`) ? { path: parserOnly } : undefined));
    build.onLoad({ filter: /xml2js[\\/]lib[\\/]builder\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = "builder = require('xmlbuilder');";
      if (!source.includes(eager)) throw new Error(`bundle: ${args.path} changed: the lazy xmlbuilder patch no longer applies`);
      return { contents: source.replace(eager, "builder = { create: function () { var b = require('xmlbuilder'); return b.create.apply(b, arguments); } };"), loader: 'js' };
    });
  },
};
await rm(outdir, { recursive: true, force: true });
await esbuild.build({
  // Task threads (src/io/task-thread.ts) start from files of their own, beside the CLI's.
  entryPoints: { main: `${root}dist/cli/main.js`, 'parse-worker': `${root}dist/pipeline/parse-worker.js`, 'pack-worker': `${root}dist/store/pack-worker.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  plugins: [lighterParsers],
  // CommonJS packages inside an ES module bundle call require(): give them one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { deriveEntityTables } = await import(`${root}dist/entities/derive-tables.js`);
for (const [name, table] of Object.entries(deriveEntityTables())) await writeFile(`${outdir}/${name}.json`, JSON.stringify(table));
