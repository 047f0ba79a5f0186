import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizeText } from '../../src/dedupe/fingerprint.js';
import { newsConcepts } from '../../src/dedupe/news-lexicon.js';

const concepts = (text: string) => newsConcepts(tokenizeText(text)).sort();

describe('newsConcepts: words with two meanings', () => {
  it('reads "feu vert" as a go-ahead and "nous avions" as the verb, not a fire or planes', () => {
    assert.deepEqual(concepts('Le Sénat donne son feu vert au texte'), ['c:parliament']);
    assert.deepEqual(concepts('« Nous n’avions pas le choix », dit la ministre'), []);
    assert.deepEqual(concepts('Si nous avions su, nous aurions agi'), []);
    // The nouns keep their meaning.
    assert.deepEqual(concepts('Un feu de forêt près des avions au sol'), ['c:aircraft', 'c:fire']);
  });

  it('does not read "don\'t" as a donation, while French "dons" still are aid', () => {
    assert.deepEqual(concepts("We don't know yet"), []);
    assert.deepEqual(concepts('Les dons affluent après le séisme'), ['c:aid', 'c:earthquake']);
  });

  it('reads a sense phrase as its own concept only: an election round is no visit, a return to work no release, a central bank no power plant', () => {
    assert.deepEqual(concepts('Le sortant en tête du premier tour'), ['c:election']);
    assert.deepEqual(concepts('Un second tour dans deux semaines'), ['c:election']);
    assert.deepEqual(concepts('A run-off in two weeks'), ['c:election']);
    assert.deepEqual(concepts('Le ministre entame une tournée en Asie'), ['c:visit']);
    assert.deepEqual(concepts('Dockers return to work'), ['c:port', 'c:strike']);
    assert.deepEqual(concepts('Les dockers annoncent la reprise du travail'), ['c:port', 'c:strike']);
    assert.deepEqual(concepts('Prisoners return home'), ['c:prisoner', 'c:release']);
    assert.deepEqual(concepts('Les otages sont de retour'), ['c:prisoner', 'c:release']);
    assert.deepEqual(concepts('La banque centrale relève ses taux'), ['c:centralbank', 'c:rate', 'c:rise']);
    assert.deepEqual(concepts('Une centrale thermique à l’arrêt'), ['c:arrest', 'c:power']);
  });

  it('keeps a vote (any vote) apart from an election, and a raise (any rise) apart from wages', () => {
    assert.deepEqual(concepts('Lawmakers voted the bill'), ['c:parliament', 'c:vote']);
    assert.deepEqual(concepts('Les députés ont voté le texte'), ['c:parliament', 'c:vote']);
    assert.deepEqual(concepts('Polls open in the presidential election'), ['c:election']);
    assert.deepEqual(concepts('Ouverture du scrutin présidentiel'), ['c:election']);
    assert.deepEqual(concepts('The central bank raises rates'), ['c:centralbank', 'c:rate', 'c:rise']);
    assert.deepEqual(concepts('Nurses win a pay raise'), ['c:wages']);
    assert.deepEqual(concepts('Les infirmières obtiennent une hausse des salaires'), ['c:rise', 'c:wages']);
  });
});

describe('newsConcepts: one concept across the two languages', () => {
  it('reads a fine, an amende and a penalty as one financial penalty, not as sanctions on a country', () => {
    assert.deepEqual(concepts('Regulator fines the lender'), ['c:penalty']);
    assert.deepEqual(concepts('Le régulateur inflige une amende au prêteur'), ['c:penalty']);
    assert.deepEqual(concepts('A record penalty'), ['c:penalty']);
    assert.deepEqual(concepts('Une sanction financière record'), ['c:penalty']);
    assert.deepEqual(concepts('New sanctions on the regime'), ['c:sanction']);
    assert.deepEqual(concepts('De nouvelles sanctions contre le régime'), ['c:sanction']);
  });
});
