import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { FeedParseError, parseFeed, repairXml, xhtmlAsHtml } from '../../src/feed/parse-feed.js';

const FEED_URL = 'https://flux.example.fr/monde/rss.xml';
const fixture = (name: string) => readFile(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

describe('parseFeed: RSS 2.0 (rss2-fr.xml)', async () => {
  const feed = await parseFeed(await fixture('rss2-fr.xml'), FEED_URL);
  const [first, second, third] = feed.items;

  it('reads the channel', () => {
    assert.equal(feed.title, 'La Gazette du Matin — International');
    assert.equal(feed.link, 'https://gazette.example.fr/international/');
    assert.equal(feed.ttlMinutes, 30);
    assert.equal(feed.items.length, 3);
  });
  it('keeps guid, author, categories', () => {
    assert.equal(first?.guid, 'gazette-2026-11-20-0001');
    assert.equal(first?.author, 'Claire Dubois');
    assert.deepEqual(first?.categories, ['Asie', 'Russie']);
    assert.equal(first?.feedUrl, FEED_URL);
  });
  it('strips HTML from the description and content:encoded, dropping scripts', () => {
    assert.equal(first?.summary, 'Le train reliera Vladivostok à la capitale nord-coréenne deux fois par semaine.\n\nPremier départ prévu en décembre.');
    assert.equal(first?.content, 'Le train reliera Vladivostok à la capitale nord-coréenne deux fois par semaine.\n\nLes billets seront vendus en roubles.');
    assert.ok(!first?.content.includes('track'));
  });
  it('strips escaped HTML from titles and descriptions', () => {
    assert.equal(second?.title, 'Le ministre russe attendu à Wonsan');
    assert.equal(second?.summary, "Une visite de deux jours, selon l'agence officielle.");
    assert.equal(second?.content, '', 'content equal to nothing is left empty, not duplicated');
  });
  it('resolves a relative link against the feed URL', () => {
    assert.equal(first?.link, 'https://flux.example.fr/international/2026/11/20/liaison-ferroviaire.html');
    assert.equal(second?.link, 'https://gazette.example.fr/international/2026/11/19/ministre-wonsan.html');
  });
  it('turns RFC 822 dates with offsets into ISO instants; unusable dates into null', () => {
    assert.equal(first?.publishedAt, '2026-11-20T07:15:00.000Z');
    assert.equal(second?.publishedAt, '2026-11-19T18:00:00.000Z');
    assert.equal(third?.publishedAt, null);
  });
  it('an item with neither guid nor link still gets a stable id', async () => {
    assert.equal(third?.link, null);
    assert.equal(third?.guid, null);
    const again = await parseFeed(await fixture('rss2-fr.xml'), FEED_URL);
    assert.deepEqual(
      again.items.map((i) => i.id),
      feed.items.map((i) => i.id),
    );
    assert.equal(new Set(feed.items.map((i) => i.id)).size, 3);
  });
  it('the same document under another feed URL gives other ids', async () => {
    const other = await parseFeed(await fixture('rss2-fr.xml'), 'https://miroir.example.org/rss.xml');
    for (let i = 0; i < 3; i++) assert.notEqual(other.items[i]?.id, feed.items[i]?.id);
  });
});

describe('parseFeed: RSS 1.0 / RDF (rdf-fr.xml)', async () => {
  const feed = await parseFeed(await fixture('rdf-fr.xml'), FEED_URL);
  it('reads channel and items', () => {
    assert.equal(feed.title, 'Radio Exemple — Français');
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ["L'accord de défense entre la Russie et la Corée du Nord entre en vigueur", 'Récolte de blé : les prévisions revues à la baisse'],
    );
  });
  it('reads dc:date and dc:creator', () => {
    assert.equal(feed.items[0]?.publishedAt, '2026-11-18T13:30:00.000Z');
    assert.equal(feed.items[1]?.publishedAt, '2026-11-17T09:00:00.000Z');
    assert.equal(feed.items[0]?.author, 'Rédaction');
  });
  it('uses the link as identity when there is no guid', () => {
    assert.equal(feed.items[0]?.guid, null);
    assert.equal(feed.items[0]?.link, 'https://radio.example.de/fr/accord-defense/a-1001');
  });
});

describe('parseFeed: Atom (atom-fr.xml)', async () => {
  const feed = await parseFeed(await fixture('atom-fr.xml'), 'https://asie-hebdo.example.fr/flux/atom.xml');
  const [first, second] = feed.items;
  it('reads feed and entries', () => {
    assert.equal(feed.title, 'Asie Hebdo');
    assert.equal(feed.items.length, 2);
    assert.equal(first?.guid, 'urn:asie-hebdo:2026:sommet');
    assert.equal(first?.author, 'Sung-min Park');
  });
  it('strips HTML from a type="html" title, summary and content', () => {
    assert.equal(first?.title, "Sommet de Vladivostok : ce qu'il faut retenir");
    assert.equal(first?.summary, 'Les deux dirigeants ont signé douze accords.');
    assert.equal(first?.content, "Les deux dirigeants ont signé douze accords, dont un sur le tourisme.\n\nLa presse officielle parle d'une « nouvelle ère ».");
  });
  it('resolves relative hrefs (path-relative and root-relative)', () => {
    assert.equal(first?.link, 'https://asie-hebdo.example.fr/flux/articles/sommet-vladivostok.html');
    assert.equal(second?.link, 'https://asie-hebdo.example.fr/articles/seoul-prudence.html');
  });
  it('dates: published when present (with a +09:00 offset), else updated', () => {
    assert.equal(first?.publishedAt, '2026-11-20T00:00:00.000Z');
    assert.equal(second?.publishedAt, '2026-11-19T22:45:00.000Z');
  });
});

describe('parseFeed: podcast and media titles (podcast-media-titles.xml)', async () => {
  const feed = await parseFeed(await fixture('podcast-media-titles.xml'), 'https://ondes.example.org/podcast.xml');
  const titles = feed.items.map((item) => item.title);

  it('an item with only <itunes:title> is stored under it', () => {
    assert.equal(titles[0], 'Épisode 12 : le pont sur le fleuve Tumen');
    assert.equal(feed.items[0]?.guid, 'ondes-ep12');
    assert.equal(feed.items[0]?.summary, 'Pourquoi un pont routier entre la Russie et la Corée du Nord change la donne.');
  });
  it('<title> wins when both are given', () => {
    assert.equal(titles[1], "Épisode 11 : Vladivostok, porte d'entrée");
  });
  it('<media:title> on the item, in <media:group> (HTML stripped) and on <media:content>', () => {
    assert.deepEqual(titles.slice(2, 5), ['Reportage vidéo : la gare de Khassan', 'Entretien exclusif avec un cheminot', "Sur le quai, à l'aube"]);
  });
  it('an item with no title of any kind keeps an empty one', () => {
    assert.equal(titles[5], '');
    assert.equal(feed.items.length, 6);
  });
});

describe('parseFeed: repairs', () => {
  it('HTML named entities and bare ampersands (rss2-html-entities.xml)', async () => {
    const feed = await parseFeed(await fixture('rss2-html-entities.xml'), FEED_URL);
    const item = feed.items[0];
    assert.equal(item?.title, 'Cafés & bistrots : la fréquentation en hausse');
    assert.equal(item?.summary, 'Selon l’enquête, 3 % de plus — et R&D en tête. © Le Courrier');
    assert.equal(item?.link, 'https://courrier.example.fr/a?id=1&ref=rss');
    assert.match(feed.title ?? '', /^Le Courrier\s+des Régions$/);
  });

  const cases: [string, string, string][] = [
    ['&eacute; becomes a numeric reference', 'caf&eacute;', 'caf&#233;'],
    ['&nbsp; becomes a numeric reference', 'a&nbsp;b', 'a&#160;b'],
    ['XML entities are kept', '&amp;&lt;&gt;&quot;&apos;', '&amp;&lt;&gt;&quot;&apos;'],
    ['numeric references are kept', '&#233;&#xE9;', '&#233;&#xE9;'],
    ['a bare ampersand is escaped', 'R&D', 'R&amp;D'],
    ['an unknown named entity is escaped, not dropped', '&bogus;', '&amp;bogus;'],
    ['a versionless <rss> gets version 2.0', '<rss>', '<rss version="2.0">'],
    ['entity names are case-sensitive: &AMP; is HTML, not XML', 'R&AMP;D', 'R&#38;D'],
    ['a bare ampersand after well-formed references is still found', '&amp;&#xE9;&#233; R&D', '&amp;&#xE9;&#233; R&amp;D'],
    ['a document that needs no repair comes back as it was', '<rss version="2.0"><b>&amp;&lt;&#xe9;</b></rss>', '<rss version="2.0"><b>&amp;&lt;&#xe9;</b></rss>'],
  ];
  for (const [name, input, expected] of cases) it(`repairXml: ${name}`, () => assert.equal(repairXml(input), expected));

  it('double-escaped entities stay text (&amp;eacute; is the literal "&eacute;" decoded once)', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><item><title>AT&amp;amp;T</title></item></channel></rss>', FEED_URL);
    assert.equal(feed.items[0]?.title, 'AT&T');
  });

  it('CDATA titles wrapped in whitespace are trimmed', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><item><title><![CDATA[\n    Titre   espacé\n  ]]></title><link>\n https://x.example.fr/a \n</link></item></channel></rss>', FEED_URL);
    assert.equal(feed.items[0]?.title, 'Titre espacé');
    assert.equal(feed.items[0]?.link, 'https://x.example.fr/a');
  });

  it('an Atom type="xhtml" title keeps its text', async () => {
    const doc = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Sommet à Vladivostok</div></title></entry>
      <entry><id>x2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Accord <b>signé</b></div></title></entry></feed>`;
    const feed = await parseFeed(doc, FEED_URL);
    assert.equal(feed.items[0]?.title, 'Sommet à Vladivostok');
    assert.equal(feed.items[1]?.title, 'Accord signé');
  });

  it('Atom type="xhtml" content and summary keep their words in document order', async () => {
    const doc = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x1</id><title>Ports</title>
      <summary type='xhtml'><div xmlns="http://www.w3.org/1999/xhtml">Escale à <i>Nakhodka</i> puis <i>Rajin</i> &amp; retour</div></summary>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Le port de <b>Wonsan</b> accueillera la ligne.</p><p>Tarif&#160;: <em>bas</em>.</p></div></content></entry>
      <entry><id>x2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Cap sur <b>Vladivostok</b></div></title><content type="xhtml"/></entry></feed>`;
    const feed = await parseFeed(doc, FEED_URL);
    assert.equal(feed.items[0]?.summary, 'Escale à Nakhodka puis Rajin & retour');
    assert.equal(feed.items[0]?.content, 'Le port de Wonsan accueillera la ligne.\n\nTarif : bas.');
    assert.equal(feed.items[1]?.title, 'Cap sur Vladivostok');
    assert.equal(feed.items[1]?.content, '');
  });

  it('xhtmlAsHtml leaves documents without xhtml text, and CDATA inside xhtml, as they are', () => {
    const plain = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>';
    assert.equal(xhtmlAsHtml(plain), plain);
    const cdata = '<feed><entry><content type="xhtml"><div><![CDATA[a < b]]></div></content></entry></feed>';
    assert.equal(xhtmlAsHtml(cdata), cdata);
  });

  it('a javascript: link is dropped', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><item><title>x</title><link>javascript:alert(1)</link></item></channel></rss>', FEED_URL);
    assert.equal(feed.items[0]?.link, null);
  });
});

describe('parseFeed: refusals', () => {
  const cases: { name: string; doc: () => Promise<string> | string; message: RegExp }[] = [
    { name: 'an HTML page', doc: () => fixture('not-a-feed.html'), message: /^not a feed \(got an HTML page\)$/ },
    { name: 'an HTML page without doctype', doc: () => '<html><body>Bonjour</body></html>', message: /not a feed.*HTML/ },
    { name: 'an empty document', doc: () => '', message: /^empty document/ },
    { name: 'whitespace only', doc: () => ' \n\t ', message: /^empty document/ },
    { name: 'a byte-order mark only', doc: () => '\uFEFF', message: /^empty document/ },
    { name: 'plain text', doc: () => 'Service temporairement indisponible', message: /not a feed.*not XML/ },
    { name: 'JSON', doc: () => '{"items": []}', message: /not a feed.*not XML/ },
    { name: 'XML of another kind (OPML)', doc: () => '<?xml version="1.0"?><opml version="2.0"><body/></opml>', message: /not a feed \(no RSS, RDF or Atom root element\)/ },
    { name: 'malformed XML', doc: () => fixture('malformed.xml'), message: /^malformed XML: .*close tag/i },
    { name: 'truncated XML', doc: () => '<rss version="2.0"><channel><title>t</title><item><title>a', message: /^malformed XML: /i },
    { name: 'an entity-expansion DTD', doc: () => fixture('entity-bomb.xml'), message: /refused: the document declares XML entities \(DTD\)/ },
    { name: 'an external entity', doc: () => fixture('external-entity.xml'), message: /refused: .*entities/ },
    { name: 'an <rss> root with nothing inside', doc: () => '<rss version="2.0"></rss>', message: /not a feed/ },
  ];
  for (const c of cases) {
    it(`${c.name} → FeedParseError`, async () => {
      const doc = await c.doc();
      await assert.rejects(parseFeed(doc, FEED_URL), (error: unknown) => {
        assert.ok(error instanceof FeedParseError, `expected FeedParseError, got ${String(error)}`);
        assert.match(error.message, c.message);
        return true;
      });
    });
  }

  it('an empty but valid channel is a feed with no items', async () => {
    assert.deepEqual((await parseFeed('<rss version="2.0"><channel></channel></rss>', FEED_URL)).items, []);
    assert.deepEqual((await parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', FEED_URL)).items, []);
  });
});
