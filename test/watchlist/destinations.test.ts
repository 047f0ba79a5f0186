import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { checkDestinationUri, inferWebhookFormat, redactUri, readDestination } from '../../src/config/destination.js';
import { addDestination, parseWatchlistDocument, removeDestination, renderWatchlistDocument } from '../../src/config/edit-watchlist.js';
import { parseWatchlistText } from '../../src/config/parse-watchlist.js';
import { validateWatchlist } from '../../src/config/watchlist.js';
import { destinationSpecOf } from '../../src/cli/commands/watchlist-deliver.js';

const FIXTURE = new URL('../fixtures/watchlist/commented.yaml', import.meta.url);

describe('watchlist destinations', () => {
  test('URIs: one mail address, an http(s) webhook, an absolute .atom/.xml file; anything else says what to write', () => {
    for (const ok of ['mailto:veille@example.org', 'https://hooks.slack.com/services/T0/B0/x', 'http://127.0.0.1:8080/hook', 'file:/var/www/veille.atom', 'file:///srv/feed.xml']) {
      assert.equal(checkDestinationUri(ok), null, ok);
    }
    const cases: [string, RegExp][] = [
      ['mailto:a@example.org,b@example.org', /not one mail address/],
      ['mailto:nobody', /not one mail address/],
      ['file:veille.atom', /absolute path/],
      ['file:/etc/passwd', /must end in \.atom or \.xml/],
      ['file://server/share/x.atom', /local path/],
      ['ftp://example.org/x', /unsupported destination "ftp:\/\/example\.org\/x" \(use mailto:ADDRESS/],
      ['https://', /not a valid URL/],
    ];
    for (const [uri, message] of cases) assert.match(checkDestinationUri(uri) ?? '', message, uri);
  });

  test('validation names the field path; format and secretEnv only on webhooks; a URI listed twice is an error', () => {
    const result = validateWatchlist(
      {
        keywords: ['x'],
        destinations: [
          'mailto:ok@example.org',
          { uri: 'mailto:a@example.org', format: 'slack' },
          { uri: 'https://example.org/hook', format: 'teams', secretEnv: 'my secret' },
          { url: 'https://example.org/hook' },
          'mailto:ok@example.org',
          42,
        ],
      },
      'w',
    );
    assert.deepEqual(result.errors, [
      'destinations[1].format: only webhooks (http:, https:) have a format',
      'destinations[2].format: must be one of slack, mattermost, discord, json',
      'destinations[2].secretEnv: must be the name of an environment variable (letters, digits, underscore), never the secret itself',
      'destinations[3].url: unknown field; expected one of uri, format, secretEnv',
      'destinations[3].uri: missing; where to deliver (mailto:, https://, file:)',
      'destinations[4]: mailto:ok@example.org is already destinations[0]',
      'destinations[5]: must be a URI (mailto:, https://, file:) or { uri, format, secretEnv }',
    ]);
  });

  test('a webhook without a format gets Slack or Discord from its host, else json', () => {
    assert.equal(inferWebhookFormat('https://hooks.slack.com/services/T0/B0/x'), 'slack');
    assert.equal(inferWebhookFormat('https://discord.com/api/webhooks/1/abc'), 'discord');
    assert.equal(inferWebhookFormat('https://chat.example.org/hooks/abc'), 'json');
    assert.deepEqual(readDestination('https://hooks.slack.com/services/T0/B0/x').value, { uri: 'https://hooks.slack.com/services/T0/B0/x', format: 'slack' });
  });

  test('a webhook URL is shown shortened: its secret path and query never reach logs', () => {
    assert.equal(
      redactUri('https://hooks.slack.com/services/T02ABCDEF/B04GHIJKL/AbCdEfGhIjKlMnOpQrStUvWx'),
      'https://hooks.slack.com/services/T02ABCDEF/B04GHIJKL/AbCd…',
      'the token is cut; team and app ids are not secrets',
    );
    assert.equal(redactUri('https://discord.com/api/webhooks/123456789012345678/tokenTOKENtoken'), 'https://discord.com/api/webhooks/1234…/toke…');
    assert.equal(redactUri('https://user:pass@example.org/hook?token=abc'), 'https://example.org/hook?…');
    assert.equal(redactUri('mailto:a@example.org'), 'mailto:a@example.org');
  });

  test('deliver add: a relative file: path is made absolute, an inferred format is written out, options only for webhooks', () => {
    assert.deepEqual(destinationSpecOf('file:out/veille.atom', {}, '/srv/presswatch'), { uri: 'file:/srv/presswatch/out/veille.atom' });
    assert.deepEqual(destinationSpecOf('https://hooks.slack.com/services/T/B/x', {}), { uri: 'https://hooks.slack.com/services/T/B/x', format: 'slack' });
    assert.deepEqual(destinationSpecOf('https://example.org/h', { format: 'json', secretEnv: 'HOOK_SECRET' }), { uri: 'https://example.org/h', format: 'json', secretEnv: 'HOOK_SECRET' });
    assert.throws(() => destinationSpecOf('mailto:a@example.org', { format: 'slack' }), /--format and --secret-env are for webhooks/);
    assert.throws(() => destinationSpecOf('https://example.org/h', { secretEnv: 'abc-def=1' }), /name of an environment variable/);
  });

  test('add and remove keep comments, blank lines and order; the result validates', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    const doc = parseWatchlistDocument(text, 'semis.yaml');
    assert.deepEqual(addDestination(doc, { uri: 'mailto:veille@example.org' }), { changed: ['mailto:veille@example.org'], unchanged: [] });
    assert.deepEqual(addDestination(doc, { uri: 'https://example.org/hook', format: 'json', secretEnv: 'HOOK_SECRET' }), { changed: ['https://example.org/hook'], unchanged: [] });
    assert.deepEqual(addDestination(doc, { uri: 'mailto:veille@example.org' }), { changed: [], unchanged: ['mailto:veille@example.org'] });
    const edited = renderWatchlistDocument(doc);
    const unedited = renderWatchlistDocument(parseWatchlistDocument(text, 'semis.yaml')).trimEnd();
    assert.ok(edited.startsWith(unedited), 'everything before is untouched, comments included');
    assert.match(unedited, /# the foundry/);
    assert.equal(edited.slice(unedited.length), '\n\ndestinations:\n  - mailto:veille@example.org\n  - uri: https://example.org/hook\n    format: json\n    secretEnv: HOOK_SECRET\n');
    const loaded = parseWatchlistText(edited, 'semis.yaml');
    assert.equal(loaded.watchlist.destinations?.length, 2);
    assert.deepEqual(removeDestination(doc, 'mailto:veille@example.org'), { changed: ['mailto:veille@example.org'], unchanged: [] });
    assert.deepEqual(removeDestination(doc, 'mailto:nobody@example.org'), { changed: [], unchanged: ['mailto:nobody@example.org'] });
    assert.deepEqual(parseWatchlistText(renderWatchlistDocument(doc), 'semis.yaml').watchlist.destinations, [{ uri: 'https://example.org/hook', format: 'json', secretEnv: 'HOOK_SECRET' }]);
  });
});
