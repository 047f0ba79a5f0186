import { normalizeTerm } from '../match/normalize.js';

/**
 * French and English stop words: function words, auxiliaries and their
 * conjugations, pronouns, and the adverbs and connectives that news prose is
 * full of. They never start or end a keyword and never enter a reference
 * profile. Written accented; compared after normalizeTerm (lower case, no
 * accents, one apostrophe), so "deja" and "déjà" are the same entry.
 */
export const FRENCH_STOP_WORDS: readonly string[] = [
  // articles, prepositions, conjunctions
  'a', 'à', 'au', 'aux', 'avec', 'ce', 'ces', 'cet', 'cette', 'dans', 'de', 'des', 'du', 'en', 'et', 'ou', 'où', 'par',
  'pour', 'sur', 'sous', 'un', 'une', 'le', 'la', 'les', 'l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'y', 'qu', 'jusqu',
  'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'mais', 'donc', 'or', 'ni', 'car', 'que', 'qui', 'quoi', 'dont', 'si',
  'sinon', 'comme', 'lorsque', 'puisque', 'quand', 'parce', 'afin', 'chez', 'contre', 'entre', 'envers', 'hors',
  'malgré', 'outre', 'parmi', 'pendant', 'près', 'sans', 'selon', 'vers', 'via', 'dès', 'depuis', 'devant',
  'derrière', 'avant', 'après', 'durant', 'jusque', 'jusqu\'à', 'auprès', 'autour', 'travers', 'lors', 'tandis',
  'quant', 'voici', 'voilà', 'excepté', 'hormis', 'moyennant', 'concernant',
  // pronouns and determiners
  'je', 'tu', 'il', 'elle', 'on', 'nous', 'vous', 'ils', 'elles', 'me', 'te', 'se', 'moi', 'toi', 'soi', 'lui', 'eux',
  'leur', 'leurs', 'mon', 'ton', 'son', 'ma', 'ta', 'sa', 'mes', 'tes', 'ses', 'notre', 'votre', 'nos', 'vos',
  'nôtre', 'vôtre', 'nôtres', 'vôtres', 'mien', 'mienne', 'tien', 'tienne', 'sien', 'sienne', 'siens', 'siennes',
  'ceci', 'cela', 'ça', 'celui', 'celle', 'ceux', 'celles', 'lequel', 'laquelle', 'lesquels', 'lesquelles',
  'auquel', 'auxquels', 'auxquelles', 'duquel', 'desquels', 'desquelles', 'quel', 'quelle', 'quels', 'quelles',
  'chaque', 'chacun', 'chacune', 'aucun', 'aucune', 'autre', 'autres', 'autrui', 'certain', 'certaine',
  'certains', 'certaines', 'même', 'mêmes', 'plusieurs', 'quelque', 'quelques', 'quiconque', 'tel', 'telle',
  'tels', 'telles', 'tout', 'toute', 'tous', 'toutes', 'nul', 'nulle', 'rien', 'divers', 'diverses', 'différents',
  // être, avoir, faire, pouvoir, devoir and their common forms
  'être', 'été', 'étant', 'suis', 'es', 'est', 'sommes', 'êtes', 'sont', 'serai', 'seras', 'sera', 'serons',
  'serez', 'seront', 'serais', 'serait', 'serions', 'seriez', 'seraient', 'étais', 'était', 'étions', 'étiez',
  'étaient', 'fus', 'fut', 'fûmes', 'fûtes', 'furent', 'sois', 'soit', 'soyons', 'soyez', 'soient', 'fusse',
  'fût', 'avoir', 'ayant', 'eu', 'eue', 'eues', 'eus', 'ai', 'as', 'avons', 'avez', 'ont', 'aurai', 'auras',
  'aura', 'aurons', 'aurez', 'auront', 'aurais', 'aurait', 'aurions', 'auriez', 'auraient', 'avais', 'avait',
  'avions', 'aviez', 'avaient', 'eut', 'eurent', 'aie', 'aies', 'ait', 'ayons', 'ayez', 'aient', 'eût', 'faire',
  'fait', 'faits', 'faite', 'faites', 'font', 'fera', 'feront', 'ferait', 'faisait', 'pouvoir', 'peut', 'peuvent',
  'pourra', 'pourrait', 'pourraient', 'pouvait', 'pu', 'devoir', 'doit', 'doivent', 'devrait', 'devraient',
  'devra', 'dû', 'va', 'vont', 'allait',
  // adverbs and connectives
  'ne', 'pas', 'plus', 'moins', 'non', 'oui', 'très', 'trop', 'peu', 'bien', 'mal', 'aussi', 'ainsi', 'alors',
  'assez', 'autant', 'beaucoup', 'cependant', 'certes', 'combien', 'comment', 'déjà', 'désormais', 'donc',
  'encore', 'enfin', 'ensuite', 'environ', 'également', 'guère', 'ici', 'là', 'jamais', 'toujours', 'souvent',
  'parfois', 'puis', 'pourquoi', 'pourtant', 'presque', 'notamment', 'néanmoins', 'toutefois', 'seulement',
  'surtout', 'tant', 'tantôt', 'tard', 'tôt', 'vraiment', 'plutôt', 'davantage', 'ailleurs', 'partout',
  'dessus', 'dessous', 'dedans', 'dehors', 'hier', 'demain', 'aujourd', 'hui', 'aujourd\'hui', 'maintenant',
  'actuellement', 'récemment', 'etc', 'cas', 'fois', 'lorsque', 'tandis', 'quoique', 'voire', 'sauf', 'soit',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'cent', 'mille', 'dernier', 'dernière', 'derniers', 'dernières',
];

export const ENGLISH_STOP_WORDS: readonly string[] = [
  'a', 'an', 'the', 'and', 'but', 'if', 'or', 'nor', 'because', 'as', 'until', 'while', 'of', 'at', 'by', 'for',
  'with', 'about', 'against', 'between', 'into', 'through', 'during', 'before', 'after', 'above', 'below', 'to',
  'from', 'up', 'down', 'in', 'out', 'on', 'off', 'over', 'under', 'again', 'further', 'then', 'once', 'here',
  'there', 'when', 'where', 'why', 'how', 'all', 'any', 'both', 'each', 'few', 'more', 'most', 'other', 'others',
  'some', 'such', 'no', 'not', 'only', 'own', 'same', 'so', 'than', 'too', 'very', 'can', 'will', 'just', 'now',
  'also', 'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', 'your', 'yours', 'yourself',
  'yourselves', 'he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself', 'it', 'its', 'itself', 'they',
  'them', 'their', 'theirs', 'themselves', 'what', 'which', 'who', 'whom', 'whose', 'this', 'that', 'these',
  'those', 'am', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'have', 'has', 'had', 'having', 'do', 'does',
  'did', 'doing', 'done', 'would', 'should', 'could', 'might', 'must', 'shall', 'may', 'ought', 'cannot',
  'don\'t', 'doesn\'t', 'didn\'t', 'isn\'t', 'aren\'t', 'wasn\'t', 'weren\'t', 'won\'t', 'wouldn\'t',
  'shouldn\'t', 'couldn\'t', 'can\'t', 'haven\'t', 'hasn\'t', 'hadn\'t', 'it\'s', 'that\'s', 'there\'s',
  'i\'m', 'you\'re', 'we\'re', 'they\'re', 'he\'s', 'she\'s', 'i\'ve', 'we\'ve', 'they\'ve', 'i\'d', 'we\'d',
  'they\'d', 'i\'ll', 'we\'ll', 'they\'ll', 'let\'s', 'within', 'without', 'among', 'amid', 'across', 'along',
  'around', 'behind', 'beside', 'besides', 'beyond', 'despite', 'toward', 'towards', 'upon', 'onto', 'per',
  'via', 'since', 'though', 'although', 'however', 'yet', 'whether', 'either', 'neither', 'thus', 'hence',
  'therefore', 'meanwhile', 'moreover', 'furthermore', 'nevertheless', 'already', 'still', 'even', 'ever',
  'never', 'always', 'often', 'sometimes', 'perhaps', 'rather', 'quite', 'almost', 'much', 'many', 'less',
  'least', 'several', 'every', 'another', 'something', 'anything', 'nothing', 'everything', 'someone', 'anyone',
  'everyone', 'nobody', 'one', 'ones', 'two', 'three', 'four', 'five', 'first', 'second', 'last', 'next',
  'said', 'says', 'say', 'told', 'get', 'got', 'make', 'made', 'well', 'back', 'like', 'mr', 'mrs', 'ms', 'etc',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'yesterday', 'today', 'tomorrow', 'ago', 'according', 'including', 'around', 'whose', 'whom', 'else',
];

/** Both lists normalised, on first use: a run that reads no text (a warm digest with nothing new) pays nothing. */
let stopWords: ReadonlySet<string> | undefined;
function normalizedStopWords(): ReadonlySet<string> {
  stopWords ??= new Set([...FRENCH_STOP_WORDS, ...ENGLISH_STOP_WORDS].map(normalizeTerm));
  return stopWords;
}

/** True for a stop word of either language; `word` may be raw or already normalised. */
export function isStopWord(word: string): boolean {
  return normalizedStopWords().has(normalizeTerm(word));
}

/** isStopWord for a word already folded (lower case, no accents: tokenizeText's words), without normalising it again. */
export function isFoldedStopWord(word: string): boolean {
  return normalizedStopWords().has(word);
}
