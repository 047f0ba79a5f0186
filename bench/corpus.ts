/**
 * A deterministic corpus of French news-style RSS feeds for the benchmarks.
 *
 * The same seed always gives the same bytes. Rates are fixed and reported in
 * `CorpusStats`, so a benchmark can check that the pipeline found what is there:
 *   - WATCH_RATE of original stories mention a watch keyword (Pyongyang, Wonsan,
 *     accord de défense, liaisons aériennes...);
 *   - NEAR_DUPLICATE_RATE of items retell an earlier story of another feed with a
 *     reworded title and one sentence changed;
 *   - one feed in LATIN1_EVERY is served as ISO-8859-1 (half of them declaring the
 *     charset in Content-Type and the prolog, half in the prolog only).
 * Every string is ISO-8859-1-safe (no curly quotes, no œ) so any feed can be Latin-1.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from './seeded-random.js';

export const WATCH_RATE = 0.08;
export const NEAR_DUPLICATE_RATE = 0.15;
export const LATIN1_EVERY = 10;

/** The watch keywords the corpus plants, as a benchmark watchlist lists them. */
export const WATCH_KEYWORDS: readonly { term: string; aliases: string[] }[] = [
  { term: 'Pyongyang', aliases: [] },
  { term: 'Wonsan', aliases: [] },
  { term: 'accord de défense', aliases: ['pacte de défense'] },
  { term: 'liaisons aériennes', aliases: ['liaison aérienne', 'vols directs'] },
  { term: 'Corée du Nord', aliases: ['nord-coréen', 'nord-coréenne'] },
  { term: 'Kim Jong-un', aliases: [] },
  { term: 'Lavrov', aliases: [] },
];

export interface CorpusOptions {
  feeds: number;
  itemsPerFeed: number;
  seed: number;
  /** Scheme, host and port of the server, for item links (so nothing points off the machine). */
  origin: string;
  /**
   * 'summaries' (default): a short description per item, as most outlets publish.
   * 'full-content': the whole article as well (`content:encoded`, about 2.7 kB of
   * text per item), as outlets that publish whole articles do.
   */
  profile?: CorpusProfile;
}

export type CorpusProfile = 'summaries' | 'full-content';
/** Characters of article text a full-content item carries (at least; whole sentences). */
export const FULL_CONTENT_CHARS = 2700;

export interface CorpusFeed {
  index: number;
  path: string;
  /** The body exactly as served (already encoded). */
  body: Buffer;
  contentType: string;
  encoding: 'utf-8' | 'iso-8859-1';
  etag: string;
  lastModified: string;
}

export interface CorpusStats {
  feeds: number;
  items: number;
  latin1Feeds: number;
  /** Items whose title or description contains a watch keyword. */
  watchItems: number;
  /** Items that retell a story told first by another item. */
  nearDuplicateItems: number;
  bytes: number;
}

export interface Corpus {
  feeds: CorpusFeed[];
  stats: CorpusStats;
}

const SUBJECTS = [
  'Le gouvernement',
  'La ministre des Affaires étrangères',
  'Le président de la République',
  'Une délégation parlementaire',
  "L'opposition",
  'Le porte-parole du Kremlin',
  'La Commission européenne',
  'Le Premier ministre',
  'Les syndicats',
  'Le maire de la ville',
  'Une coalition de partis',
  "L'ambassadeur",
  'La banque centrale',
  'Le chef de la diplomatie',
];
const VERBS = ['a annoncé', 'a démenti', 'a salué', 'a critiqué', 'a confirmé', 'envisage', 'prépare', 'a signé', 'réclame', 'a rejeté', 'a présenté', 'a reporté'];
const OBJECTS = [
  'un nouveau plan de relance',
  'la réforme des retraites',
  'un accord commercial',
  'des sanctions supplémentaires',
  "la hausse des prix de l'énergie",
  'un sommet régional',
  'le budget de la défense',
  'une enquête indépendante',
  'la reprise des négociations',
  'un programme de coopération',
  'des élections anticipées',
  'la réouverture de la frontière',
];
const PLACES = ['à Paris', 'à Bruxelles', 'à Moscou', 'à Séoul', 'à Pékin', 'à Tokyo', 'à Genève', 'à Berlin', 'à Vladivostok', 'à Lyon', 'à Marseille', 'à Montréal', 'à Dakar', 'à Hanoï'];
const DETAILS = [
  'selon plusieurs sources diplomatiques',
  'au terme de longues discussions',
  'malgré les réserves de ses alliés',
  'dans un communiqué publié mardi',
  "lors d'une conférence de presse",
  'à la surprise générale',
  'après des semaines de tension',
  "sous la pression de l'opinion",
  'en présence de nombreux observateurs',
  'sans préciser de calendrier',
];
const FIRST_NAMES = ['Claire', 'Jean', 'Amina', 'Louis', 'Sofia', 'Marc', 'Nadia', 'Pierre', 'Hélène', 'Karim', 'Julie', 'Thomas', 'Inès', 'Paul'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Girard', 'Bonnet', 'Mercier', 'Lefèvre', 'Fontaine', 'Rousseau', 'Garnier'];
const ROLES = ['économiste', 'député', 'chercheuse en relations internationales', 'syndicaliste', 'diplomate', 'historien', 'analyste', 'porte-parole'];
const QUOTES = [
  'il faudra du temps avant de mesurer les effets',
  "nous ne céderons pas sur l'essentiel",
  'la situation reste très fragile',
  "personne ne s'attendait à une telle décision",
  'le dialogue doit reprendre au plus vite',
  'les citoyens attendent des réponses concrètes',
  "c'est une étape importante mais insuffisante",
  'les prochaines semaines seront décisives',
];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
/** Sentences that carry the watch keywords, one keyword (or two) each. */
const WATCH_SENTENCES = [
  'Le ministre russe Sergueï Lavrov est arrivé à Pyongyang pour une visite de deux jours.',
  "Les deux pays ont confirmé la mise en oeuvre de leur accord de défense signé l'an dernier.",
  'Moscou et Pyongyang veulent rétablir des liaisons aériennes régulières dès cet été.',
  'La station balnéaire de Wonsan doit accueillir ses premiers touristes russes.',
  "Kim Jong-un a reçu la délégation dans sa résidence, selon l'agence officielle.",
  "Les observateurs s'interrogent sur la portée de l'accord de défense entre Moscou et la Corée du Nord.",
  'De nouvelles liaisons aériennes relieront Vladivostok à Wonsan.',
  'Le régime nord-coréen a salué un partenariat « sans limites ».',
];
const REWORDINGS = ['', 'Info : ', 'Direct - ', "Ce qu'il faut retenir : ", 'Analyse. ', 'EXCLUSIF - '];

interface Story {
  title: string;
  sentences: string[];
  /** The rest of the article (full-content profile only; empty otherwise). */
  body: string[];
  watch: boolean;
}

/** Builds the whole corpus; pure apart from hashing. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const random = seededRandom(options.seed);
  const fullContent = options.profile === 'full-content';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const base = Date.UTC(2025, 5, 1, 12, 0, 0);
  const stories: Story[] = [];
  const feeds: CorpusFeed[] = [];
  let watchItems = 0;
  let nearDuplicateItems = 0;
  let bytes = 0;

  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const person = () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  // Sentences built from parts and numbers, so that two stories share words but rarely whole passages.
  const sentenceMakers: (() => string)[] = [
    () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}, ${pick(DETAILS)}.`,
    () => `Le montant en jeu atteint ${int(2, 980)} millions d'euros, contre ${int(2, 980)} millions l'an dernier.`,
    () => `« ${pick(QUOTES)} », a déclaré ${person()}, ${pick(ROLES)}, ${pick(WEEKDAYS)} ${int(1, 28)} ${pick(MONTHS)}.`,
    () => `Selon un sondage publié ${pick(WEEKDAYS)}, ${int(12, 88)} % des personnes interrogées approuvent ${pick(OBJECTS)}.`,
    () => `${person()}, ${pick(ROLES)}, estime que ${pick(OBJECTS)} pourrait être adopté d'ici ${pick(MONTHS)} ${int(2025, 2027)}.`,
    () => `Une nouvelle réunion est prévue ${pick(PLACES)} le ${int(1, 28)} ${pick(MONTHS)}, ${pick(DETAILS)}.`,
  ];
  const sentence = () => pick(sentenceMakers)();

  const newStory = (): Story => {
    const watch = random() < WATCH_RATE;
    const sentences = [sentenceMakers[0]!()];
    const extra = 2 + Math.floor(random() * 3);
    for (let k = 0; k < extra; k++) sentences.push(sentence());
    let title = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}`;
    if (watch) {
      const line = pick(WATCH_SENTENCES);
      sentences.splice(1, 0, line);
      // Half the watch stories say it in the title too, so title matches are exercised.
      if (random() < 0.5) title = line.replace(/\.$/, '');
    }
    const body: string[] = [];
    if (fullContent) {
      let chars = sentences.reduce((n, s) => n + s.length + 1, 0);
      while (chars < FULL_CONTENT_CHARS) {
        const next = sentence();
        body.push(next);
        chars += next.length + 1;
      }
    }
    return { title, sentences, body, watch };
  };

  for (let f = 0; f < options.feeds; f++) {
    const latin1 = f % LATIN1_EVERY === 3;
    const items: string[] = [];
    // Stories of this feed are pushed after every earlier feed's: the ones before this index are other outlets'.
    const otherOutlets = stories.length;
    for (let j = 0; j < options.itemsPerFeed; j++) {
      let story: Story;
      let title: string;
      let sentences: string[];
      let body: string[];
      if (otherOutlets > 0 && random() < NEAR_DUPLICATE_RATE) {
        // Recent stories are the ones other outlets pick up.
        story = stories[otherOutlets - 1 - Math.floor(random() * Math.min(otherOutlets, 200))]!;
        title = `${pick(REWORDINGS.slice(1))}${story.title}`;
        sentences = [...story.sentences];
        sentences[sentences.length - 1] = sentence();
        body = story.body;
        nearDuplicateItems++;
      } else {
        story = newStory();
        stories.push(story);
        title = story.title;
        sentences = story.sentences;
        body = story.body;
      }
      if (story.watch) watchItems++;
      const minutesAgo = f * options.itemsPerFeed + j;
      const link = `${options.origin}/articles/${f}/${j}`;
      const description = sentences.map((s) => `<p>${s}</p>`).join('');
      items.push(
        [
          '    <item>',
          `      <title>${escapeXml(title)}</title>`,
          `      <link>${link}</link>`,
          `      <guid isPermaLink="true">${link}</guid>`,
          `      <pubDate>${new Date(base - minutesAgo * 60_000).toUTCString()}</pubDate>`,
          `      <category>${f % 2 ? 'International' : 'Politique'}</category>`,
          `      <description>${escapeXml(description)}</description>`,
          // The article in paragraphs of three sentences, its lead first, as a CMS exports it.
          ...(fullContent ? [`      <content:encoded>${escapeXml(paragraphs([...sentences, ...body]))}</content:encoded>`] : []),
          '    </item>',
        ].join('\n'),
      );
    }
    const encoding = latin1 ? 'iso-8859-1' : 'utf-8';
    const xml = [
      `<?xml version="1.0" encoding="${latin1 ? 'ISO-8859-1' : 'UTF-8'}"?>`,
      fullContent ? '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">' : '<rss version="2.0">',
      '  <channel>',
      `    <title>Le Quotidien n°${f} - International</title>`,
      `    <link>${options.origin}/</link>`,
      "    <description>Toute l'actualité internationale, en continu.</description>",
      '    <language>fr</language>',
      ...items,
      '  </channel>',
      '</rss>',
      '',
    ].join('\n');
    const body = Buffer.from(xml, latin1 ? 'latin1' : 'utf8');
    bytes += body.byteLength;
    const charsetInHeader = !latin1 || Math.floor(f / LATIN1_EVERY) % 2 === 0;
    feeds.push({
      index: f,
      path: `/feeds/${f}.xml`,
      body,
      contentType: charsetInHeader ? `application/rss+xml; charset=${encoding}` : 'application/rss+xml',
      encoding,
      etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`,
      lastModified: new Date(base - f * 60_000).toUTCString(),
    });
  }
  const items = options.feeds * options.itemsPerFeed;
  return {
    feeds,
    stats: { feeds: options.feeds, items, latin1Feeds: feeds.filter((f) => f.encoding !== 'utf-8').length, watchItems, nearDuplicateItems, bytes },
  };
}

function paragraphs(sentences: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; i += 3) out.push(`<p>${sentences.slice(i, i + 3).join(' ')}</p>`);
  return out.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The benchmark's watchlist file: the corpus feeds and WATCH_KEYWORDS. */
export function watchlistYaml(urls: readonly string[]): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'name: bench',
    'description: Benchmark watchlist (generated by the benchmarks).',
    'feeds:',
    ...urls.map((u) => `  - ${q(u)}`),
    'keywords:',
    ...WATCH_KEYWORDS.map((k) => `  - { term: ${q(k.term)}, aliases: [${k.aliases.map(q).join(', ')}] }`),
    'exclude: []',
    // Feed refresh only, like newsboat: article pages are not fetched (bench/extract.ts measures extraction).
    'fullText: never',
    '',
  ].join('\n');
}
