import { Option, type Command } from 'commander';
import { globals } from './shared.js';

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('print what the article extractor finds on one page (a URL or a local HTML file)')
    .argument('<url-or-file>', 'an http(s) URL, a file: URL or a path to a saved page')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch extract https://example.org/news/2026/some-story.html
  $ presswatch extract saved-page.html --format json | jq -r .text
  $ presswatch extract https://example.org/story --format json | jq '{title, author, publishedAt, source}'

The text format prints the metadata (title, author, date, site, canonical URL,
language, and where the body came from: json-ld or dom), a blank line, then the
body with paragraphs separated by blank lines. URLs are fetched with the same
User-Agent, timeout and size limit as feeds, and robots.txt is obeyed.
A page that cannot be fetched, is not HTML or has no article text exits 1.`,
    )
    .action(async (location: string, opts, cmd: Command) => (await import('../commands/extract.js')).extractCommand(location, opts, globals(cmd)));
}
