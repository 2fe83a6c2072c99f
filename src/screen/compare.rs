//! Token-level fuzzy comparison of two normalised names.
//!
//! Each token of one name is paired with at most one token of the other (an optimal assignment
//! for names of up to [`EXACT_ASSIGNMENT_LIMIT`] tokens, greedy beyond). A pair of words scores
//! a blend of their edit-distance ratio (1 − edits / length, with transpositions) and their
//! Jaro–Winkler similarity, rescaled so that the floor of [`Tuning::similarity_floor`] maps to 0
//! (unrelated words do not count at all). The name score is the weighted share of the two
//! names that the pairs cover, where long tokens weigh more than short ones and particles,
//! patronymics and numbers less, and where a token left over on *both* sides (a conflict:
//! `Lavrov` against `Ivanov`) costs ten times more than a token present on one side only (a
//! missing middle name). Then:
//!
//! - an initial matches a word starting with its letter, at a reduced score; initials,
//!   particles and numbers alone are no match (`K M A` is not `Mahan Air`);
//! - one word in common with other words left over is weak evidence (`Olga Petrova` /
//!   `OLGA`): the score is lowered;
//! - a word written as one may match two or three written apart (`SiemensAG`, `Goodwill` /
//!   `Good Will`); a one-word name of three to eight letters may be the acronym of the other
//!   (`IRGC`), at a reduced score;
//! - legal forms of different generic classes (`AG` / `GmbH`) and a reversed patronymic link
//!   (`Salman bin Muhammad` / `Muhammad bin Salman`) lower the score.
//!
//! The numbers in [`TUNING`] were chosen by a coarse grid search on `names/name-pairs.csv`
//! (the best threshold was stable between the two halves of the file), then the single-word
//! and initial rules were tightened for screening whole lists, at a cost of 0.005 in F1 there.

use serde::Serialize;

use super::match_note::{JoinedWords, MatchNote, NameSide};
use super::normalize::{NormalizedName, Token, TokenClass};

/// Names longer than this many tokens (on the longer side) are assigned greedily.
pub(crate) const EXACT_ASSIGNMENT_LIMIT: usize = 10;

/// Words beyond this many in a name are not compared (no listed name comes near).
pub(crate) const MAX_TOKENS: usize = 64;

/// The knobs of the score, kept together so they can be tuned as a whole.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Weight factor of particles.
    pub particle_weight: f64,
    /// Weight factor of numbers.
    pub number_weight: f64,
    /// Word similarity (the blend) below this is no match at all.
    pub similarity_floor: f64,
    /// Exponent applied to the word similarity rescaled above the floor.
    pub similarity_power: f64,
    /// Similarity of an initial to a word starting with that letter.
    pub initial_score: f64,
    /// Penalty factor on the weight of tokens unmatched on both sides.
    pub conflict_penalty: f64,
    /// Penalty factor on the weight of tokens unmatched on one side only.
    pub extra_penalty: f64,
    /// Score factor when both names carry legal forms of different generic classes.
    pub legal_form_conflict: f64,
    /// Score when the names are equal once spaces are ignored (`SiemensAG` / `Siemens AG`).
    pub compact_equal: f64,
    /// Minimum similarity of two names written in different numbers of words, spaces ignored,
    /// for that similarity to count (`Tesrkiybereg` / `TERSKIY BEREG`).
    pub compact_floor: f64,
    /// Minimum similarity of a word to two or three joined words for them to be merged.
    pub merge_floor: f64,
    /// Words this short or shorter only match exactly.
    pub min_fuzzy_len: usize,
    /// Share of the edit-distance ratio (1 − edits / length) blended into Jaro–Winkler.
    pub edit_blend: f64,
    /// Penalty factor on one-sided extra tokens when either name carries a legal form.
    pub org_extra_penalty: f64,
    /// Score factor when `x bin y` in one name is `y bin x` in the other.
    pub patronym_swap: f64,
    /// Penalty factor on the larger side's surplus of unmatched weight in a conflict.
    pub conflict_remainder_penalty: f64,
    /// Weight factor of patronymics.
    pub patronymic_weight: f64,
    /// Score factor when only one word pair matches and other words are left over.
    pub single_word_factor: f64,
    /// Similarity of an acronym to the words it stands for.
    pub acronym_score: f64,
    /// Similarity of a three-letter acronym to three words with those initials: one three-word
    /// name in a few hundred has the initials of some listed three-letter acronym, so this alone
    /// stays below the default threshold.
    pub short_acronym_score: f64,
    /// Score factor when one name is a single word and the other has more words besides the
    /// one they share (`NOAH` inside `Noah Gupta`, `EXPLORER` inside `Morning Explorer`).
    pub one_word_name_factor: f64,
    /// Further penalty factor on the weight of a listed person's first given name left
    /// unmatched (`Ahmed Hassan` names neither `Adnan` of `AHMED, Adnan S. Hasan`).
    pub missing_first_given_penalty: f64,
    /// The least score of two one-word names one slip apart (see [`one_word_slip`]).
    pub one_word_slip_score: f64,
}

/// Words shorter than this, as written, are not compared for a slip past their standard
/// spelling.
const SLIP_MIN_LEN: usize = 5;

/// Syllables of two Hangul names match only when equal.
const HANGUL_SIMILARITY_FLOOR: f64 = 0.999;

/// The tuning used by [`similarity`](super::similarity) and the index.
pub(crate) const TUNING: Tuning = Tuning {
    particle_weight: 0.3,
    number_weight: 0.5,
    similarity_floor: 0.6,
    similarity_power: 0.4,
    initial_score: 0.7,
    conflict_penalty: 2.0,
    extra_penalty: 0.2,
    legal_form_conflict: 0.6,
    compact_equal: 0.97,
    compact_floor: 0.8,
    merge_floor: 0.92,
    min_fuzzy_len: 1,
    edit_blend: 0.8,
    org_extra_penalty: 0.3,
    patronym_swap: 0.5,
    conflict_remainder_penalty: 0.5,
    patronymic_weight: 0.7,
    single_word_factor: 0.9,
    acronym_score: 0.85,
    short_acronym_score: 0.7,
    one_word_name_factor: 0.8,
    missing_first_given_penalty: 0.0,
    one_word_slip_score: 0.82,
};

/// The tuning for listed people: the same, but no acronyms (people are not listed under the
/// initials of their names, and reading three words of a query as a one-word name scored
/// unrelated people at 0.85), and a listed first given name the query does not name costs more
/// than a middle name it leaves out.
pub(crate) const TUNING_PERSONS: Tuning = Tuning {
    acronym_score: 0.0,
    short_acronym_score: 0.0,
    missing_first_given_penalty: 1.0,
    ..TUNING
};

/// The tuning for listed vessels: a vessel's name is compared whole. A word left over on either
/// side counts as much as a word in conflict (`MORNING EXPLORER` is another ship than `EXPLORER`,
/// as `RUNG RA 1` is another than `RUNG RA 2`), and vessels have no acronyms.
pub(crate) const TUNING_VESSELS: Tuning = Tuning {
    extra_penalty: 1.0,
    org_extra_penalty: 1.0,
    acronym_score: 0.0,
    short_acronym_score: 0.0,
    ..TUNING
};

/// Two tokens paired by the comparison, with their similarity.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TokenPair {
    /// The token of the query (or first) name.
    pub query: String,
    /// The token of the candidate (or second) name.
    pub candidate: String,
    /// Their similarity, 0–1.
    pub score: f64,
}

/// The result of comparing two names, with what lies behind the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The score, 0–1.
    pub score: f64,
    /// The token pairs behind it, with their scores.
    pub pairs: Vec<TokenPair>,
    /// Tokens of the query name left unmatched.
    pub unmatched_query: Vec<String>,
    /// Tokens of the candidate name left unmatched.
    pub unmatched_candidate: Vec<String>,
    /// Other things that moved the score (legal forms in conflict, names equal without spaces).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<MatchNote>,
}

impl Comparison {
    fn empty() -> Comparison {
        Comparison {
            score: 0.0,
            pairs: Vec::new(),
            unmatched_query: Vec::new(),
            unmatched_candidate: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Jaro–Winkler similarity of two character sequences (prefix scale 0.1, prefix up to 4).
pub(crate) fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    let jaro = jaro(a, b);
    let prefix = a
        .iter()
        .zip(b.iter())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Words up to this many characters are compared without allocating.
const SHORT: usize = 63;

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
pub(crate) fn osa_distance(a: &[char], b: &[char]) -> usize {
    if b.len() < SHORT {
        let mut rows = [[0usize; SHORT + 1]; 3];
        osa_rows(a, b, &mut rows)
    } else {
        let mut rows = vec![vec![0usize; b.len() + 1]; 3];
        osa_rows(a, b, &mut rows)
    }
}

fn osa_rows<R: AsMut<[usize]>>(a: &[char], b: &[char], rows: &mut [R]) -> usize {
    let cell = |rows: &mut [R], i: usize, j: usize| -> usize {
        rows.get_mut(i % 3)
            .and_then(|r| r.as_mut().get(j).copied())
            .unwrap_or(usize::MAX / 2)
    };
    let set = |rows: &mut [R], i: usize, j: usize, v: usize| {
        if let Some(c) = rows.get_mut(i % 3).and_then(|r| r.as_mut().get_mut(j)) {
            *c = v;
        }
    };
    for j in 0..=b.len() {
        set(rows, 0, j, j);
    }
    for (i, ca) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        set(rows, i, 0, i);
        for (j, cb) in b.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let cost = usize::from(ca != cb);
            let mut best = (cell(rows, i - 1, j) + 1)
                .min(cell(rows, i, j - 1) + 1)
                .min(cell(rows, i - 1, j - 1) + cost);
            if i > 1 && j > 1 && Some(ca) == b.get(j - 2) && a.get(i - 2) == Some(cb) {
                best = best.min(cell(rows, i - 2, j - 2) + 1);
            }
            set(rows, i, j, best);
        }
    }
    cell(rows, a.len(), b.len())
}

/// Jaro similarity.
fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    if a == b {
        return 1.0;
    }
    if a.len() > 64 || b.len() > 64 {
        return jaro_long(a, b);
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_used, mut b_used) = (0u64, 0u64);
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if b_used & (1 << j) == 0 && b.get(j) == Some(ca) {
                b_used |= 1 << j;
                a_used |= 1 << i;
                break;
            }
        }
    }
    let m = a_used.count_ones() as usize;
    if m == 0 {
        return 0.0;
    }
    let a_matched = a.iter().enumerate().filter(|(i, _)| a_used & (1 << i) != 0);
    let b_matched = b.iter().enumerate().filter(|(j, _)| b_used & (1 << j) != 0);
    let transpositions = a_matched
        .zip(b_matched)
        .filter(|((_, x), (_, y))| x != y)
        .count()
        / 2;
    let m = m as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0
}

/// Jaro similarity of words too long for the bit masks.
fn jaro_long(a: &[char], b: &[char]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matched: Vec<char> = Vec::with_capacity(a.len());
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if let (Some(cb), Some(used)) = (b.get(j), b_used.get_mut(j))
                && !*used
                && cb == ca
            {
                *used = true;
                a_matched.push(*ca);
                break;
            }
        }
    }
    let m = a_matched.len();
    if m == 0 {
        return 0.0;
    }
    let b_matched = b
        .iter()
        .zip(b_used.iter())
        .filter(|(_, used)| **used)
        .map(|(c, _)| c);
    let transpositions = a_matched
        .iter()
        .zip(b_matched)
        .filter(|(x, y)| x != y)
        .count()
        / 2;
    let m = m as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0
}

impl Tuning {
    /// The weight of a token in the score.
    pub(crate) fn weight(&self, token: &Token) -> f64 {
        let base = token.length_weight;
        match token.class {
            TokenClass::Word | TokenClass::Initial => base,
            TokenClass::Patronymic => base * self.patronymic_weight,
            TokenClass::Particle => base * self.particle_weight,
            TokenClass::Number => base * self.number_weight,
        }
    }

    /// Similarity of two tokens, 0–1.
    pub(crate) fn token_similarity(&self, a: &Token, b: &Token) -> f64 {
        if a.text == b.text {
            return if a.acronym || b.acronym {
                if a.len() <= 3 {
                    self.short_acronym_score
                } else {
                    self.acronym_score
                }
            } else {
                1.0
            };
        }
        match (a.class, b.class) {
            (TokenClass::Number, _) | (_, TokenClass::Number) => 0.0,
            (TokenClass::Initial, TokenClass::Initial) => 0.0,
            (TokenClass::Initial, _) => self.initial_match(a, b),
            (_, TokenClass::Initial) => self.initial_match(b, a),
            (TokenClass::Patronymic, TokenClass::Patronymic) => self.spelled_similarity(a, b),
            (TokenClass::Patronymic, _) | (_, TokenClass::Patronymic) => 0.0,
            _ => self.spelled_similarity(a, b),
        }
    }

    /// Similarity of two words in their standard spellings or, where a spelling equivalence
    /// changed either and the words as written are one slip apart, as written, whichever is
    /// closer: `Alexznder` is a slip from `Alexander` as written, not from its standard spelling
    /// `aleksandr`. Only a slip counts, and only in words of [`SLIP_MIN_LEN`] letters or more:
    /// short names one letter apart as written (`Park` / `Mark`, `Choi` / `Chai`) are other
    /// names, not misspellings.
    fn spelled_similarity(&self, a: &Token, b: &Token) -> f64 {
        let read = self.word_similarity(&a.chars, &b.chars);
        if read >= 1.0 || (a.written.is_none() && b.written.is_none()) {
            return read;
        }
        let (x, y) = (a.written_chars(), b.written_chars());
        if x.len().min(y.len()) < SLIP_MIN_LEN || osa_distance(x, y) != 1 {
            return read;
        }
        read.max(self.word_similarity(x, y))
    }

    fn initial_match(&self, initial: &Token, word: &Token) -> f64 {
        if word.class == TokenClass::Word && initial.chars.first() == word.chars.first() {
            self.initial_score
        } else {
            0.0
        }
    }

    /// Similarity of two words: the blend of edit-distance ratio and Jaro–Winkler, rescaled so
    /// that the floor maps to 0.
    pub(crate) fn word_similarity(&self, a: &[char], b: &[char]) -> f64 {
        if a == b {
            return 1.0;
        }
        if a.len().min(b.len()) <= self.min_fuzzy_len {
            return 0.0;
        }
        let (short, long) = (a.len().min(b.len()) as f64, a.len().max(b.len()) as f64);
        // Upper bounds from the lengths alone: Jaro–Winkler at most that of a prefix, the edit
        // ratio at most short / long.
        let jaro_bound = (2.0 + short / long) / 3.0;
        let jw_bound = jaro_bound + 0.4 * (1.0 - jaro_bound);
        let blend = self.edit_blend;
        if (1.0 - blend) * jw_bound + blend * (short / long) < self.similarity_floor {
            return 0.0;
        }
        let mut sim = jaro_winkler(a, b);
        if blend > 0.0 {
            if (1.0 - blend) * sim + blend * (short / long) < self.similarity_floor {
                return 0.0;
            }
            let edits = osa_distance(a, b) as f64;
            let ratio = 1.0 - edits / long;
            sim = (1.0 - blend) * sim + blend * ratio;
        }
        if sim < self.similarity_floor {
            return 0.0;
        }
        let rescaled = (sim - self.similarity_floor) / (1.0 - self.similarity_floor);
        rescaled.powf(self.similarity_power)
    }
}

/// Compares two normalised names. With `explain` false only the score is worked out (the token
/// pairs, leftovers and notes stay empty): the fast path for ranking candidates.
pub(crate) fn compare(
    tuning: &Tuning,
    query: &NormalizedName,
    candidate: &NormalizedName,
    explain: bool,
) -> Comparison {
    if query.tokens.is_empty() || candidate.tokens.is_empty() {
        return Comparison::empty();
    }
    // Two names in Hangul or Han characters are compared syllable by syllable as written: a
    // different syllable is a different name (`김종은` is not `김정은`, `习近朋` not `习近平`),
    // though their romanisations are near.
    if query.syllabic && candidate.syllabic {
        let exact = Tuning {
            similarity_floor: HANGUL_SIMILARITY_FLOOR,
            ..*tuning
        };
        return compare(
            &exact,
            &query.as_written(),
            &candidate.as_written(),
            explain,
        );
    }
    // A name in Arabic script against one in Latin letters: both read as consonant skeletons,
    // since Arabic leaves short vowels unwritten (`محمد` / `Mohamed`).
    if query.arabic != candidate.arabic {
        let mut skeletons = compare(
            tuning,
            &query.as_skeleton(),
            &candidate.as_skeleton(),
            explain,
        );
        if explain {
            skeletons
                .notes
                .insert(0, MatchNote::ArabicComparedByConsonants);
        }
        return skeletons;
    }
    let organisation = !query.legal_forms.is_empty() || !candidate.legal_forms.is_empty();
    let q_tokens = query.tokens.get(..MAX_TOKENS).unwrap_or(&query.tokens);
    let c_tokens = candidate
        .tokens
        .get(..MAX_TOKENS)
        .unwrap_or(&candidate.tokens);
    let mut best = score_tokens(tuning, q_tokens, c_tokens, organisation, explain);
    if explain && (q_tokens.len() < query.tokens.len() || c_tokens.len() < candidate.tokens.len()) {
        best.notes.push(MatchNote::WordsCut {
            compared: MAX_TOKENS,
        });
    }
    // Joined words and acronyms can only help when something is left to explain.
    if best.score < 1.0 {
        for (q, c, note) in restructurings(tuning, q_tokens, c_tokens) {
            let mut alternative = score_tokens(tuning, &q, &c, organisation, explain);
            if alternative.score > best.score {
                if explain {
                    alternative.notes.insert(0, note);
                }
                best = alternative;
            }
        }
    }
    if best.score < tuning.one_word_slip_score && one_word_slip(q_tokens, c_tokens) {
        best.score = tuning.one_word_slip_score;
        if explain {
            best.notes.push(MatchNote::OneSlipInOneWord);
        }
    }
    legal_form_adjustment(tuning, query, candidate, &mut best, explain);
    if best.score < tuning.compact_equal
        && let Some((score, note)) = compact_score(tuning, query, candidate)
        && score > best.score
    {
        best.score = score;
        if explain {
            best.notes.push(note);
        }
    }
    best.score = best.score.clamp(0.0, 1.0);
    best
}

/// The score of two names compared with their spaces left out, in the order written or (for
/// `FAMILY, Given` names) the order said: equal (`SiemensAG` / `Siemens AG`, `Jinryu` / `RYU,
/// Jin`) scores [`Tuning::compact_equal`]; near, when the names are written in a different
/// number of words (`Tesrkiybereg` / `TERSKIY BEREG`), that times the similarity of the two
/// strings, if it reaches [`Tuning::compact_floor`].
fn compact_score(
    tuning: &Tuning,
    query: &NormalizedName,
    candidate: &NormalizedName,
) -> Option<(f64, MatchNote)> {
    let forms = [
        (&query.compact, &candidate.compact),
        (&query.compact, &candidate.compact_natural),
        (&query.compact_natural, &candidate.compact),
    ];
    if let Some((q, _)) = forms.iter().find(|(q, c)| q.chars().count() >= 4 && q == c) {
        return Some((
            tuning.compact_equal,
            MatchNote::EqualWithoutSpaces {
                compact: (*q).clone(),
            },
        ));
    }
    if query.compact_words == candidate.compact_words {
        return None;
    }
    let mut best: Option<(f64, MatchNote)> = None;
    for (q, c) in forms {
        let (qc, cc): (Vec<char>, Vec<char>) = (q.chars().collect(), c.chars().collect());
        if qc.len().min(cc.len()) < COMPACT_FUZZY_MIN || qc.len().max(cc.len()) > COMPACT_FUZZY_MAX
        {
            continue;
        }
        let similarity = tuning.word_similarity(&qc, &cc);
        if similarity >= tuning.compact_floor && best.as_ref().is_none_or(|(s, _)| similarity > *s)
        {
            best = Some((
                similarity,
                MatchNote::AlikeWithoutSpaces {
                    query: q.clone(),
                    candidate: c.clone(),
                },
            ));
        }
    }
    best.map(|(similarity, note)| (similarity * tuning.compact_equal, note))
}

/// Whether both names are one word, of [`SLIP_MIN_LEN`] letters or more, one slip of the
/// keyboard apart (one letter replaced, dropped, added, or two swapped) in their standard
/// spellings or as written. A one-word name's score is its word's, with no other word to carry
/// a slip: one slip in a five-letter word scores about 0.78, so a one-word vessel or company
/// name with a typo (`Kxdos` for the vessel `KADOS`) fell below the threshold that the same slip
/// in a name of two words clears.
fn one_word_slip(query: &[Token], candidate: &[Token]) -> bool {
    let ([q], [c]) = (query, candidate) else {
        return false;
    };
    let word = |t: &Token| t.class == TokenClass::Word && !t.acronym;
    let slip =
        |a: &[char], b: &[char]| a.len().min(b.len()) >= SLIP_MIN_LEN && osa_distance(a, b) == 1;
    word(q) && word(c) && (slip(&q.chars, &c.chars) || slip(q.written_chars(), c.written_chars()))
}

/// Names shorter than this without spaces are compared that way only when equal.
const COMPACT_FUZZY_MIN: usize = 6;

/// Names longer than this without spaces are compared that way only when equal.
const COMPACT_FUZZY_MAX: usize = 40;

/// Applies the legal-form rule: both names carry legal forms and no generic class is shared.
fn legal_form_adjustment(
    tuning: &Tuning,
    query: &NormalizedName,
    candidate: &NormalizedName,
    comparison: &mut Comparison,
    explain: bool,
) {
    let (q, c) = (generic_classes(query), generic_classes(candidate));
    if !q.is_empty() && !c.is_empty() && !q.iter().any(|g| c.contains(g)) {
        comparison.score *= tuning.legal_form_conflict;
        if explain {
            comparison.notes.push(MatchNote::LegalFormsDiffer {
                query: q.iter().map(|g| g.to_string()).collect(),
                candidate: c.iter().map(|g| g.to_string()).collect(),
            });
        }
    }
}

fn generic_classes(name: &NormalizedName) -> Vec<&str> {
    name.legal_forms
        .iter()
        .filter_map(|f| f.generic.as_deref())
        .collect()
}

/// Alternative token lists where words written together on one side are compared with words
/// written apart on the other, or an acronym with the words it stands for; each with a note.
/// Words are joined in the order written and, for a name written `FAMILY, Given`, in the order
/// said too, so that how a list writes a name does not change its score: `Abuyasir` joins
/// `YASIR, Abu` as it joins `ABU YASIR`.
fn restructurings(
    tuning: &Tuning,
    query: &[Token],
    candidate: &[Token],
) -> Vec<(Vec<Token>, Vec<Token>, MatchNote)> {
    let mut out = Vec::new();
    let spoken = spoken_order(query, candidate);
    for target in std::iter::once(candidate).chain(spoken.as_deref()) {
        if let Some((merged, joins)) = merge_against(tuning, query, target) {
            out.push((
                query.to_vec(),
                merged,
                MatchNote::WordsJoined {
                    side: NameSide::Listed,
                    joins,
                },
            ));
        }
    }
    let spoken = spoken_order(candidate, query);
    for target in std::iter::once(query).chain(spoken.as_deref()) {
        if let Some((merged, joins)) = merge_against(tuning, candidate, target) {
            out.push((
                merged,
                candidate.to_vec(),
                MatchNote::WordsJoined {
                    side: NameSide::Query,
                    joins,
                },
            ));
        }
    }
    out
}

/// `tokens`, a name written `FAMILY, Given` (its first given name marked), in the order said:
/// the given names, then the family name; only where that order puts side by side words that a
/// word of `reference` may be written for (the same first letter, about the joined length, as
/// [`join_at`] asks), since only those joins are new.
fn spoken_order(reference: &[Token], tokens: &[Token]) -> Option<Vec<Token>> {
    let k = tokens
        .iter()
        .position(|t| t.first_given)
        .filter(|&k| k > 0)?;
    let (family, given) = tokens.split_at(k);
    // The runs of two or three words that cross from the given names into the family name.
    let runs = [
        [given.last(), family.first(), None],
        [
            given.len().checked_sub(2).and_then(|i| given.get(i)),
            given.last(),
            family.first(),
        ],
        [given.last(), family.first(), family.get(1)],
    ];
    let fits = |run: &[Option<&Token>; 3], r: &Token| {
        let parts: Vec<&Token> = run.iter().map_while(|t| *t).collect();
        let whole = run.iter().filter(|t| t.is_some()).count() == parts.len();
        let joined: usize = parts.iter().map(|t| t.len()).sum();
        whole
            && parts.len() >= 2
            && r.class == TokenClass::Word
            && r.len() >= 4
            && r.len().abs_diff(joined) <= 2
            && parts.first().and_then(|t| t.folded.chars().next()) == r.chars.first().copied()
    };
    let joinable = reference
        .iter()
        .any(|r| runs.iter().any(|run| fits(run, r)));
    joinable.then(|| given.iter().chain(family).cloned().collect())
}

/// A run of `target[start..start + len]` to read as the single word `text`.
struct Join {
    start: usize,
    len: usize,
    text: String,
    acronym: bool,
}

/// `target` with runs of two or three adjacent tokens joined where the join matches a token of
/// `reference` better than the parts do, with a description of each join; `None` when nothing
/// is joined.
fn merge_against(
    tuning: &Tuning,
    reference: &[Token],
    target: &[Token],
) -> Option<(Vec<Token>, Vec<JoinedWords>)> {
    if target.len() < 2 {
        return None;
    }
    let mut joins: Vec<Join> = Vec::new();
    let mut i = 0;
    while i + 1 < target.len() {
        // An acronym (a one-word name of three to eight letters) first, then joined words.
        let acronym_run = match reference {
            [only] if (3..=8).contains(&only.len()) => Some(only.len()),
            _ => None,
        };
        let found = acronym_run
            .into_iter()
            .chain([3usize, 2])
            .find_map(|run| join_at(tuning, reference, target, i, run));
        match found {
            Some(join) => {
                i += join.len;
                joins.push(join);
            }
            None => i += 1,
        }
    }
    if joins.is_empty() {
        return None;
    }
    let mut result = Vec::with_capacity(target.len());
    let mut notes = Vec::with_capacity(joins.len());
    let mut next = 0;
    for join in joins {
        result.extend(
            target
                .get(next..join.start)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
        let words = target
            .get(join.start..join.start + join.len)
            .unwrap_or_default()
            .iter()
            .map(|t| t.folded.clone())
            .collect();
        notes.push(JoinedWords {
            words,
            joined: join.text.clone(),
            acronym: join.acronym,
        });
        next = join.start + join.len;
        result.push(Token::merged(join.text, join.acronym));
    }
    result.extend(target.get(next..).unwrap_or_default().iter().cloned());
    Some((result, notes))
}

/// Whether `target[start..start + run]` joined (or as an acronym) matches a token of
/// `reference` better than its parts do.
fn join_at(
    tuning: &Tuning,
    reference: &[Token],
    target: &[Token],
    start: usize,
    run: usize,
) -> Option<Join> {
    let parts = target.get(start..start + run)?;
    // Particles may be part of a word written together (`RUNG RA DO` / `Rungrado`, `Al Qaeda`
    // / `Alqaeda`); the join must still match a word of the other name.
    if parts.iter().any(|t| t.class == TokenClass::Number) {
        return None;
    }
    let joined_len: usize = parts.iter().map(|t| t.len()).sum();
    let first = parts.first()?.folded.chars().next();
    // An acronym stands alone: a name of one word of three letters or more (`PLA`, `IRGC`)
    // may abbreviate three or more words of the other; `Kim Chol` is not `Khuri Imad Mtanyus`.
    let acronym_allowed = run >= 3 && reference.len() == 1;
    for r in reference {
        if r.class == TokenClass::Number {
            continue;
        }
        if acronym_allowed
            && r.class == TokenClass::Word
            && r.len() == run
            && r.chars
                .iter()
                .zip(parts)
                .all(|(c, p)| p.chars.first() == Some(c))
        {
            return Some(Join {
                start,
                len: run,
                text: r.text.clone(),
                acronym: true,
            });
        }
        // Cheap tests first: two or three words, similar length, same first letter.
        if run > 3
            || r.len() < 4
            || r.len().abs_diff(joined_len) > 2
            || r.chars.first() != first.as_ref()
        {
            continue;
        }
        let joined: String = parts.iter().map(|t| t.folded.as_str()).collect();
        let joined_chars: Vec<char> = joined.chars().collect();
        if tuning.word_similarity(&r.chars, &joined_chars) >= tuning.merge_floor
            && parts
                .iter()
                .all(|p| tuning.token_similarity(r, p) < tuning.merge_floor)
        {
            return Some(Join {
                start,
                len: run,
                text: joined,
                acronym: false,
            });
        }
    }
    None
}

/// What a pair of words adds to its value in the assignment: far below any difference of
/// similarity or weight, so it only decides between pairings that are otherwise equal.
const WORD_PAIR_TIE_BREAK: f64 = 1e-9;

/// Scores two token lists (at most [`MAX_TOKENS`] each): optimal (or greedy) pairing, then
/// coverage with penalties.
fn score_tokens(
    tuning: &Tuning,
    query: &[Token],
    candidate: &[Token],
    organisation: bool,
    explain: bool,
) -> Comparison {
    let (nq, nc) = (query.len(), candidate.len());
    // Weights of both sides and the similarity matrix, in one buffer.
    let mut buffer: Vec<f64> = Vec::with_capacity(nq + nc + nq * nc);
    buffer.extend(query.iter().map(|t| tuning.weight(t)));
    buffer.extend(candidate.iter().map(|t| tuning.weight(t)));
    for q in query {
        buffer.extend(candidate.iter().map(|c| tuning.token_similarity(q, c)));
    }
    let (wq, rest) = buffer.split_at(nq);
    let (wc, sims) = rest.split_at(nc);
    let sim = |i: usize, j: usize| sims.get(i * nc + j).copied().unwrap_or(0.0);
    // Among pairings of equal value, one that pairs words with words wins: `bni` (a word)
    // and `bin` (a particle) both read `bn`, and which of them met the other name's word `bn`
    // decided whether the names had a word in common, differently in each direction. Only
    // words that are alike at all: a bonus for unlike words would make pairing them worth
    // more than leaving them apart, and a pairing that spends a word on the other name's
    // initial (`nin` with `N`) to free words for such pairs would win.
    let words_bonus = |i: usize, j: usize| match (query.get(i), candidate.get(j)) {
        (Some(q), Some(c)) if is_word(q) && is_word(c) && sim(i, j) > 0.0 => WORD_PAIR_TIE_BREAK,
        _ => 0.0,
    };
    let value = |i: usize, j: usize| -> f64 {
        let w = wq.get(i).copied().unwrap_or(0.0) + wc.get(j).copied().unwrap_or(0.0);
        sim(i, j) * w + words_bonus(i, j)
    };
    let assignment = assign(nq, nc, &value);

    let mut matched_value = 0.0;
    let mut matched_mass = 0.0;
    let mut matched_words = 0;
    let (mut q_used, mut c_used) = (0u64, 0u64);
    let mut pairs = Vec::new();
    for &(i, j) in &assignment {
        let s = sim(i, j);
        let (Some(q), Some(c)) = (query.get(i), candidate.get(j)) else {
            continue;
        };
        if s <= 0.0 || i >= MAX_TOKENS || j >= MAX_TOKENS {
            continue;
        }
        let mass = wq.get(i).copied().unwrap_or(0.0) + wc.get(j).copied().unwrap_or(0.0);
        matched_value += s * mass;
        matched_mass += mass;
        q_used |= bit(i);
        c_used |= bit(j);
        let word = |t: &Token| matches!(t.class, TokenClass::Word | TokenClass::Patronymic);
        if word(q) && word(c) {
            matched_words += 1;
        }
        if explain {
            pairs.push(TokenPair {
                query: q.text.clone(),
                candidate: c.text.clone(),
                score: s,
            });
        }
    }
    let leftover = |tokens: &[Token], used: u64, weights: &[f64]| {
        let mut mass = 0.0;
        let mut words = 0;
        for (k, (t, w)) in tokens.iter().zip(weights).enumerate() {
            if used & bit(k) == 0 {
                mass += w;
                if matches!(
                    t.class,
                    TokenClass::Word | TokenClass::Patronymic | TokenClass::Initial
                ) {
                    words += 1;
                }
            }
        }
        (mass, words)
    };
    let (uq, left_q) = leftover(query, q_used, wq);
    let (uc, left_c) = leftover(candidate, c_used, wc);
    let conflict = uq.min(uc);
    let extra = uq.max(uc) - conflict;
    let extra_factor = if conflict > 0.0 {
        tuning.conflict_remainder_penalty
    } else if organisation {
        tuning.org_extra_penalty
    } else {
        tuning.extra_penalty
    };
    let missing_given = missing_first_given(tuning, candidate, wc, c_used);
    let penalty = tuning.conflict_penalty * 2.0 * conflict + extra_factor * extra + missing_given;
    let denominator = matched_mass + penalty;
    let mut score = if denominator > 0.0 {
        matched_value / denominator
    } else {
        0.0
    };
    let mut notes = Vec::new();
    if explain
        && assignment
            .windows(2)
            .any(|w| matches!(w, [(_, a), (_, b)] if a > b))
    {
        notes.push(MatchNote::WordOrderIgnored);
    }
    // Initials, particles and numbers alone are no evidence (`K M A` is not `Mahan Air`,
    // `P-532` not `PDVSA`), unless the names are the same.
    if matched_words == 0 && score < 1.0 {
        score = 0.0;
        if explain {
            notes.push(MatchNote::NoWordInCommon);
        }
    }
    // One word in common and other words besides: weak evidence (`Olga Petrova` / `OLGA`),
    // weaker still when one name is that word alone (a common given name or ship's word).
    if matched_words == 1 && left_q + left_c > 0 {
        let one_word = |tokens: &[Token]| tokens.iter().filter(|t| is_word(t)).count() == 1;
        score *= tuning.single_word_factor;
        if one_word(query) || one_word(candidate) {
            score *= tuning.one_word_name_factor;
        }
        if explain {
            notes.push(MatchNote::OneWordInCommon);
        }
    }
    if let Some((x, y)) = patronym_swapped(query, candidate) {
        score *= tuning.patronym_swap;
        if explain {
            notes.push(MatchNote::PatronymSwapped {
                first: x,
                second: y,
            });
        }
    }
    let names = |tokens: &[Token], used: u64| -> Vec<String> {
        if !explain {
            return Vec::new();
        }
        tokens
            .iter()
            .enumerate()
            .filter(|(k, _)| used & bit(*k) == 0)
            .map(|(_, t)| t.text.clone())
            .collect()
    };
    Comparison {
        score,
        pairs,
        unmatched_query: names(query, q_used),
        unmatched_candidate: names(candidate, c_used),
        notes,
    }
}

/// The penalty for a listed person's first given name that the query does not name: the
/// weight of its words, unless the query names one of them (a compound given name such as
/// `Mohammad Reza` is named by either part).
fn missing_first_given(tuning: &Tuning, candidate: &[Token], weights: &[f64], used: u64) -> f64 {
    let mut named = false;
    let mut weight = 0.0;
    for (k, (token, w)) in candidate.iter().zip(weights).enumerate() {
        if token.first_given {
            named |= used & bit(k) != 0;
            weight += w;
        }
    }
    if named {
        0.0
    } else {
        weight * tuning.missing_first_given_penalty
    }
}

/// Whether a token is a name word (not a particle, number or initial).
fn is_word(token: &Token) -> bool {
    matches!(token.class, TokenClass::Word | TokenClass::Patronymic)
}

/// The bit of position `k` in a set of at most 64 positions (none beyond).
fn bit(k: usize) -> u64 {
    u32::try_from(k)
        .ok()
        .and_then(|k| 1u64.checked_shl(k))
        .unwrap_or(0)
}

/// `x bin y` (x son of y) in one name and `y bin x` in the other: a different person, whatever
/// the token order insensitivity says. Returns the two swapped words.
fn patronym_swapped(query: &[Token], candidate: &[Token]) -> Option<(String, String)> {
    let links = |tokens: &[Token]| -> Vec<(String, String)> {
        let words: Vec<&Token> = tokens
            .iter()
            .filter(|t| t.class != TokenClass::Particle || t.text == "bin")
            .collect();
        words
            .windows(3)
            .filter_map(|w| match w {
                [x, link, y]
                    if link.text == "bin"
                        && x.text != "bin"
                        && y.text != "bin"
                        && x.text != y.text =>
                {
                    Some((x.text.clone(), y.text.clone()))
                }
                _ => None,
            })
            .collect()
    };
    let theirs = links(candidate);
    links(query)
        .into_iter()
        .find(|(x, y)| theirs.iter().any(|(a, b)| a == y && b == x))
}

/// Pairs rows with columns maximising the summed value: exact (dynamic programming over the
/// subsets of the shorter side) for small inputs, greedy otherwise.
fn assign(rows: usize, cols: usize, value: &dyn Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    if rows == 0 || cols == 0 {
        return Vec::new();
    }
    if rows.max(cols) > EXACT_ASSIGNMENT_LIMIT {
        return assign_greedy(rows, cols, value);
    }
    // Iterate over the longer side, keeping subsets of the shorter one.
    let transposed = cols > rows;
    let (long, short) = if transposed {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let v = |l: usize, s: usize| if transposed { value(s, l) } else { value(l, s) };
    let states = 1usize << short;
    const UNPAIRED: u8 = u8::MAX;
    let mut best = vec![f64::NEG_INFINITY; states];
    let mut next = vec![f64::NEG_INFINITY; states];
    // choice[l * states + mask]: the short index row l took to reach mask (or UNPAIRED).
    let mut choice = vec![UNPAIRED; long * states];
    if let Some(b) = best.get_mut(0) {
        *b = 0.0;
    }
    for l in 0..long {
        next.fill(f64::NEG_INFINITY);
        let step = choice
            .get_mut(l * states..(l + 1) * states)
            .unwrap_or_default();
        for mask in 0..states {
            let here = best.get(mask).copied().unwrap_or(f64::NEG_INFINITY);
            if here == f64::NEG_INFINITY {
                continue;
            }
            if let (Some(n), Some(c)) = (next.get_mut(mask), step.get_mut(mask))
                && here > *n
            {
                *n = here;
                *c = UNPAIRED;
            }
            for s in 0..short {
                if mask & (1 << s) != 0 {
                    continue;
                }
                let gain = v(l, s);
                if gain <= 0.0 {
                    continue;
                }
                let to = mask | (1 << s);
                if let (Some(n), Some(c)) = (next.get_mut(to), step.get_mut(to))
                    && here + gain > *n
                {
                    *n = here + gain;
                    *c = s as u8;
                }
            }
        }
        std::mem::swap(&mut best, &mut next);
    }
    let mut mask = (0..states)
        .max_by(|&a, &b| {
            let (x, y) = (
                best.get(a).copied().unwrap_or(f64::NEG_INFINITY),
                best.get(b).copied().unwrap_or(f64::NEG_INFINITY),
            );
            x.total_cmp(&y)
        })
        .unwrap_or(0);
    let mut pairs = Vec::new();
    for l in (0..long).rev() {
        let s = choice.get(l * states + mask).copied().unwrap_or(UNPAIRED);
        if s != UNPAIRED {
            let s = usize::from(s);
            pairs.push(if transposed { (s, l) } else { (l, s) });
            mask &= !(1 << s);
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Greedy pairing: best remaining pair first.
fn assign_greedy(
    rows: usize,
    cols: usize,
    value: &dyn Fn(usize, usize) -> f64,
) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..rows {
        for j in 0..cols {
            let v = value(i, j);
            if v > 0.0 {
                candidates.push((v, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut row_used = vec![false; rows];
    let mut col_used = vec![false; cols];
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if row_used.get(i).copied().unwrap_or(true) || col_used.get(j).copied().unwrap_or(true) {
            continue;
        }
        if let Some(u) = row_used.get_mut(i) {
            *u = true;
        }
        if let Some(u) = col_used.get_mut(j) {
            *u = true;
        }
        pairs.push((i, j));
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn jaro_winkler_reference_values() {
        let jw = |a: &str, b: &str| jaro_winkler(&chars(a), &chars(b));
        assert!((jw("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jw("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert!((jw("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jw("abc", "abc"), 1.0);
        assert_eq!(jw("", "abc"), 0.0);
    }

    #[test]
    fn assignment_is_optimal() {
        // Greedy would take (0,0)=5 then (1,1)=1; optimal is (0,1)+(1,0)=4+4.
        let m = [[5.0, 4.0], [4.0, 1.0]];
        let pairs = assign(2, 2, &|i, j| m[i][j]);
        assert_eq!(pairs, vec![(0, 1), (1, 0)]);
    }
}
