/**
 * Sample feeds for `presswatch demo`, written for this project: short French
 * news-style items, some about the watch subjects, some not. One feed is
 * served in ISO-8859-1 to show charset handling; one path answers 503 to show
 * how a failing feed is reported.
 */
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
}

export function sampleFeeds(origin: string, now: Date): SampleFeed[] {
  const at = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const rss = (title: string, site: string, items: SampleItem[], encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${title}</title><link>${origin}/${site}/</link><description>${title}</description><language>fr</language>
${items
  .map(
    (i) => `<item><title>${escapeXml(i.title)}</title><link>${origin}/${site}/${i.slug}.html</link><guid>${origin}/${site}/${i.slug}</guid><pubDate>${at(i.hoursAgo).toUTCString()}</pubDate><description>${escapeXml(`<p>${i.text}</p>`)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
  const atom = (title: string, site: string, items: SampleItem[]) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><id>${origin}/${site}/</id><updated>${now.toISOString()}</updated>
${items
  .map(
    (i) => `<entry><title>${escapeXml(i.title)}</title><link href="${origin}/${site}/${i.slug}.html"/><id>urn:demo:${site}:${i.slug}</id><updated>${at(i.hoursAgo).toISOString()}</updated><summary type="html">${escapeXml(`<p>${i.text}</p>`)}</summary></entry>`,
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

/** A feed path the demo server answers with 503, to show a failure in the digest. */
export const FAILING_FEED_PATH = '/indisponible/rss.xml';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const AGENCE: SampleItem[] = [
  {
    slug: 'moscou-pyongyang-vols',
    hoursAgo: 2,
    title: 'Moscou et Pyongyang rétablissent des vols directs réguliers',
    text: 'Une compagnie russe a reçu le feu vert pour relier les deux capitales chaque semaine. La reprise des liaisons aériennes était attendue depuis la signature de plusieurs accords bilatéraux au printemps.',
  },
  {
    slug: 'wonsan-station-balneaire',
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
    slug: 'port-rason',
    hoursAgo: 4,
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
