/**
 * A small bilingual (French–English) lexicon of what news events are made of:
 * the kinds of happening (attack, launch, visit, talks, strike, vote, rate
 * decision, earthquake…), their parts and outcomes (casualties, agreement,
 * sanctions, prices) and the roles that name actors when names are not given
 * (foreign minister, central bank, union). Words that are not cognates — grève
 * and walkout, séisme and earthquake, pourparlers and talks — meet in one
 * concept. General news vocabulary, written for any week of news, not for one
 * set of items.
 *
 * Each line is `concept: word word stem* …`. A word matches itself (folded:
 * lower case, no accents); `stem*` matches any word that starts with it (at
 * least four letters before the star). A phrase (words joined by `_`) matches
 * those words in a row. A word may belong to several concepts ("strike"). A
 * phrase written `=a_b` is a sense: there its words mean the phrase's concept
 * and nothing else ("premier tour" is an election's round, not a visit).
 */
const LEXICON = `
attack: attack* assault* raid raids attaqu* offensive* bombarde* bombardement* bombing* shelling pilonn* frappe frappes airstrike* air_strike* missile_strike* drone_strike* salvo* barrage*
missile: missile* icbm* slbm* irbm* srbm* rocket* roquette* fusee* projectile* cruise croisiere
drone: drone* uav* shahed
launch: launch* lanc* tir tirs tire tiree tirees tirer fire fires fired firing liftoff decoll*
test: test tests tested testing essai essais
nuclear: nuclear nucleai* atomi* warhead* ogive*
drill: drill drills exercise* exercice* manoeuvr* maneuver* manoeuver* wargame*
aircraft: aircraft avion* plane planes jet jets warplane* chasseur* fighter* bomber* bombardier* helicopter* helicoptere*
navy: navy naval marine navire* warship* frigate* fregate* destroyer* carrier* porte_avions sous_marin* submarine* vessel* ship ships bateau*
troops: troop* soldier* soldat* militaire* servicem* army armee brigade* battalion* bataillon* regiment*
defence: defence defense military militaire* armed arme armee armees pentagon*
airdefence: air_defence air_defense defense_aerienne defense_antiaerienne anti_aircraft antiaerien* interception intercept* abattu* shot_down
casualties: killed kill* dead death* deaths tue tues tuee tuees mort morts victim* victime* casualt* bilan
wounded: wounded injur* blesse* hurt
ceasefire: ceasefire cease_fire cessez_le_feu truce treve armistice
war: war wars guerre* conflict* conflit*
power: power_grid electricity electrici* blackout* outage* coupure* courant energy energie* power_plant* centrale* thermal thermique* substation*
port: port ports harbour* harbor* dock* quai* terminal*
grain: grain* cereal* cereale* wheat maize corn
visit: visit* visite* trip voyage* tour tournee arriv* deplacement*
talks: talk talks pourparler* negotiat* negocia* discussion* entretien* dialogue* meeting* rencontr* reunion*
summit: summit* sommet*
agreement: agreement* agree* accord* deal deals pact pacte* treaty traite memorandum* protocol* entente*
sign: sign signs signed signing signe signent signee signature*
ratify: ratif*
exchange: exchange* echange* swap* swapp*
prisoner: prisoner* prisonnier* captive* captif* pow pows detainee* detenu* hostage* otage*
release: releas* liber* freed free return* retour* rapatri* repatria*
penalty: fine fines fined amende* penalt* =sanction_financiere* =sanctions_financieres*
sanction: sanction* embargo* blacklist* asset_freeze gel_des_avoirs freez* gel
diplomat: diplomat* diplomatie* foreign_minister foreign_ministry ministre_des_affaires_etrangeres affaires_etrangeres chef_de_la_diplomatie top_diplomat counterpart* homologue*
embassy: embass* ambassad* consulat* consulate*
protest: protest* protestation* condemn* condamn* denounc* denonc* deplor* criticis* critiqu*
vote: vote* voted voting
election: election* electoral* scrutin* ballot* referend* runoff* =run_off* =premier_tour =second_tour =deuxieme_tour =first_round_of_voting =second_round_of_voting
parliament: parliament* parlement* assembl* senat* senate* diet congress* deput* lawmaker* legislat*
censure: censure no_confidence motion* defiance*
government: government* gouvernement* cabinet* premier_ministre prime_minister executif*
resign: resign* demission* step_down
budget: budget* spending depense* fiscal* finance* loi_de_finances appropriation*
tax: tax taxes taxat* impot* taxe*
tariff: tariff* droits_de_douane douane* customs duties
trade: trade commerce commercia* export* import* shipment* expedition*
surplus: surplus excedent* deficit*
prices: price* prix inflation* deflation* consumer_price* cpi ipc cost_of_living cout_de_la_vie
rate: rate rates taux repo interest_rate* taux_directeur* taux_d_interet
cut: cut cuts cutting baisse* lower* reduc* reduit* abaiss* fall fell falls falling drop* recul* decline* chute* slump* plunge* plong* contract*
rise: rise rises rising rose raise raises raised raising hausse* increase* augment* climb* grow* croissance* jump* bond* hike* relev* gain*
centralbank: central_bank =banque_centrale monetary monetaire* reserve_bank federal_reserve fed ecb bce
growth: growth croissance* gdp pib economy econom* recession*
industry: industr* factor* usine* output manufactur* production* produc*
market: market* marche* bourse* stock* shares action actions investor* investisseur* currency devise* rupee* roupie* yen yuan rouble* ruble* dollar* euro euros
strike: =return_to_work =back_to_work =retour_au_travail =reprise_du_travail strike strikes striker* walkout* walk_out greve* grevist* debray* stoppage* industrial_action mouvement_social arret_de_travail
union: union unions syndicat* syndica* unionist*
wages: wage* salair* pay remuneration* bonus =pay_raise* =pay_rise*
flight: flight* vol vols airline* compagnie_aerienne airport* aeroport* long_haul long_courrier*
cancel: cancel* annul* suspend* suspen* delay* retard*
transport: metro subway underground train* rail* sncf commuter* passenger* usager* voyageur* bus
pilot: pilot* pilote*
earthquake: earthquake* quake* seism* tremblement* magnitude richter
tsunami: tsunami* raz_de_maree
flood: flood* inond* crue*
storm: storm* tempete* typhoon* typhon* hurricane* ouragan* cyclone*
fire: fire fires blaze* incendi* feu feux flame* flamme*
evacuate: evacuat* evacu*
space: space espace* spatial* orbit* orbite* satellite* cosmodrome* spaceport*
court: court* tribunal* juge* judge* trial* proces verdict* sentenc* condamnation* appeal* appel
arrest: arrest* arret* interpell* detain* detention* custody* garde_a_vue
police: police* policier* gendarm*
health: health sante epidemi* pandemi* virus* vaccin* hospital* hopita*
programme: programme program* project* projet* development* developpement* codevelop*
engine: engine* moteur* turbine* propulsion*
contract: contract* contrat* order* commande* purchase* achat* acquisition*
weapons: weapon* arme armes armement* arms munition* ammunition* shell* obus artiller* tank tanks char chars
aid: aid aide* package* paquet* enveloppe* assistance* support* soutien* pledge* promis* donat* dons
security: security securit* strategy strateg* doctrine*
alliance: alliance* allie* ally allies partnership* partenariat* cooperation*
warning: warn* avert* menac* threat* mise_en_garde
response: response* respons* repons* riposte* retaliat* represaill*
none: feu_vert nous_avions nous_n_avions vous_aviez si_nous_avions
`;

/**
 * `none`: fixed expressions whose words mean something else there ("feu vert" is
 * a go-ahead, not a fire; "nous avions" is the verb avoir, not planes). Their
 * words are read as that expression and nothing more.
 */
const NO_CONCEPT = 'none';

/** Concepts by exact folded word, and by stem for `stem*` entries. */
interface Lexicon {
  words: Map<string, string[]>;
  stems: Map<string, string[]>;
  /** Lengths of the stems, longest first: a word is looked up at these lengths only. */
  stemLengths: number[];
  /** Phrases by their first word: the words in a row, and the concept. */
  phrases: Map<string, { words: string[]; prefixLast: boolean; concept: string; sense: boolean }[]>;
}

let lexicon: Lexicon | null = null;

function buildLexicon(): Lexicon {
  const built: Lexicon = { words: new Map(), stems: new Map(), stemLengths: [], phrases: new Map() };
  const add = (map: Map<string, string[]>, key: string, concept: string) => {
    const list = map.get(key) ?? [];
    if (!list.includes(concept)) list.push(concept);
    map.set(key, list);
  };
  for (const line of LEXICON.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const concept = line.slice(0, colon).trim();
    for (const entry of line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)) {
      if (entry.includes('_')) {
        const sense = entry.startsWith('=') || concept === NO_CONCEPT;
        const parts = entry.replace(/^=/, '').replace(/\*$/, '').split('_');
        const list = built.phrases.get(parts[0]!) ?? [];
        list.push({ words: parts, prefixLast: entry.endsWith('*'), concept, sense });
        built.phrases.set(parts[0]!, list);
      } else if (entry.endsWith('*')) add(built.stems, entry.slice(0, -1), concept);
      else add(built.words, entry, concept);
    }
  }
  built.stemLengths = [...new Set([...built.stems.keys()].map((stem) => stem.length))].sort((a, b) => b - a);
  return built;
}

/** Concepts of single words, by word: news repeats its words, and a word tried against every stem length costs a dozen slices. */
const conceptsOfWord = new Map<string, readonly string[]>();
const CONCEPT_CACHE_LIMIT = 50_000;
const NONE: readonly string[] = [];

/** The concepts one word expresses by itself (as a word or through a stem), phrases aside. */
function wordConcepts(built: Lexicon, word: string): readonly string[] {
  const cached = conceptsOfWord.get(word);
  if (cached) return cached;
  let concepts: string[] | null = null;
  const add = (list: readonly string[] | undefined) => {
    if (!list) return;
    concepts ??= [];
    for (const concept of list) if (!concepts.includes(concept)) concepts.push(concept);
  };
  add(built.words.get(word));
  for (const length of built.stemLengths) if (length <= word.length) add(built.stems.get(word.slice(0, length)));
  if (conceptsOfWord.size >= CONCEPT_CACHE_LIMIT) conceptsOfWord.clear();
  const result = concepts ?? NONE;
  conceptsOfWord.set(word, result);
  return result;
}

/** Concepts (`c:<concept>`) that the folded words of a text express. */
export function newsConcepts(words: readonly string[]): string[] {
  lexicon ??= buildLexicon();
  const found = new Set<string>();
  let skipUntil = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const phrases = (lexicon.phrases.get(word) ?? []).filter((phrase) => phraseMatches(phrase, words, i));
    // A sense phrase (and an idiom, a sense with no concept) is what its words mean there: they take no concept of their own.
    for (const phrase of phrases) if (phrase.sense) skipUntil = Math.max(skipUntil, i + phrase.words.length);
    for (const phrase of phrases) if (phrase.concept !== NO_CONCEPT) found.add(phrase.concept);
    if (i < skipUntil) continue;
    for (const concept of wordConcepts(lexicon, word)) found.add(concept);
  }
  return [...found].map((c) => `c:${c}`);
}

function phraseMatches(phrase: { words: string[]; prefixLast: boolean }, words: readonly string[], at: number): boolean {
  const last = phrase.words.length - 1;
  return phrase.words.every((w, k) => {
    const actual = words[at + k];
    if (actual === undefined) return false;
    return k === last && phrase.prefixLast ? actual.startsWith(w) : actual === w;
  });
}
