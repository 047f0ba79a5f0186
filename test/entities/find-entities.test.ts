import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combiningForms, countryAliases, countryName, inflectEnglishDemonym, inflectFrenchDemonym } from '../../src/entities/countries.js';
import { countryCities } from '../../src/entities/cities.js';
import { findCountryMentions, findEntities, foldName, type EntityMention } from '../../src/entities/find-entities.js';

const show = (mentions: EntityMention[]) => mentions.map((m) => `${m.id}=${m.surface}`);

describe('countryAliases: one country under every name general data knows', () => {
  it('gives names in French, English and other scripts, demonyms, capitals and seats of power', () => {
    const ru = countryAliases('ru')!;
    assert.equal(ru.code, 'RU');
    for (const name of ['Russie', 'Russia', 'Россия']) assert.ok(ru.names.includes(name), name);
    for (const form of ['russe', 'russes', 'Russian', 'Russians']) assert.ok(ru.demonyms.includes(form), form);
    assert.deepEqual([...ru.capitals].sort(), ['Moscou', 'Moscow']);
    assert.ok(ru.seats.includes('Kremlin'));
    assert.deepEqual(ru.combining, ['russo']);

    const kp = countryAliases('KP')!;
    for (const name of ['Corée du Nord', 'North Korea', '북한']) assert.ok(kp.names.includes(name), name);
    assert.ok(kp.acronyms.includes('DPRK'));
    for (const form of ['nord-coréen', 'nord-coréenne', 'nord-coréens', 'nord-coréennes', 'North Korean']) assert.ok(kp.demonyms.includes(form), form);

    // Any country works the same way: nothing here is written for one topic.
    const br = countryAliases('BR')!;
    assert.ok(br.names.includes('Brésil') && br.names.includes('Brazil'));
    assert.ok(br.demonyms.includes('brésiliennes') && br.demonyms.includes('Brazilian'));
    assert.ok(br.capitals.includes('Brasília') || br.capitals.includes('Brasilia'));
    assert.equal(countryAliases('XX'), null);
  });

  it('keeps a spelling two countries share only for the sovereign state, or for neither', () => {
    assert.ok(countryAliases('FR')!.demonyms.includes('français'));
    assert.ok(!countryAliases('CD')!.names.includes('Congo'));
    assert.ok(!countryAliases('CG')!.names.includes('Congo'));
  });

  it('inflects French demonyms and derives combining forms', () => {
    assert.deepEqual(inflectFrenchDemonym('Russe', 'Russe'), ['russe', 'russes']);
    assert.deepEqual(inflectFrenchDemonym('Français', 'Française'), ['français', 'française', 'françaises']);
    assert.deepEqual(inflectEnglishDemonym('Chinese'), ['Chinese']);
    assert.deepEqual(inflectEnglishDemonym('Brazilian'), ['Brazilian', 'Brazilians']);
    assert.deepEqual(combiningForms('Iranien'), ['irano']);
    assert.deepEqual(combiningForms('Américain'), ['américano']);
    assert.deepEqual(combiningForms('Nord-coréen'), []);
    assert.equal(countryName('KP', 'fr'), 'Corée du Nord');
    assert.equal(countryName('KP', 'en'), 'North Korea');
  });
});

describe('findEntities', () => {
  it('finds countries, people and organisations in French, with offsets into the text', () => {
    const text = "Le ministre russe des Affaires étrangères, Sergueï Lavrov, a été reçu à Pyongyang par Kim Jong-un. Lavrov a ensuite vu l'OTAN.";
    const mentions = findEntities(text);
    assert.deepEqual(show(mentions), ['RU=russe', 'person:serguei lavrov=Sergueï Lavrov', 'KP=Pyongyang', 'person:kim jong un=Kim Jong-un', 'person:serguei lavrov=Lavrov', 'org:nato=OTAN']);
    for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.surface);
    assert.equal(mentions[0]!.via, 'demonym');
    assert.equal(mentions[2]!.via, 'capital');
    // "Affaires" (from "Affaires étrangères") is no entity.
    assert.ok(!mentions.some((m) => m.surface.includes('Affaires')));
  });

  it('reads English the same way, splitting a title and a demonym off a name', () => {
    const text = 'Russian Foreign Minister Sergei Lavrov met North Korean leader Kim Jong-un; the Kremlin said the DPRK and Russia signed a pact. NATO protested.';
    assert.deepEqual(show(findEntities(text)), ['RU=Russian', 'person:sergei lavrov=Sergei Lavrov', 'KP=North Korean', 'person:kim jong un=Kim Jong-un', 'RU=Kremlin', 'KP=DPRK', 'RU=Russia', 'org:nato=NATO']);
  });

  it('works for any pair of countries (Brazil and Argentina, Japan and Australia)', () => {
    assert.deepEqual(show(findCountryMentions("La Casa Rosada et Brasilia ont signé un accord argentino-brésilien ; les Brésiliens s'en félicitent.")), [
      'AR=Casa Rosada',
      'BR=Brasilia',
      'AR=argentino',
      'BR=brésilien',
      'BR=Brésiliens',
    ]);
    assert.deepEqual(show(findCountryMentions('Canberra and Tokyo: the Australian and Japanese leaders met; Japan hosted.')), ['AU=Canberra', 'JP=Tokyo', 'AU=Australian', 'JP=Japanese', 'JP=Japan']);
  });

  it('knows the French acronyms of country names', () => {
    assert.deepEqual(show(findCountryMentions('La RPDC et la RDC signent.')), ['KP=RPDC', 'CD=RDC']);
  });

  it('needs a capital for names ("turkey", "chad" are words) and a hyphen after a combining form', () => {
    assert.deepEqual(show(findCountryMentions('We ate turkey in Turkey; hanging chad again.')), ['TR=Turkey']);
    assert.deepEqual(show(findCountryMentions('Le style russo reste. Un accord russo-chinois.')), ['RU=russo', 'CN=chinois']);
  });

  it('does not take the capitals of a title-case heading for names', () => {
    const mentions = findEntities('Une Rencontre Diplomatique à Hauts Enjeux\nLa visite a eu lieu.');
    assert.deepEqual(mentions, []);
  });

  it('does not take two capitalised common words for a person when the text writes them in lower case', () => {
    const text = "L'accord a été signé.\nAccord Stratégique | Signature d'un pacte de défense.\nMaria Zakharova a réagi.";
    assert.deepEqual(show(findEntities(text)), ['person:maria zakharova=Maria Zakharova']);
  });

  it('keeps an organisation named after a country whole, and the country too (Air France, Radio France)', () => {
    const fr = findEntities('Les pilotes d’Air France sont en grève. Radio France a diffusé le communiqué.');
    assert.deepEqual(show(fr), ['org:air france=Air France', 'FR=France', 'org:radio france=Radio France', 'FR=France']);
    const en = findEntities('Pilots at Air India walked out on Monday, the union said.');
    assert.deepEqual(show(en), ['org:air india=Air India', 'IN=India']);
  });

  it('takes one institution word alone for no organisation (Turkish Airlines: the country, not "Airlines")', () => {
    assert.deepEqual(show(findEntities('Passengers of Turkish Airlines were stranded. Commission officials declined to comment.')), ['TR=Turkish']);
    assert.deepEqual(show(findEntities('Assemblée et Sénat se sont réunis.')), []);
  });

  it('reads a French institution word with its lower-case adjectives as one organisation (Cour suprême, Commission électorale indépendante)', () => {
    const orgs = (text: string) =>
      findEntities(text)
        .filter((m) => m.kind === 'organisation')
        .map((m) => m.surface);
    assert.deepEqual(orgs('Au Kenya, la Cour suprême a rejeté le recours.'), ['Cour suprême']);
    assert.deepEqual(orgs('La Commission électorale indépendante a proclamé les résultats.'), ['Commission électorale indépendante']);
    assert.deepEqual(orgs('Kenya’s Supreme Court rejected the petition.'), ['Supreme Court']);
    // A verb or a noun after the word is no adjective: the word alone still names nothing.
    assert.deepEqual(orgs('La Cour rejette le recours.'), []);
    assert.deepEqual(orgs('Court hearing set for Monday.'), []);
  });

  it('reads regions, seas, straits and buildings as places, not people', () => {
    const en = findEntities('Exports to Southeast Asia fell. The ships crossed the Tsushima Strait near Cape Erimo, then docked at Naro Space Center.');
    assert.deepEqual(
      en.map((m) => `${m.kind}:${m.surface}`),
      ['place:Southeast Asia', 'place:Tsushima Strait', 'place:Cape Erimo', 'place:Naro Space Center'],
    );
    const fr = findEntities('Des navires ont croisé en Mer Baltique, puis le cortège a quitté le Palais Bourbon.');
    assert.deepEqual(
      fr.map((m) => `${m.kind}:${m.surface}`),
      ['place:Mer Baltique', 'place:Palais Bourbon'],
    );
  });

  it('reads a name opened by a word that opens places only (New, Haut, Upper, El, Al) as a place, not a person', () => {
    const kinds = (text: string) => findEntities(text).map((m) => `${m.kind}:${m.surface}`);
    assert.deepEqual(kinds('Floods hit New Orleans on Monday, then Upper Nile.'), ['place:New Orleans', 'place:Upper Nile']);
    assert.deepEqual(kinds("Un séisme a frappé le Haut Atlas ; les combats ont repris à El Obeid et près d'Al Hudaydah."), ['place:Haut Atlas', 'place:El Obeid', 'place:Al Hudaydah']);
    // Further in a name the article is a surname's part, and a person stays a person.
    assert.deepEqual(kinds('Ahmed El Tayeb a rencontré John Smith.'), ['person:Ahmed El Tayeb', 'person:John Smith']);
  });

  it('keeps a sea named after a country whole, between a compass word and a place word, and the country too', () => {
    assert.deepEqual(
      findEntities('Bombers flew over the East China Sea. Des navires croisaient en Mer de Chine.').map((m) => `${m.kind}:${m.surface}`),
      ['place:East China Sea', 'country:China', 'country:Chine'],
    );
    // Without a compass word before it, the country is the country: Japan Strait names Japan.
    assert.deepEqual(show(findEntities('Ships entered the Japan Strait.')), ['JP=Japan']);
  });

  it('takes the names of wars, summits and numbers for no one', () => {
    assert.deepEqual(findEntities('Since the Second World War, the Cold War and the Climate Summit, little changed.'), []);
    assert.deepEqual(
      findEntities('La Guerre Froide est finie. Twenty-three Socialist deputies abstained.').filter((m) => m.kind === 'person'),
      [],
    );
  });

  it('knows companies, staffs and commands by their institution word', () => {
    const mentions = findEntities('Analysts at Kestrel Research said the Joint Chiefs and Hanwha Aerospace agreed; Dassault Aviation declined.');
    assert.deepEqual(
      mentions.map((m) => `${m.kind}:${m.surface}`),
      ['organisation:Kestrel Research', 'organisation:Joint Chiefs', 'organisation:Hanwha Aerospace', 'organisation:Dassault Aviation'],
    );
  });

  it('takes acronyms of common nouns (GDP, PIB, ICBM) for no organisation, and keeps the others', () => {
    assert.deepEqual(show(findEntities('Defence spending will reach 2% of GDP, the IMF said, after an ICBM test.')), ['org:imf=IMF']);
    assert.deepEqual(show(findEntities('La dette atteint 110 % du PIB selon la CGT.')), ['org:cgt=CGT']);
  });

  it('reads a capital that seats an institution as the institution (Bruxelles, Brussels: the EU), Belgium by its own names', () => {
    assert.deepEqual(show(findEntities('Flotte fantôme : Bruxelles serre encore la vis')), ['org:eu=Bruxelles']);
    assert.deepEqual(show(findEntities('Brussels and Tokyo widen sanctions on tankers')), ['org:eu=Brussels', 'JP=Tokyo']);
    assert.deepEqual(show(findCountryMentions('À Bruxelles, le gouvernement belge et la Belgique')), ['BE=belge', 'BE=Belgique']);
    assert.ok(!countryAliases('BE')!.capitals.includes('Bruxelles'));
  });

  it('matches country names as written, not through the inflection key (Islande is no "Island")', () => {
    for (const text of ['Chinese bombers flew near Miyako Island on Monday.', 'Des navires près de Jeju Island, selon Séoul.', 'A storm hit Vancouver Island.'])
      assert.ok(!findCountryMentions(text).some((m) => m.id === 'IS'), text);
    assert.deepEqual(show(findCountryMentions("L'Islande, Iceland; Reykjavik")), ['IS=Islande', 'IS=Iceland', 'IS=Reykjavik']);
    // A one-word spelling from another language that is a word of other countries' names is not taken for a name.
    assert.ok(!countryAliases('IS')!.names.includes('Island'));
    assert.ok(countryAliases('DE')!.names.every((n) => n !== 'Island'));
  });

  it('gives a combining form two countries share to the sovereign state (franco-: France, not its southern territories)', () => {
    assert.deepEqual(show(findCountryMentions('un compromis franco-allemand, un traité franco-italien')), ['FR=franco', 'DE=allemand', 'FR=franco', 'IT=italien']);
    assert.deepEqual(countryAliases('TF')!.combining, []);
  });

  it('folds names into ids', () => {
    assert.equal(foldName('Kim Jong-un'), 'kim jong un');
    assert.equal(foldName('Sergueï  Lavrov'), 'serguei lavrov');
  });
});

describe('countryCities: large cities read as their country', () => {
  it('keeps cities of 50,000 people or more whose name no comparable city abroad bears', () => {
    const ru = countryCities('RU');
    assert.ok(ru.includes('Vladivostok') && ru.includes('Novosibirsk'));
    assert.ok(countryCities('KP').includes('Rajin'));
    assert.ok(countryCities('DZ').includes('Oran'));
    // Capitals and country names are the gazetteer's: the city list skips them.
    assert.ok(!ru.includes('Moscow'));
    // London, Ontario has a namesake twenty times larger: it does not stand for Canada.
    assert.ok(!countryCities('CA').includes('London'));
    assert.deepEqual(countryCities('XX'), []);
  });
});

describe('compass ellipsis: "le Nord" for a country named by a compass point', () => {
  it('derives the point and its context from the names, for any such country', () => {
    const kp = countryAliases('KP')!;
    assert.deepEqual(kp.ellipses, ['Nord', 'North']);
    for (const w of ['Corée', 'Korea', 'coréen', 'Korean']) assert.ok(kp.ellipsisContext.includes(w), w);
    assert.deepEqual(countryAliases('SS')!.ellipses, ['Sud', 'South']);
    assert.deepEqual(countryAliases('RU')!.ellipses, []);
  });
});
