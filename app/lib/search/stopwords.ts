/**
 * English function words left out of the keyword index: they carry almost no ranking signal
 * (BM25 gives them an idf near zero) but have the longest posting lists. Lunr's list, which the
 * SciFact measurement in scripts/eval-search.ts was tuned with.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a able about across after all almost also am among an and any are as at be because been but by ' +
    'can cannot could dear did do does either else ever every for from get got had has have he her ' +
    'hers him his how however i if in into is it its just least let like likely may me might most ' +
    'must my neither no nor not of off often on only or other our own rather said say says she ' +
    'should since so some than that the their them then there these they this tis to too twas us ' +
    'wants was we were what when where which while who whom why will with would yet you your'
  ).split(' ')
);
