/**
 * General-purpose tables that the country packages (world-countries,
 * i18n-iso-countries) do not carry: French names of capitals where they differ
 * from the English ones, the seats of power that news uses as metonyms for a
 * government, the French compound prefixes of country adjectives
 * (sino-, nippo-…), and international organisations under their French and
 * English names. Every country is treated alike: nothing here is written for
 * one topic. Keys are ISO 3166-1 alpha-2 codes.
 */

/** French exonyms of capitals whose French name differs from world-countries' English one. */
export const FRENCH_CAPITALS: Readonly<Record<string, readonly string[]>> = {
  AE: ['Abou Dabi'],
  AF: ['Kaboul'],
  AL: ['Tirana'],
  AM: ['Erevan'],
  AT: ['Vienne'],
  AZ: ['Bakou'],
  BD: ['Dacca'],
  BE: ['Bruxelles'],
  BG: ['Sofia'],
  BH: ['Manama'],
  BR: ['Brasilia'],
  BT: ['Thimphou'],
  BY: ['Minsk'],
  CH: ['Berne'],
  CN: ['Pékin'],
  CO: ['Bogota'],
  CU: ['La Havane'],
  CY: ['Nicosie'],
  CZ: ['Prague'],
  DK: ['Copenhague'],
  DZ: ['Alger'],
  EG: ['Le Caire'],
  ET: ['Addis-Abeba'],
  FI: ['Helsinki'],
  GB: ['Londres'],
  GE: ['Tbilissi'],
  GR: ['Athènes'],
  HU: ['Budapest'],
  IL: ['Jérusalem'],
  IN: ['New Delhi'],
  IQ: ['Bagdad'],
  IR: ['Téhéran'],
  IS: ['Reykjavik'],
  IT: ['Rome'],
  JO: ['Amman'],
  KG: ['Bichkek'],
  KH: ['Phnom Penh'],
  KP: ['Pyongyang'],
  KR: ['Séoul'],
  KW: ['Koweït'],
  KZ: ['Astana'],
  LB: ['Beyrouth'],
  LT: ['Vilnius'],
  LY: ['Tripoli'],
  MA: ['Rabat'],
  MD: ['Chisinau'],
  MK: ['Skopje'],
  MN: ['Oulan-Bator'],
  MT: ['La Valette'],
  MX: ['Mexico'],
  NP: ['Katmandou'],
  OM: ['Mascate'],
  PH: ['Manille'],
  PL: ['Varsovie'],
  PT: ['Lisbonne'],
  RO: ['Bucarest'],
  RU: ['Moscou'],
  SA: ['Riyad'],
  SE: ['Stockholm'],
  SG: ['Singapour'],
  SY: ['Damas'],
  TJ: ['Douchanbé'],
  TM: ['Achgabat'],
  TW: ['Taipei'],
  UA: ['Kiev', 'Kyiv'],
  US: ['Washington'],
  UZ: ['Tachkent'],
  VA: ['Vatican'],
  VN: ['Hanoï'],
  YE: ['Sanaa'],
  ZA: ['Pretoria'],
};

/** French acronyms of country names, which the packages do not carry (RPDC, RDC, EAU). */
export const FRENCH_ACRONYMS: Readonly<Record<string, readonly string[]>> = {
  AE: ['EAU'],
  CD: ['RDC'],
  CF: ['RCA'],
  KP: ['RPDC'],
};

/**
 * Seats of power and other metonyms that stand for a government in the news
 * ("le Kremlin a démenti", "Downing Street said"), in French and English.
 */
export const SEATS_OF_POWER: Readonly<Record<string, readonly string[]>> = {
  AR: ['Casa Rosada'],
  BR: ['Planalto'],
  CN: ['Zhongnanhai'],
  DE: ['Chancellerie fédérale', 'Bundeskanzleramt'],
  ES: ['Moncloa'],
  FR: ['Élysée', 'Elysée', 'Elysee', 'Matignon', "Quai d'Orsay"],
  GB: ['Downing Street', 'Whitehall', 'Foreign Office'],
  IL: ['Knesset'],
  IN: ['Rashtrapati Bhavan', 'South Block'],
  IT: ['Palazzo Chigi', 'Quirinal', 'Farnesina'],
  JP: ['Kantei', 'Kasumigaseki'],
  KR: ['Maison bleue', 'Blue House', 'Cheong Wa Dae', 'Yongsan'],
  MX: ['Los Pinos', 'Palacio Nacional'],
  RU: ['Kremlin', 'Smolensk Square'],
  TR: ['Beştepe'],
  UA: ['Bankova'],
  US: ['Maison-Blanche', 'Maison Blanche', 'White House', 'Pentagone', 'Pentagon', 'Département d’État', 'State Department', 'Capitol Hill', 'Foggy Bottom'],
  VA: ['Saint-Siège', 'Holy See'],
};

/**
 * French (and English) combining forms of country adjectives, as in
 * "russo-nord-coréen", "sino-américain", "Sino-Japanese". The regular ones
 * (russe → russo, iranien → irano, américain → américano) are derived from the
 * demonym by `combiningForms`; these are the irregular ones.
 */
export const IRREGULAR_COMBINING_FORMS: Readonly<Record<string, readonly string[]>> = {
  AT: ['austro'],
  BE: ['belgo'],
  CH: ['helvético'],
  CN: ['sino'],
  DE: ['germano'],
  ES: ['hispano'],
  FR: ['franco'],
  GB: ['anglo', 'britannico'],
  GR: ['gréco'],
  IN: ['indo'],
  IT: ['italo'],
  JP: ['nippo', 'japono'],
  PT: ['luso'],
  TR: ['turco'],
  US: ['américano'],
  RU: ['russo'],
};

export interface OrganisationEntry {
  id: string;
  names: readonly string[];
  /** Acronyms, matched with their case. */
  acronyms: readonly string[];
}

/** International organisations, French and English names. */
export const ORGANISATIONS: readonly OrganisationEntry[] = [
  { id: 'un', names: ['Nations unies', 'United Nations', 'Conseil de sécurité', 'Security Council'], acronyms: ['ONU', 'UN'] },
  { id: 'nato', names: ['Alliance atlantique', 'Atlantic Alliance', "Organisation du traité de l'Atlantique nord"], acronyms: ['OTAN', 'NATO'] },
  { id: 'eu', names: ['Union européenne', 'European Union', 'Commission européenne', 'European Commission'], acronyms: ['UE', 'EU'] },
  { id: 'iaea', names: ["Agence internationale de l'énergie atomique", 'International Atomic Energy Agency'], acronyms: ['AIEA', 'IAEA'] },
  { id: 'wto', names: ['Organisation mondiale du commerce', 'World Trade Organization'], acronyms: ['OMC', 'WTO'] },
  { id: 'imf', names: ['Fonds monétaire international', 'International Monetary Fund'], acronyms: ['FMI', 'IMF'] },
  { id: 'who', names: ['Organisation mondiale de la santé', 'World Health Organization'], acronyms: ['OMS'] },
  { id: 'opec', names: ['Organisation des pays exportateurs de pétrole'], acronyms: ['OPEP', 'OPEC'] },
  { id: 'asean', names: ['Association des nations de l’Asie du Sud-Est', 'Association of Southeast Asian Nations'], acronyms: ['ASEAN', 'ANASE'] },
  { id: 'au', names: ['Union africaine', 'African Union'], acronyms: [] },
  { id: 'sco', names: ['Organisation de coopération de Shanghai', 'Shanghai Cooperation Organisation'], acronyms: ['OCS', 'SCO'] },
  { id: 'brics', names: [], acronyms: ['BRICS'] },
  { id: 'g7', names: [], acronyms: ['G7'] },
  { id: 'g20', names: [], acronyms: ['G20'] },
  { id: 'arab-league', names: ['Ligue arabe', 'Arab League'], acronyms: [] },
];

/**
 * Acronyms of common nouns in French and English news (economy, weapons, titles,
 * health, time zones, technology): written in capitals like an organisation's
 * acronym, but they name a thing, not an actor.
 */
export const COMMON_NOUN_ACRONYMS: ReadonlySet<string> = new Set([
  'GDP',
  'PIB',
  'GNP',
  'PNB',
  'CPI',
  'IPC',
  'VAT',
  'TVA',
  'IPO',
  'ETF',
  'LNG',
  'GNL',
  'GPL',
  'CEO',
  'PDG',
  'CFO',
  'DG',
  'PM',
  'MP',
  'MEP',
  'MPS',
  'ICBM',
  'SLBM',
  'IRBM',
  'SRBM',
  'MIRV',
  'UAV',
  'UAS',
  'IED',
  'AI',
  'IA',
  'GPS',
  'SMS',
  'USB',
  'PC',
  'TV',
  'DNA',
  'ADN',
  'HIV',
  'VIH',
  'SIDA',
  'AIDS',
  'COVID',
  'GMT',
  'UTC',
  'CET',
  'CEST',
  'FAQ',
  'PS',
  'NB',
]);
