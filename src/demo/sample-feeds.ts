/**
 * Sample feeds for `presswatch demo`, written for this project: short French
 * news-style items, some about the watch subjects, some not. One feed is
 * served in ISO-8859-1 to show charset handling; one path answers 503 to show
 * how a failing feed is reported.
 */
import { escapeXml } from '../digest/safe-text.js';

export interface SampleFeed {
  path: string;
  label: string;
  contentType: string;
  encoding: 'utf-8' | 'latin1';
  xml: string;
}

interface SampleItem {
  title: string;
  text: string;
  slug: string;
  hoursAgo: number;
  /** More paragraphs, found only on the article page: full-text scraping brings them in. */
  more?: string[];
}

export function sampleFeeds(origin: string, now: Date): SampleFeed[] {
  const at = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const rss = (title: string, site: string, items: SampleItem[], encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${title}</title><link>${origin}/${site}/</link><description>${title}</description><language>fr</language>
${items
  .map(
    (i) =>
      `<item><title>${escapeXml(i.title)}</title><link>${origin}/${site}/${i.slug}.html</link><guid>${origin}/${site}/${i.slug}</guid><pubDate>${at(i.hoursAgo).toUTCString()}</pubDate><description>${escapeXml(`<p>${i.text}</p>`)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
  const atom = (title: string, site: string, items: SampleItem[]) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><id>${origin}/${site}/</id><updated>${now.toISOString()}</updated>
${items
  .map(
    (i) =>
      `<entry><title>${escapeXml(i.title)}</title><link href="${origin}/${site}/${i.slug}.html"/><id>urn:demo:${site}:${i.slug}</id><updated>${at(i.hoursAgo).toISOString()}</updated><summary type="html">${escapeXml(`<p>${i.text}</p>`)}</summary></entry>`,
  )
  .join('\n')}
</feed>`;

  return [
    {
      path: '/agence/rss.xml',
      label: 'Agence Dépêches (démo)',
      contentType: 'application/rss+xml; charset=utf-8',
      encoding: 'utf-8',
      xml: rss('Agence Dépêches — International', 'agence', AGENCE, 'utf-8'),
    },
    {
      path: '/quotidien/rss.xml',
      label: 'Le Quotidien du Soir (démo, ISO-8859-1)',
      contentType: 'application/rss+xml; charset=ISO-8859-1',
      encoding: 'latin1',
      xml: rss('Le Quotidien du Soir — Monde', 'quotidien', QUOTIDIEN, 'ISO-8859-1'),
    },
    {
      path: '/hebdo/atom.xml',
      label: 'Asie Hebdo (démo, Atom)',
      contentType: 'application/atom+xml',
      encoding: 'utf-8',
      xml: atom('Asie Hebdo', 'hebdo', HEBDO),
    },
  ];
}

/**
 * The article page behind a sample item (`/<site>/<slug>.html`), as a news site
 * would serve it: navigation, the article with JSON-LD, related links, footer.
 */
export function sampleArticlePage(path: string, origin: string, now: Date): string | null {
  const m = /^\/(agence|quotidien|hebdo)\/([a-z0-9-]+)\.html$/.exec(path);
  if (!m) return null;
  const items = { agence: AGENCE, quotidien: QUOTIDIEN, hebdo: HEBDO }[m[1] as 'agence' | 'quotidien' | 'hebdo'];
  const item = items.find((i) => i.slug === m[2]);
  if (!item) return null;
  const paragraphs = [item.text, ...(item.more ?? [])];
  const published = new Date(now.getTime() - item.hoursAgo * 3_600_000).toISOString();
  const jsonLd = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: item.title, datePublished: published, author: { '@type': 'Person', name: 'Rédaction (démo)' } });
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${escapeXml(item.title)}</title>
<link rel="canonical" href="${origin}${path}"><meta property="og:site_name" content="${m[1]} (démo)">
<script type="application/ld+json">${jsonLd.replace(/</g, '\\u003c')}</script></head>
<body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a> <a href="/eco">Économie</a></nav>
<article><h1>${escapeXml(item.title)}</h1><p class="byline">Par la rédaction (démo)</p>
${paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n')}
</article><aside><h2>À lire aussi</h2><ul><li><a href="/a">Autre sujet</a></li><li><a href="/b">Encore un autre</a></li></ul></aside>
<footer>© Démo presswatch — textes écrits pour la démonstration</footer></body></html>`;
}

/** A feed path the demo server answers with 503, to show a failure in the digest. */
export const FAILING_FEED_PATH = '/indisponible/rss.xml';

const AGENCE: SampleItem[] = [
  {
    slug: 'moscou-pyongyang-vols',
    hoursAgo: 2,
    title: 'Moscou et Pyongyang rétablissent des vols directs réguliers',
    text: 'Une compagnie russe a reçu le feu vert pour relier les deux capitales chaque semaine. La reprise des liaisons aériennes était attendue depuis la signature de plusieurs accords bilatéraux au printemps.',
  },
  {
    slug: 'wonsan-station-balneaire',
    more: [
      "Les premiers groupes de touristes russes sont attendus au printemps. Selon l'agence officielle, les hôtels du front de mer peuvent accueillir plusieurs milliers de visiteurs.",
      "Des analystes y voient une vitrine : le régime veut montrer qu'il peut attirer des devises malgré les sanctions.",
    ],
    hoursAgo: 5,
    title: 'À Wonsan, la nouvelle station balnéaire attend ses premiers visiteurs étrangers',
    text: 'Le complexe touristique de la côte est, inauguré en grande pompe, vise une clientèle venue de Russie. Les autorités nord-coréennes promettent des trains spéciaux depuis Vladivostok.',
  },
  {
    slug: 'ble-exportations',
    hoursAgo: 7,
    title: 'Les exportations de blé ralentissent en novembre',
    text: "Les volumes expédiés depuis les ports de la mer Noire reculent pour le deuxième mois consécutif, selon un cabinet d'analyse.",
  },
  {
    slug: 'elections-chili',
    hoursAgo: 9,
    title: 'Chili : un second tour serré se profile',
    text: 'Les deux candidats arrivés en tête du premier tour multiplient les meetings dans le sud du pays.',
  },
];

const QUOTIDIEN: SampleItem[] = [
  {
    slug: 'accord-defense-bilan',
    hoursAgo: 3,
    title: "Un an après, que reste-t-il de l'accord de défense russo-nord-coréen ?",
    text: "Signé lors d'une visite d'État, l'Accord de Défense mutuelle engage chaque pays à assister l'autre en cas d'agression. Les diplomates européens s'inquiètent de ses effets en Ukraine.",
  },
  {
    slug: 'festival-angouleme',
    hoursAgo: 6,
    title: "Le festival d'Angoulême dévoile sa sélection",
    text: 'Quarante-cinq albums sont en lice cette année, dont une forte proportion de premières œuvres.',
  },
  {
    slug: 'ministre-visite',
    hoursAgo: 20,
    title: 'Le chef de la diplomatie russe reçu par le dirigeant nord-coréen',
    text: 'Les entretiens, qualifiés de « chaleureux » par la presse officielle, ont porté sur la coopération militaire et sur un élargissement des échanges économiques. Pyongyang a réaffirmé son soutien à Moscou.',
  },
];

const HEBDO: SampleItem[] = [
  {
    // The agency's dispatch, republished with small edits: deduplication folds it into one story.
    slug: 'vols-moscou-pyongyang',
    hoursAgo: 1,
    title: 'Des vols directs réguliers entre Moscou et Pyongyang',
    text: 'Une compagnie aérienne russe a reçu le feu vert pour relier les deux capitales chaque semaine. La reprise des liaisons aériennes était attendue depuis la signature de plusieurs accords bilatéraux au printemps.',
  },
  {
    slug: 'port-rason',
    hoursAgo: 4,
    more: [
      "Le projet s'inscrit dans le rapprochement engagé depuis la visite à Pyongyang du chef de la diplomatie russe. Les deux gouvernements évoquent aussi la reprise des liaisons aériennes.",
      'Les armateurs restent prudents : les assurances maritimes refusent encore de couvrir la plupart des navires à destination du port.',
    ],
    title: 'Liaisons maritimes : le port de Rason mise sur la Russie',
    text: "Une ligne de fret régulière pourrait relier Vladivostok à la zone économique spéciale d'ici l'été, selon un responsable du port.",
  },
  {
    slug: 'seoul-reaction',
    hoursAgo: 8,
    title: 'Séoul dénonce un rapprochement « dangereux » entre Moscou et Pyongyang',
    text: "Le ministère sud-coréen des affaires étrangères a convoqué l'ambassadeur de Russie après l'annonce d'un nouveau volet de l'accord de\ndéfense entre les deux pays.",
  },
  {
    slug: 'typhon-philippines',
    hoursAgo: 12,
    title: 'Un typhon frappe le nord des Philippines',
    text: 'Des milliers de personnes ont été évacuées avant l’arrivée des vents les plus violents.',
  },
];
