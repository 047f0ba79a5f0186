import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizeText } from '../../src/dedupe/fingerprint.js';
import { extractQuantities, wordOrdinals } from '../../src/dedupe/quantities.js';

const keys = (text: string, language: 'fr' | 'en' | null) => extractQuantities(text, language).sort();

describe('extractQuantities', () => {
  it('reads French and English writings of one figure as one key', () => {
    assert.deepEqual(keys('Les 2 400 mineurs ont reçu 3,5 milliards de dollars.', 'fr'), keys('The 2,400 miners received $3.5 billion.', 'en'));
    assert.deepEqual(keys('2\u00a0400 mineurs', 'fr'), ['q:2400']);
    assert.deepEqual(keys('un taux de 4,25 %', 'fr'), keys('a rate of 4.25%', 'en'));
    assert.deepEqual(keys('un taux de 4,25\u00a0%', 'fr'), ['q:4.25%']);
    assert.deepEqual(keys('4.25 per cent', 'en'), ['q:4.25%']);
    assert.deepEqual(keys('5,00 %', 'fr'), keys('5%', 'en'));
  });

  it('applies the scale words of each language (a French billion is a thousand milliards)', () => {
    assert.deepEqual(keys('12 billion', 'en'), ['q:12000000000']);
    assert.deepEqual(keys('12 milliards', 'fr'), ['q:12000000000']);
    assert.deepEqual(keys('2 billions de yens', 'fr'), keys('2 trillion yen', 'en'));
    assert.deepEqual(keys('€40bn', 'en'), ['q:40000000000']);
  });

  it('tells a decimal comma from a thousands comma by the language', () => {
    assert.deepEqual(keys('1,250', 'en'), ['q:1250']);
    assert.deepEqual(keys('1,250', 'fr'), ['q:1.25']);
    assert.deepEqual(keys('1.250', 'en'), ['q:1.25']);
  });

  it('keeps ordinals apart from counts', () => {
    assert.deepEqual(keys('the 14th round', 'en'), ['q:14th']);
    assert.deepEqual(keys('le 14e cycle', 'fr'), ['q:14th']);
  });

  it('reads ordinals written in words in both languages, from the tenth on', () => {
    const ordinals = (text: string) => wordOrdinals(tokenizeText(text)).sort();
    assert.deepEqual(ordinals('le quatorzième cycle de pourparlers'), ['q:14th']);
    assert.deepEqual(ordinals('the fourteenth round of talks'), ['q:14th']);
    assert.deepEqual(ordinals('son vingt-troisième paquet de mesures'), ordinals('its twenty-third package'));
    assert.deepEqual(ordinals('son vingt-troisième paquet'), keys('its 23rd package', 'en'));
    assert.deepEqual(ordinals('le trente et unième sommet'), ['q:31st']);
    // Under the tenth they are the stock of any week (fourth quarter, third time, Premier ministre): no key.
    assert.deepEqual(ordinals('au quatrième trimestre, pour la troisième fois, le Premier ministre, un unième'), []);
    assert.deepEqual(ordinals('a second time in the fourth quarter'), []);
  });

  it('leaves out dates, clock times and bare years: they say when, not what', () => {
    assert.deepEqual(keys('le 3 mars 2031 à 14h30', 'fr'), []);
    assert.deepEqual(keys('on March 3, 2031 at 02:15', 'en'), []);
    assert.deepEqual(keys('by 2040, 300 new buses', 'en'), ['q:300']);
  });

  it('drops the sign of a change: a fall of 1.4% and -1.4% are one figure', () => {
    assert.deepEqual(keys('output fell 1.4%', 'en'), keys('production : −1,4 %', 'fr'));
  });
});
