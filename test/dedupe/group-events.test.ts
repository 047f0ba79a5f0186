import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acronymKey, eventSignature, nameKey } from '../../src/dedupe/event-signature.js';
import { assignEvents, EVENT_WINDOW_HOURS, groupEvents, timeFactor } from '../../src/dedupe/group-events.js';

/**
 * Small weeks of news written for these tests (invented events, no real item):
 * each case is a few reports plus unrelated reports of the same days, so that
 * what is rare and what is common among them is as in a real pool.
 */
interface Report {
  id: string;
  at: string;
  title: string;
  text: string;
}

const BACKGROUND: Report[] = [
  {
    id: 'bg1',
    at: '2031-03-03T08:00:00Z',
    title: 'Dutch dockers vote to extend their strike at Rotterdam',
    text: 'Dockers at the port of Rotterdam voted on Monday to extend their strike by 48 hours over pay, the FNV union said. About 40 container ships are waiting at anchor.',
  },
  {
    id: 'bg2',
    at: '2031-03-03T15:00:00Z',
    title: 'Inflation au Canada : les prix ralentissent à 2,1 % en février',
    text: "L'inflation canadienne a ralenti à 2,1 % sur un an en février, selon Statistique Canada, grâce à la baisse des prix de l'essence. La Banque du Canada se réunit la semaine prochaine.",
  },
  {
    id: 'bg3',
    at: '2031-03-04T10:00:00Z',
    title: 'Floods in Bavaria force 3,000 people from their homes',
    text: 'Heavy rain caused the Danube and the Inn to burst their banks on Tuesday, forcing about 3,000 people to leave their homes in Passau and nearby villages, the regional government said.',
  },
  {
    id: 'bg4',
    at: '2031-03-04T18:00:00Z',
    title: 'Le Parlement slovène adopte la réforme des retraites',
    text: "Les députés slovènes ont adopté mardi par 48 voix contre 39 la réforme des retraites qui porte l'âge légal de départ à 67 ans d'ici 2040. Les syndicats promettent une grève générale.",
  },
  {
    id: 'bg5',
    at: '2031-03-05T09:00:00Z',
    title: 'Brazil central bank holds Selic rate at 9.75%',
    text: 'Brazil’s central bank kept its benchmark Selic rate at 9.75% on Wednesday, pointing to stubborn services inflation. Economists had expected a cut of 25 basis points.',
  },
  {
    id: 'bg6',
    at: '2031-03-05T20:00:00Z',
    title: 'Incendie dans une usine chimique près de Lyon, pas de victime',
    text: "Un incendie s'est déclaré mercredi soir dans une usine chimique de Saint-Fons, au sud de Lyon. Une centaine de pompiers sont mobilisés ; la préfecture n'a signalé aucune victime.",
  },
  {
    id: 'bg7',
    at: '2031-03-06T11:00:00Z',
    title: 'Kenyan runners sweep the Tokyo marathon podium',
    text: 'Kenyan athletes took all three podium places at the Tokyo marathon on Thursday, the winner finishing in 2 hours 4 minutes.',
  },
];

const QUAKE: Report[] = [
  {
    id: 'quake-en',
    at: '2031-03-04T06:10:00Z',
    title: 'Magnitude 6.4 earthquake strikes off Crete, tsunami warning lifted',
    text: 'A magnitude 6.4 earthquake struck off the southern coast of Crete early on Tuesday, the Athens geodynamic institute said. A tsunami warning was lifted after an hour. Two people were injured in Ierapetra by falling masonry.',
  },
  {
    id: 'ferry-en',
    at: '2031-03-04T12:00:00Z',
    title: 'Greek ferry strike halts sailings to Crete for 48 hours',
    text: 'Greek seamen’s union PNO called a 48-hour strike on Tuesday over pay, halting ferries between Piraeus and Heraklion, the coast guard said. Around 20 sailings were cancelled.',
  },
  {
    id: 'quake-fr',
    at: '2031-03-04T08:30:00Z',
    title: 'Crète : un séisme de magnitude 6,4 secoue le sud de l’île',
    text: "Un séisme de magnitude 6,4 a frappé mardi à l'aube le large de la côte sud de la Crète. Deux blessés légers sont signalés à Ierapetra. L'alerte au tsunami a été levée une heure plus tard.",
  },
];

function group(reports: Report[]): Map<string, number> {
  const all = [...BACKGROUND, ...reports];
  const story = groupEvents(all.map((r) => ({ at: Date.parse(r.at), signature: eventSignature({ title: r.title, text: r.text }) })));
  return new Map(all.map((r, i) => [r.id, story[i]!]));
}

describe('eventSignature: keys that meet across French and English', () => {
  const terms = (title: string, text = '') => eventSignature({ title, text }).terms;

  it('gives the French and English acronyms of one name one key (the same letters in another order)', () => {
    assert.equal(acronymKey('scaf'), acronymKey('fcas'));
    assert.equal(acronymKey('bce'), acronymKey('ecb'));
    const fr = terms('Le programme SGAR relancé', "Le consortium SGAR a obtenu lundi l'accord des deux gouvernements.");
    const en = terms('GRAS programme relaunched', 'The GRAS consortium won the backing of both governments on Monday.');
    assert.ok(
      fr.some((k) => en.includes(k) && k.includes(acronymKey('sgar'))),
      `${fr} / ${en}`,
    );
    // Known organisations keep their one id whichever name or acronym a report uses.
    assert.ok(terms("L'OTAN renforce son flanc est").includes('e:org:nato'));
    assert.ok(terms('The UN Security Council meets').includes('e:org:un'));
  });

  it('gives an organisation named in full the key of its acronym (its initials, with a complement such as "of Australia")', () => {
    const full = terms('Rates on hold', 'The Reserve Bank of Australia kept its cash rate unchanged on Tuesday.');
    const short = terms('RBA holds', 'The RBA kept its cash rate unchanged on Tuesday.');
    assert.ok(full.includes(`e:org:${acronymKey('rba')}`) && short.includes(`e:org:${acronymKey('rba')}`), `${full} / ${short}`);
    // French acronyms put the letters in another order; the initials of the French name meet the English acronym.
    const fr = terms('Lancement réussi', "Mardi, l'Agence Spatiale Européenne a lancé son satellite météo.");
    const en = terms('ESA launch', 'ESA launched its weather satellite on Tuesday.');
    assert.ok(fr.includes(`e:org:${acronymKey('ase')}`) && en.includes(`e:org:${acronymKey('esa')}`), `${fr} / ${en}`);
  });

  it('keeps a headline clause of the same moment ("as", "alors que", "tandis que") among the headline keys, not one saying when or why', () => {
    const headline = (title: string) => eventSignature({ title, text: '' }).headline;
    assert.ok(headline('Rescue teams search the rubble as an earthquake hits Morocco').includes('e:MA'));
    assert.ok(headline('Les secours fouillent les décombres alors que la terre tremble au Maroc').includes('e:MA'));
    assert.ok(headline('Les bourses reculent tandis que la Turquie relève ses taux').includes('e:TR'));
    assert.ok(headline('Stocks slide while Turkey raises rates').includes('e:TR'));
    // "after", "après" still say when: the headline's subject is before them.
    assert.ok(!headline('Tokyo protests after Pyongyang fires a missile').includes('e:KP'));
    assert.ok(!headline('Tokyo proteste après le tir de Pyongyang').includes('e:KP'));
  });

  it("takes a headline's first word for a name when the text writes it as one, not otherwise", () => {
    const headline = (title: string, text: string) => eventSignature({ title, text }).headline;
    const name = (word: string) => `n:${nameKey(word)}`;
    assert.ok(headline('Zorvath : les mineurs votent la grève', 'Les mineurs de la mine Zorvath ont voté lundi une grève illimitée.').includes(name('zorvath')));
    assert.ok(headline('Zorvath miners back strike', 'Miners at the Zorvath mine voted on Monday for an open-ended strike.').includes(name('zorvath')));
    // A common word opening the headline is no name: the text writes it in lower case, or not at all.
    assert.ok(!headline('Miners back strike', 'The miners voted on Monday for a strike.').includes(name('miners')));
    assert.ok(!headline('Grève dans les mines', 'Une grève a été votée lundi.').includes(name('greve')));
  });

  it('gives a French institution written in sentence case the key of its English name (Cour suprême / Supreme Court)', () => {
    const orgs = (text: string) => terms('x', text).filter((k) => k.startsWith('e:org:'));
    assert.deepEqual(orgs('Au Kenya, la Cour suprême a rejeté le recours.'), orgs('Kenya’s Supreme Court rejected the petition.'));
    assert.deepEqual(orgs('La Banque centrale du Chili abaisse son taux.'), orgs('The Central Bank of Chile cut its rate.'));
    assert.deepEqual(orgs('La Commission électorale indépendante a proclamé les résultats.'), orgs('The Independent Electoral Commission declared the result.'));
    assert.notDeepEqual(orgs('La Cour suprême a rejeté le recours.'), orgs('The Central Bank of Chile cut its rate.'));
    assert.equal(orgs('La Cour suprême a rejeté le recours.').length, 1);
  });

  it('reads Bruxelles and Brussels as the EU, the way the UE and the EU are read', () => {
    const fr = terms('Bruxelles adopte de nouvelles sanctions contre Minsk');
    const en = terms('EU adopts new sanctions on Belarus');
    assert.ok(fr.includes('e:org:eu') && en.includes('e:org:eu'));
    assert.ok(!fr.includes('e:BE'));
  });
});

describe('groupEvents', () => {
  it('joins independent French and English reports of one event', () => {
    const story = group([
      {
        id: 'en1',
        at: '2031-03-04T06:10:00Z',
        title: 'Magnitude 6.4 earthquake strikes off Crete, tsunami warning lifted',
        text: 'A magnitude 6.4 earthquake struck off the southern coast of Crete early on Tuesday, the Athens geodynamic institute said. A tsunami warning was lifted after an hour. Two people were injured in Ierapetra by falling masonry.',
      },
      {
        id: 'fr1',
        at: '2031-03-04T08:30:00Z',
        title: 'Crète : un séisme de magnitude 6,4 secoue le sud de l’île',
        text: "Un séisme de magnitude 6,4 a frappé mardi à l'aube le large de la côte sud de la Crète. Deux blessés légers sont signalés à Ierapetra. L'alerte au tsunami a été levée une heure plus tard.",
      },
      {
        id: 'en2',
        at: '2031-03-04T14:00:00Z',
        title: 'Crete quake: schools closed in Ierapetra as aftershocks continue',
        text: 'Schools in Ierapetra stayed shut on Tuesday as aftershocks rattled Crete after the magnitude 6.4 earthquake. Engineers are inspecting the old town’s buildings.',
      },
    ]);
    assert.equal(story.get('fr1'), story.get('en1'));
    assert.equal(story.get('en2'), story.get('en1'));
    for (const bg of BACKGROUND) assert.notEqual(story.get(bg.id), story.get('en1'), `${bg.id} joined the earthquake`);
  });

  it('joins a report full of details no other outlet gives, and keeps a different event of the same actors apart', () => {
    const story = group([
      {
        id: 'en',
        at: '2031-03-05T07:00:00Z',
        title: 'Portugal and Morocco sign undersea power cable deal',
        text: 'Portugal and Morocco signed an agreement on Wednesday to lay an undersea power cable, the energy ministers said. Siemens Energy and the World Bank back the 2-gigawatt link, due in 2030, said project head Ana Fontoura; fishermen in the Algarve fear for their grounds, and Spain’s Red Eléctrica called it a rival to its own Tarifa line.',
      },
      {
        id: 'fr',
        // Each report has its own details (quotes, names, backers, figures) that no other report gives.
        at: '2031-03-05T19:00:00Z',
        title: 'Câble électrique sous-marin : Lisbonne et Rabat signent à Sines',
        text: "« Un pont d'énergie entre deux continents », s'est félicité le maire de Sines, Nuno Mascarenhas. Le Portugal et le Maroc ont signé mercredi l'accord de 2,1 milliards d'euros pour un câble de 1 000 km vers Tanger. L'opérateur REN lancera les appels d'offres en juin avec Nexans et Prysmian ; 340 emplois sont attendus à Sines, 25 navires câbliers mobilisés, et la Banque européenne d'investissement prêtera 600 millions, selon Galp et l'ONE. Le tracé passera au large de Faro, Portimão et Lagos ; Masen et EDP financeront 40 % des 3 500 mégawatts prévus.",
      },
      {
        id: 'other',
        // Same two countries, the next day, another event.
        at: '2031-03-06T20:00:00Z',
        title: 'Le Portugal bat le Maroc en match amical à Lisbonne',
        text: 'Le Portugal a battu le Maroc 2-1 jeudi soir à Lisbonne en match amical, devant 48 000 spectateurs. Le sélectionneur marocain a salué « un bon test ».',
      },
    ]);
    assert.equal(story.get('fr'), story.get('en'));
    assert.notEqual(story.get('other'), story.get('en'));
    for (const bg of BACKGROUND) assert.notEqual(story.get(bg.id), story.get('en'), `${bg.id} joined the cable deal`);
  });

  it('keeps the same minister’s two visits in one week apart', () => {
    const story = group([
      {
        id: 'rabat-en',
        at: '2031-03-03T09:00:00Z',
        title: 'Portugal’s foreign minister in Rabat for fisheries talks',
        text: 'Portugal’s foreign minister arrived in Rabat on Monday for two days of talks with her Moroccan counterpart on fishing quotas and a new ferry link from Faro to Tangier.',
      },
      {
        id: 'rabat-fr',
        at: '2031-03-03T12:00:00Z',
        title: 'À Rabat, la cheffe de la diplomatie portugaise parle pêche et ferries',
        text: "La ministre portugaise des Affaires étrangères est arrivée lundi à Rabat pour deux jours d'entretiens consacrés aux quotas de pêche et à une liaison maritime entre Faro et Tanger.",
      },
      {
        id: 'tunis-en',
        at: '2031-03-04T16:00:00Z',
        title: 'Portuguese foreign minister signs energy memorandum in Tunis',
        text: 'Portugal’s foreign minister signed a memorandum on green hydrogen with Tunisia in Tunis on Tuesday, the second stop of her North African tour, worth 120 million euros.',
      },
      {
        id: 'tunis-fr',
        at: '2031-03-04T19:00:00Z',
        title: 'Tunis et Lisbonne signent un mémorandum sur l’hydrogène vert',
        text: "La ministre portugaise des Affaires étrangères a signé mardi à Tunis un mémorandum sur l'hydrogène vert, d'un montant de 120 millions d'euros.",
      },
    ]);
    assert.notEqual(story.get('rabat-en'), story.get('tunis-en'));
    assert.notEqual(story.get('rabat-fr'), story.get('tunis-fr'));
    assert.notEqual(story.get('rabat-en'), story.get('tunis-fr'));
    assert.equal(story.get('tunis-en'), story.get('tunis-fr'));
  });

  it('keeps two missile launches days apart apart', () => {
    const story = group([
      {
        id: 'first',
        at: '2031-03-03T02:00:00Z',
        title: 'Iran test-fires two cruise missiles in the Gulf of Oman',
        text: 'Iran’s navy test-fired two cruise missiles with a range of 300 km in the Gulf of Oman on Monday, state media said.',
      },
      {
        id: 'first-fr',
        at: '2031-03-03T07:00:00Z',
        title: 'Golfe d’Oman : l’Iran tire deux missiles de croisière',
        text: "La marine iranienne a procédé lundi au tir de deux missiles de croisière d'une portée de 300 km dans le golfe d'Oman.",
      },
      {
        id: 'second',
        at: '2031-03-05T23:00:00Z',
        title: 'Iran fires ballistic missile from Semnan launch site',
        text: 'Iran fired a ballistic missile from its Semnan launch site on Wednesday night, the second test this week, flying about 1,200 km.',
      },
    ]);
    assert.equal(story.get('first'), story.get('first-fr'));
    assert.notEqual(story.get('second'), story.get('first'));
  });

  it('keeps a follow-up (a treaty ratified after it was signed) as its own story', () => {
    const story = group([
      {
        id: 'signed',
        at: '2031-03-03T10:00:00Z',
        title: 'Norway and Iceland sign fisheries treaty in Oslo',
        text: 'Norway and Iceland signed a treaty in Oslo on Monday sharing the mackerel quota for ten years, ending a dispute that began in 2010.',
      },
      {
        id: 'signed-fr',
        at: '2031-03-03T13:00:00Z',
        title: 'Pêche : la Norvège et l’Islande signent un traité à Oslo',
        text: "La Norvège et l'Islande ont signé lundi à Oslo un traité de partage du quota de maquereau pour dix ans.",
      },
      {
        id: 'ratified',
        at: '2031-03-05T09:00:00Z',
        title: 'Icelandic parliament ratifies mackerel treaty with Norway',
        text: 'Iceland’s parliament, the Althing, ratified on Wednesday the mackerel treaty signed with Norway in Oslo on Monday, by 41 votes to 12.',
      },
    ]);
    assert.equal(story.get('signed'), story.get('signed-fr'));
    assert.notEqual(story.get('ratified'), story.get('signed'));
  });

  it('joins reports whose headlines name the same two countries and little else in common, not a later event between them', () => {
    const story = group([
      {
        id: 'visit-en',
        at: '2031-03-03T09:00:00Z',
        title: 'Chile’s foreign minister visits Argentina to mend ties',
        text: 'Chile’s foreign minister arrived in Buenos Aires on Monday for talks with her Argentine counterpart on cooperation in energy and an agreement on border controls, the first such visit in three years.',
      },
      {
        id: 'visit-fr',
        at: '2031-03-03T14:00:00Z',
        title: 'Le Chili et l’Argentine relancent leur coopération',
        text: "La cheffe de la diplomatie chilienne a rencontré lundi à Buenos Aires son homologue argentin. Les entretiens ont porté sur l'énergie et sur un accord de contrôle aux frontières.",
      },
      {
        id: 'protest-en',
        at: '2031-03-05T10:00:00Z',
        title: 'Argentina protests Chilean navy exercise in the south',
        text: 'Argentina summoned Chile’s ambassador on Wednesday to protest a naval exercise by Chilean warships in southern waters, which Buenos Aires called a provocation.',
      },
    ]);
    assert.equal(story.get('visit-fr'), story.get('visit-en'));
    assert.notEqual(story.get('protest-en'), story.get('visit-en'));
  });

  it('takes the two countries both headlines name as one shared fact: with a kind of happening both name, a reaction joins its event', () => {
    const story = group([
      {
        id: 'tariff-en',
        at: '2031-03-04T07:00:00Z',
        title: 'Canada imposes tariffs on Mexican steel',
        text: 'Ottawa announced 25% duties on steel from Mexico on Tuesday, citing a surge of cheap imports that hurt mills in Ontario.',
      },
      {
        id: 'tariff-reaction',
        // A reaction: its own actors and words, the same relation and the same kind of happening.
        at: '2031-03-04T16:00:00Z',
        title: 'Le Mexique dénonce les droits de douane canadiens',
        text: "Le ministère mexicain de l'Économie a qualifié mardi la mesure d'« injustifiée » et promis de saisir les instances d'arbitrage.",
      },
      {
        id: 'tourism',
        // The same two countries the next day, another kind of happening.
        at: '2031-03-05T10:00:00Z',
        title: 'Canada and Mexico sign a tourism accord',
        text: 'Canada and Mexico agreed on Wednesday to ease visas for tourists and to open four new air routes.',
      },
    ]);
    assert.equal(story.get('tariff-reaction'), story.get('tariff-en'));
    assert.notEqual(story.get('tourism'), story.get('tariff-en'));
  });

  it('never joins reports further apart than the window, and fades the evidence before it', () => {
    assert.equal(timeFactor(0), 1);
    assert.ok(timeFactor(24 * 3_600_000) < 1);
    assert.equal(timeFactor(EVENT_WINDOW_HOURS * 3_600_000), 0);
    // Slowly through the first day (a next-day report of one event keeps most of its evidence), fast in the second.
    const hours = [6, 12, 18, 24, 30, 36, 42, 48].map((h) => timeFactor(h * 3_600_000));
    for (let i = 1; i < hours.length; i++) assert.ok(hours[i]! < hours[i - 1]!);
    assert.ok(timeFactor(24 * 3_600_000) > 0.75 && timeFactor(42 * 3_600_000) < 0.3);
    assert.ok(hours[1]! - hours[2]! < hours[6]! - hours[7]!);
    const text = 'Strikers at the Volvo plant in Ghent rejected a 3.2% pay offer on Monday, the ACV union said.';
    const story = group([
      { id: 'a', at: '2031-03-03T10:00:00Z', title: 'Volvo Ghent strikers reject 3.2% pay offer', text },
      { id: 'b', at: '2031-03-06T10:00:00Z', title: 'Volvo Ghent strikers reject 3.2% pay offer', text },
    ]);
    assert.notEqual(story.get('a'), story.get('b'));
  });

  it('gives the same stories whatever order the reports come in', () => {
    const signed = [...BACKGROUND, ...QUAKE].map((r) => ({ id: r.id, at: Date.parse(r.at), signature: eventSignature({ title: r.title, text: r.text }) }));
    const partition = (reports: typeof signed) => {
      const story = groupEvents(reports);
      const byId = new Map(reports.map((r, i) => [r.id, reports[story[i]!]!.id]));
      return signed.map((r) => byId.get(r.id));
    };
    const expected = partition(signed);
    // "earthquake strikes" and "ferry strike" share a word and a day: the two earthquake reports must meet first.
    assert.equal(expected[signed.findIndex((r) => r.id === 'quake-fr')], expected[signed.findIndex((r) => r.id === 'quake-en')]);
    assert.notEqual(expected[signed.findIndex((r) => r.id === 'ferry-en')], expected[signed.findIndex((r) => r.id === 'quake-en')]);
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const shuffled = [...signed];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      assert.deepEqual(partition(shuffled), expected, `round ${round}`);
    }
  });

  it('lets a new report join a known story, never joins two known stories, and groups new reports among themselves', () => {
    const sign = (r: Report) => ({ at: Date.parse(r.at), signature: eventSignature({ title: r.title, text: r.text }) });
    const [en, ferry, fr] = QUAKE as [Report, Report, Report];
    // The English earthquake report is known (already shown), the ferry strike is a known story of its own.
    const known = [...BACKGROUND.map((r) => ({ ...sign(r), story: r.id })), { ...sign(en), story: 'quake' }, { ...sign(ferry), story: 'ferry' }];
    assert.deepEqual(assignEvents(known, [sign(fr)]), [{ story: 'quake' }]);
    // Without the known reports, the French report and a second copy of the English one form a new story, headed by the earlier.
    assert.deepEqual(
      assignEvents(
        BACKGROUND.map((r) => ({ ...sign(r), story: r.id })),
        [sign(fr), sign(en)],
      ),
      [{ head: 1 }, { head: 1 }],
    );
  });
});
