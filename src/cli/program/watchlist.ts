import { Option, type Command } from 'commander';
import { WEBHOOK_FORMATS } from '../../config/destination.js';
import { collect, globals } from './shared.js';

const load = () => import('../commands/watchlist.js');
const loadDeliver = () => import('../commands/watchlist-deliver.js');

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

export function registerWatchlist(program: Command): void {
  const watchlist = program
    .command('watchlist')
    .description('list, show, create and edit watchlists (YAML files in the config dir)')
    .addHelpText(
      'after',
      `${examples(
        'presswatch watchlist list',
        'presswatch watchlist add coree-russie "Choe Son-hui" Rason',
        'presswatch watchlist test coree-russie --url https://example.org/article',
        'presswatch watchlist edit coree-russie',
      )}

Commands that change a watchlist keep its comments and order, validate the
result and write it atomically: an invalid result is never saved.`,
    );

  watchlist
    .command('list')
    .description('the watchlists, with their counts of feeds and keywords')
    .option('--json', 'as JSON (an array)')
    .addHelpText('after', examples('presswatch watchlist list', 'presswatch watchlist list --json | jq -r ".[].name"'))
    .action(async (opts, cmd: Command) => (await load()).watchlistListCommand(opts, globals(cmd)));

  watchlist
    .command('show <name>')
    .description('a watchlist: feeds, keywords with their aliases, exclusions, rules')
    .option('--json', 'as JSON (the validated watchlist)')
    .addHelpText('after', examples('presswatch watchlist show coree-russie', 'presswatch watchlist show coree-russie --json | jq .keywords'))
    .action(async (name: string, opts, cmd: Command) => (await load()).watchlistShowCommand(name, opts, globals(cmd)));

  watchlist
    .command('create <name> [terms...]')
    .description('a new watchlist with these keywords, or with facets proposed from a seed article')
    .option('-d, --description <text>', 'what the watchlist is about')
    .option('--feed <url>', 'a feed to watch (repeat for several)', collect, [])
    .option('--from-seed <file-or-url>', 'propose facets (actors, themes) from a reference article, and keep its reference profile')
    .option('-y, --yes', 'with --from-seed: take the proposal as it is, without asking')
    .option('--max <n>', 'with --from-seed: how many theme phrases to propose', '10')
    .addHelpText(
      'after',
      `${examples(
        'presswatch watchlist create semiconductors TSMC "Samsung Electronics" lithography',
        'presswatch watchlist create coree-russie --from-seed article.html',
        'presswatch watchlist create coree-russie --from-seed https://example.org/article --yes --max 10',
      )}

With --from-seed presswatch finds who the article is about (countries, with
every name general data has for them, and the people and organisations it
ties to each) and what (theme phrases), and writes them as facets with a
require: line, e.g. "Russie AND Corée du Nord" for a relation between two
countries. The proposal is printed; on a terminal you keep it all or list the
numbers of terms to drop. Without a terminal, pass --yes. The watchlist keeps
the seed's reference profile (term weights, not its text), which ranks stories,
and a cut-off derived from the seed (reference.minScore). docs/relevance.md.`,
    )
    .action(async (name: string, terms: string[], opts, cmd: Command) => (await load()).watchlistCreateCommand(name, terms, opts, globals(cmd)));

  watchlist
    .command('delete <name>')
    .description('delete a watchlist file (asks first on a terminal)')
    .option('-y, --yes', 'do not ask')
    .addHelpText('after', examples('presswatch watchlist delete old-topic', 'presswatch watchlist delete old-topic --yes'))
    .action(async (name: string, opts, cmd: Command) => (await load()).watchlistDeleteCommand(name, opts, globals(cmd)));

  watchlist
    .command('add <name> <terms...>')
    .description('add keywords (a term already there, as keyword or alias, is skipped)')
    .addHelpText('after', examples('presswatch watchlist add coree-russie Rason "Choe Son-hui"'))
    .action(async (name: string, terms: string[], _opts, cmd: Command) => (await load()).watchlistEditCommand('add', name, terms, globals(cmd)));

  watchlist
    .command('remove <name> <terms...>')
    .description('remove keywords, aliases or exclusions')
    .addHelpText('after', examples('presswatch watchlist remove coree-russie Lavrov', 'presswatch watchlist remove coree-russie "Kim Jong Un"    (an alias)'))
    .action(async (name: string, terms: string[], _opts, cmd: Command) => (await load()).watchlistEditCommand('remove', name, terms, globals(cmd)));

  watchlist
    .command('exclude <name> <terms...>')
    .description('add exclusions: an item containing one of them never matches')
    .addHelpText('after', examples('presswatch watchlist exclude coree-russie football "Coupe du monde"'))
    .action(async (name: string, terms: string[], _opts, cmd: Command) => (await load()).watchlistEditCommand('exclude', name, terms, globals(cmd)));

  watchlist
    .command('alias <name> <term> <variants...>')
    .description('add other spellings of a keyword (transliterations, translations, inflected forms)')
    .addHelpText('after', examples('presswatch watchlist alias coree-russie Wonsan Wŏnsan 원산', 'presswatch watchlist alias coree-russie Lavrov Lavrovs Лавров'))
    .action(async (name: string, term: string, variants: string[], _opts, cmd: Command) => (await load()).watchlistAliasCommand(name, term, variants, globals(cmd)));

  watchlist
    .command('query <name> <rule>')
    .description('add a query rule to the watchlist (checked on save)')
    .addHelpText('after', examples(`presswatch watchlist query coree-russie '"accord de défense" AND (Russie OR Moscou)'`, `presswatch watchlist query coree-russie 'Wonsan NEAR/10 touris*'`))
    .action(async (name: string, rule: string, _opts, cmd: Command) => (await load()).watchlistEditCommand('query', name, [rule], globals(cmd)));

  const feed = watchlist
    .command('feed')
    .description("add or remove a watchlist's feeds")
    .addHelpText('after', examples('presswatch watchlist feed add coree-russie https://www.nknews.org/feed/ --label "NK News"', 'presswatch watchlist feed remove coree-russie https://www.nknews.org/feed/'));
  feed
    .command('add <name> <url>')
    .description('add a feed (an http(s) URL, a file: URL or a path)')
    .option('-l, --label <label>', 'how the feed is named in digests')
    .addHelpText('after', examples('presswatch watchlist feed add coree-russie https://www.nknews.org/feed/ --label "NK News"'))
    .action(async (name: string, url: string, opts: { label?: string }, cmd: Command) => (await load()).watchlistFeedAddCommand(name, url, opts, globals(cmd)));
  feed
    .command('remove <name> <url>')
    .description('remove a feed, by its URL as listed')
    .addHelpText('after', examples('presswatch watchlist feed remove coree-russie https://www.nknews.org/feed/'))
    .action(async (name: string, url: string, _opts, cmd: Command) => (await load()).watchlistEditCommand('feed-remove', name, [url], globals(cmd)));

  const deliver = watchlist
    .command('deliver')
    .description("where `digest --deliver` sends a watchlist's new stories: mail, webhooks, an Atom file")
    .addHelpText(
      'after',
      `${examples(
        'presswatch watchlist deliver add coree-russie mailto:veille@example.org',
        'presswatch watchlist deliver add coree-russie https://hooks.slack.com/services/T0/B0/XXXX',
        'presswatch watchlist deliver add coree-russie https://example.org/hook --format json --secret-env PRESSWATCH_HOOK_SECRET',
        'presswatch watchlist deliver add coree-russie file:/var/www/html/veille.atom',
        'presswatch watchlist deliver test coree-russie',
      )}

Mail goes through the SMTP server in PRESSWATCH_SMTP_URL (or \`presswatch config
set smtpUrl smtp://user:pass@host:587\`), from PRESSWATCH_MAIL_FROM (or the
mailFrom setting). Secrets never go into the watchlist: a webhook's signing
secret is read from the environment variable --secret-env names. See docs/delivery.md.`,
    );
  deliver
    .command('add <name> <uri>')
    .description('add a destination: mailto:ADDRESS, https://… (a webhook) or file:PATH.atom (a rolling Atom feed)')
    .addOption(new Option('--format <format>', 'for a webhook: the message format (default: slack or discord from the host, else json)').choices(WEBHOOK_FORMATS))
    .option('--secret-env <var>', 'for a webhook: sign each body with the secret in this environment variable (X-Presswatch-Signature)')
    .addHelpText(
      'after',
      examples(
        'presswatch watchlist deliver add coree-russie mailto:veille@example.org',
        'presswatch watchlist deliver add coree-russie https://chat.example.org/hooks/abc --format mattermost',
        'presswatch watchlist deliver add coree-russie file:veille.atom     (made absolute)',
      ),
    )
    .action(async (name: string, uri: string, opts, cmd: Command) => (await loadDeliver()).deliverAddCommand(name, uri, opts, globals(cmd)));
  deliver
    .command('remove <name> <uri>')
    .description('remove a destination, by its URI as listed')
    .addHelpText('after', examples('presswatch watchlist deliver remove coree-russie mailto:veille@example.org'))
    .action(async (name: string, uri: string, _opts, cmd: Command) => (await loadDeliver()).deliverRemoveCommand(name, uri, globals(cmd)));
  deliver
    .command('list <name>')
    .description("a watchlist's destinations, as written in its file")
    .option('--json', 'as JSON (an array of { uri, format, secretEnv })')
    .addHelpText('after', examples('presswatch watchlist deliver list coree-russie'))
    .action(async (name: string, opts, cmd: Command) => (await loadDeliver()).deliverListCommand(name, opts, globals(cmd)));
  deliver
    .command('test <name>')
    .description('send a short sample to every destination of a watchlist and report each outcome (exit status 3 if one fails)')
    .option('--json', 'as JSON: one { destination, kind, ok, detail } per destination')
    .addHelpText(
      'after',
      `${examples('presswatch watchlist deliver test coree-russie')}

Nothing is recorded: the next \`digest --deliver\` sends what it would have sent.
An Atom file is not given the sample (a reader would keep it): a sample feed
is written beside it and removed.`,
    )
    .action(async (name: string, opts, cmd: Command) => (await loadDeliver()).deliverTestCommand(name, opts, globals(cmd)));

  watchlist
    .command('edit <name>')
    .description('open the watchlist in $VISUAL or $EDITOR; it is validated on save, and saved only when valid')
    .addHelpText(
      'after',
      `${examples('presswatch watchlist edit coree-russie', 'EDITOR="code --wait" presswatch watchlist edit coree-russie')}

You edit a copy; the watchlist changes only when the copy is valid. When it is not,
the problem is shown and, on a terminal, you are asked whether to reopen the editor
to fix it; without a terminal (a script) the edit ends there. To give up, answer n,
save it unchanged or quit with an error (:cq in vi). An edit given up, or invalid,
exits with status 2 and leaves the watchlist as it was. Without $VISUAL or $EDITOR,
vi is used.`,
    )
    .action(async (name: string, _opts, cmd: Command) => (await load()).watchlistOpenEditorCommand(name, globals(cmd)));

  watchlist
    .command('validate [name]')
    .description('check one watchlist, or all of them; exit status 2 if any is invalid')
    .option('--json', 'as JSON: one { name, file, valid, errors, warnings } per file')
    .addHelpText('after', examples('presswatch watchlist validate', 'presswatch watchlist validate coree-russie'))
    .action(async (name: string | undefined, opts, cmd: Command) => (await load()).watchlistValidateCommand(name, opts, globals(cmd)));

  watchlist
    .command('test <name>')
    .description('what the watchlist would match in a text, a file or a page, and why')
    .option('--text <text>', 'the text to test')
    .option('--file <path>', 'a text or HTML file')
    .option('--url <url>', 'a page to fetch (its article text is used)')
    .option('--json', 'as JSON')
    .option('--title <title>', 'a title to test along with the text (the page title with --url)')
    .addHelpText(
      'after',
      examples(
        `presswatch watchlist test coree-russie --text "Lavrov est arrivé à Pyongyang"`,
        'presswatch watchlist test coree-russie --file saved-page.html',
        'presswatch watchlist test coree-russie --url https://example.org/article --json',
      ),
    )
    .action(async (name: string, opts, cmd: Command) => (await load()).watchlistTestCommand(name, opts, globals(cmd)));
}
