import { deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * A preset dictionary for deflate: short texts (a feed's summary is a few hundred
 * bytes) have little history of their own to refer back to, and function words
 * are most of what repeats in news prose. French and English stop words, as
 * src/text/stop-words.ts listed them when this was written (general data, not a
 * corpus). Texts packed with it are read with it, forever: NEVER change these
 * bytes; a new dictionary needs a new marker byte.
 */
const DICTIONARY = Buffer.from(
  ` ${[
    'a à au aux avec ce ces cet cette dans de des du en et ou où par pour sur sous un une le la les l d j',
    'm n s t c y qu jusqu lorsqu puisqu quoiqu presqu mais donc or ni car que qui quoi dont si sinon',
    'comme lorsque puisque quand parce afin chez contre entre envers hors malgré outre parmi pendant près',
    "sans selon vers via dès depuis devant derrière avant après durant jusque jusqu'à auprès autour",
    'travers lors tandis quant voici voilà excepté hormis moyennant concernant je tu il elle on nous vous',
    'ils elles me te se moi toi soi lui eux leur leurs mon ton son ma ta sa mes tes ses notre votre nos',
    'vos nôtre vôtre nôtres vôtres mien mienne tien tienne sien sienne siens siennes ceci cela ça celui',
    'celle ceux celles lequel laquelle lesquels lesquelles auquel auxquels auxquelles duquel desquels',
    'desquelles quel quelle quels quelles chaque chacun chacune aucun aucune autre autres autrui certain',
    'certaine certains certaines même mêmes plusieurs quelque quelques quiconque tel telle tels telles',
    'tout toute tous toutes nul nulle rien divers diverses différents être été étant suis es est sommes',
    'êtes sont serai seras sera serons serez seront serais serait serions seriez seraient étais était',
    'étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fût avoir ayant',
    'eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions',
    'auriez auraient avais avait avions aviez avaient eut eurent aie aies ait ayons ayez aient eût faire',
    'fait faits faite faites font fera feront ferait faisait pouvoir peut peuvent pourra pourrait',
    'pourraient pouvait pu devoir doit doivent devrait devraient devra dû va vont allait ne pas plus',
    'moins non oui très trop peu bien mal aussi ainsi alors assez autant beaucoup cependant certes',
    'combien comment déjà désormais donc encore enfin ensuite environ également guère ici là jamais',
    'toujours souvent parfois puis pourquoi pourtant presque notamment néanmoins toutefois seulement',
    'surtout tant tantôt tard tôt vraiment plutôt davantage ailleurs partout dessus dessous dedans dehors',
    "hier demain aujourd hui aujourd'hui maintenant actuellement récemment etc cas fois lorsque tandis",
    'quoique voire sauf soit lundi mardi mercredi jeudi vendredi samedi dimanche deux trois quatre cinq',
    'six sept huit neuf dix cent mille dernier dernière derniers dernières a an the and but if or nor',
    'because as until while of at by for with about against between into through during before after',
    'above below to from up down in out on off over under again further then once here there when where',
    'why how all any both each few more most other others some such no not only own same so than too very',
    'can will just now also i me my myself we our ours ourselves you your yours yourself yourselves he',
    'him his himself she her hers herself it its itself they them their theirs themselves what which who',
    'whom whose this that these those am is are was were be been being have has had having do does did',
    "doing done would should could might must shall may ought cannot don't doesn't didn't isn't aren't",
    "wasn't weren't won't wouldn't shouldn't couldn't can't haven't hasn't hadn't it's that's there's i'm",
    "you're we're they're he's she's i've we've they've i'd we'd they'd i'll we'll they'll let's within",
    'without among amid across along around behind beside besides beyond despite toward towards upon onto',
    'per via since though although however yet whether either neither thus hence therefore meanwhile',
    'moreover furthermore nevertheless already still even ever never always often sometimes perhaps',
    'rather quite almost much many less least several every another something anything nothing everything',
    'someone anyone everyone nobody one ones two three four five first second last next said says say',
    'told get got make made well back like mr mrs ms etc monday tuesday wednesday thursday friday',
    'saturday sunday yesterday today tomorrow ago according including around whose whom else',
  ].join(' ')} `,
  'utf8',
);
/**
 * The first byte of a text packed with DICTIONARY. It can never start a raw deflate
 * stream (its block type bits, 11, are reserved), so texts packed before it are
 * told apart by that byte.
 */
const WITH_DICTIONARY = 0xfe;

/**
 * Long texts (summaries, feed content, article bodies) are kept deflated: news
 * text takes about 60 % of its size that way, article bodies less. A value is a
 * BLOB when packed and TEXT when not (short texts, which deflate cannot shrink,
 * and rows written before schema 6), so a reader tells them apart by type.
 */
const PACK_FROM_CHARS = 80;

/** Whether packText deflates this text (else it keeps it as it is). */
export function isWorthPacking(text: string): boolean {
  return text.length >= PACK_FROM_CHARS;
}

/**
 * Whether a text comes back from either store exactly as it was given: both keep UTF-8, in
 * which a lone surrogate becomes U+FFFD, and PostgreSQL's text cannot hold NUL. Such texts
 * (rare, from broken feeds) are read back before being matched, never matched as given.
 */
export function readsBackAsWritten(text: string): boolean {
  return (text as WellFormedCheck).isWellFormed() && !text.includes('\0');
}

/** ES2024's String method, which Node 20 has; the project's TypeScript lib is ES2023. */
type WellFormedCheck = string & { isWellFormed(): boolean };

export function packText(text: string): string | Buffer {
  if (!isWorthPacking(text)) return text;
  const packed = Buffer.concat([Buffer.of(WITH_DICTIONARY), deflateRawSync(Buffer.from(text, 'utf8'), { dictionary: DICTIONARY })]);
  return packed.length < Buffer.byteLength(text, 'utf8') * 0.9 ? packed : text;
}

export function unpackText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const bytes = value as Buffer;
  if (bytes[0] === WITH_DICTIONARY) return inflateRawSync(bytes.subarray(1), { dictionary: DICTIONARY, chunkSize: UNPACK_CHUNK }).toString('utf8');
  return inflateRawSync(bytes, { chunkSize: UNPACK_CHUNK }).toString('utf8');
}

/**
 * Output buffer of one inflate. A text shorter than it comes back in a slice of it, which
 * holds the whole buffer until garbage collection: with zlib's default (16 kB), reading
 * back 20,000 items left hundreds of megabytes outside the JavaScript heap between two
 * collections. Most texts are a few kB; longer ones come in several chunks, joined.
 */
const UNPACK_CHUNK = 4096;

/**
 * Signatures are JSON with long hex fingerprints: deflated, they take about half. A signature is
 * about 2 kB: a 4 kB window and a small hash table pack it as well as the defaults, and setting
 * up the defaults' 256 kB of state was most of the cost (about half the CPU time per signature).
 */
export function packSignature(json: string): Buffer {
  return deflateSync(Buffer.from(json, 'utf8'), SIGNATURE_DEFLATE);
}

const SIGNATURE_DEFLATE = { windowBits: 12, memLevel: 5 } as const;

/** Reads a packed signature, or one stored as JSON text before signatures were packed (schema 5). */
export function unpackSignature(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const bytes = value as Buffer;
  // zlib streams start with 0x78; JSON with '{'.
  if (bytes[0] === 0x7b) return bytes.toString('utf8');
  try {
    return inflateSync(bytes).toString('utf8');
  } catch {
    return null;
  }
}
