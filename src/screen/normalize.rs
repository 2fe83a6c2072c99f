//! Name normalisation: folding, tokens, initials, titles, legal forms and spelling equivalences.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::arabic::{is_arabic, skeleton};
use super::fold::{Folded, fold};
use super::legal_forms::LEGAL_FORMS;
use super::match_note::{MatchNote, NameSide};

/// What part a token plays in a name; decides its weight and how it may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenClass {
    /// An ordinary name word.
    Word,
    /// A particle or connective (`al`, `bin`, `de`, `van`, `of`, `the`, `and`): counts little.
    Particle,
    /// A number or Roman numeral (`2`, `2004`, `IV`): counts little.
    Number,
    /// A single letter, which may stand for any word starting with it.
    Initial,
    /// An East Slavic patronymic (`Viktorovich`, `Oleksandrovych`, `Ivanovna`): a middle name
    /// that never matches a given name it derives from.
    Patronymic,
}

/// One token of a normalised name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Token {
    /// The token as compared (after spelling equivalences, e.g. `chong` → `jong`).
    pub text: String,
    /// The token as folded from the input, before spelling equivalences.
    pub folded: String,
    /// Its part in the name.
    pub class: TokenClass,
    /// `text` as characters, for the string metrics.
    #[serde(skip)]
    pub(crate) chars: Vec<char>,
    /// The part of the token's weight that depends on its length.
    #[serde(skip)]
    pub(crate) length_weight: f64,
    /// Whether the token stands for the initials of several words of the other name.
    #[serde(skip)]
    pub(crate) acronym: bool,
    /// Whether the token is a person's first given name (or a part of a compound one) in a
    /// name written `FAMILY, Given`.
    #[serde(skip)]
    pub(crate) first_given: bool,
    /// `folded` as characters, where a spelling equivalence changed it (`alexander` read as
    /// `aleksandr`): a word misspelt as written (`Alexznder`) is far from the standard
    /// spelling but one slip from the written one, so the comparison weighs both.
    #[serde(skip)]
    pub(crate) written: Option<Vec<char>>,
}

/// A token's weight grows with its length to this power (long tokens say more than short ones)...
const LENGTH_EXPONENT: f64 = 0.7;
/// ...up to this length.
const LENGTH_CAP: usize = 12;

impl Token {
    fn new(folded: String, text: String, class: TokenClass) -> Token {
        let chars: Vec<char> = text.chars().collect();
        let length_weight = (chars.len().clamp(1, LENGTH_CAP) as f64).powf(LENGTH_EXPONENT);
        Token {
            text,
            folded,
            class,
            chars,
            length_weight,
            acronym: false,
            first_given: false,
            written: None,
        }
    }

    /// The characters of the word as written, before spelling equivalences.
    pub(crate) fn written_chars(&self) -> &[char] {
        self.written.as_deref().unwrap_or(&self.chars)
    }

    /// A word made by joining words written apart (or the acronym of several words), for the
    /// comparison.
    pub(crate) fn merged(text: String, acronym: bool) -> Token {
        let class = classify(&text);
        let mut token = Token::new(text.clone(), text, class);
        token.acronym = acronym;
        token
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the token is empty (never true for tokens a [`Normalizer`] makes).
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// A legal form found in a name and taken out of the token comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalForm {
    /// The words as they were found (folded), such as `co ltd` or `aktiengesellschaft`.
    pub found: String,
    /// The canonical form, such as `coltd` or `ag`.
    pub canonical: String,
    /// The generic class (`LLC`, `JSC`, `LP`, ...), when the form names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generic: Option<String>,
}

/// A name after normalisation, with a record of what normalisation did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormalizedName {
    /// The name as given.
    pub original: String,
    /// The tokens compared, in the order they were written.
    pub tokens: Vec<Token>,
    /// Legal forms recognised and compared apart from the tokens.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legal_forms: Vec<LegalForm>,
    /// Titles and honorifics dropped (`mr`, `dr`, `president` ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    /// The folded words of the whole name without spaces, legal forms included, in the order
    /// written (`siemensag`, `llcaeondevelopment`).
    #[serde(skip)]
    pub(crate) compact: String,
    /// The same for a name written `FAMILY, Given Names`, in the order people say it
    /// (`RYU, Jin` → `jinryu`); `compact` otherwise.
    #[serde(skip)]
    pub(crate) compact_natural: String,
    /// How many words the compact forms are made of.
    #[serde(skip)]
    pub(crate) compact_words: usize,
    /// Whether the name is written in Hangul or Han characters (its syllables romanised by
    /// folding).
    #[serde(skip)]
    pub(crate) syllabic: bool,
    /// Whether the name is written in Arabic script (its letters written as consonants).
    #[serde(skip)]
    pub(crate) arabic: bool,
}

impl NormalizedName {
    /// The name with every token compared as folded, before spelling equivalences: for two
    /// names written in Hangul, which tells apart the syllables (`정` / `종`) that the
    /// equivalences of Latin spellings merge (`Jeong` / `Jong`).
    pub(crate) fn as_written(&self) -> NormalizedName {
        NormalizedName {
            tokens: self
                .tokens
                .iter()
                .map(|t| Token::new(t.folded.clone(), t.folded.clone(), t.class))
                .collect(),
            syllabic: false,
            ..self.clone()
        }
    }

    /// The name with every token, and the compact forms, reduced to their consonant skeleton
    /// (`mohamed ali` → `mhmd l`): how a name in Arabic script, which leaves short vowels
    /// unwritten, compares with a Latin spelling.
    pub(crate) fn as_skeleton(&self) -> NormalizedName {
        NormalizedName {
            tokens: self
                .tokens
                .iter()
                .map(|t| Token::new(t.folded.clone(), skeleton(&t.text), t.class))
                .collect(),
            compact: skeleton(&self.compact),
            compact_natural: skeleton(&self.compact_natural),
            syllabic: false,
            arabic: false,
            ..self.clone()
        }
    }

    /// The compared tokens joined by spaces, e.g. `jong song hwa`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for token in &self.tokens {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&token.text);
        }
        out
    }

    /// Notes on what normalisation changed, for explanations: `side` says which of the names
    /// compared this one is.
    pub fn notes(&self, side: NameSide) -> Vec<MatchNote> {
        let titles = self.dropped.iter().map(|title| MatchNote::TitleDropped {
            side,
            title: title.clone(),
        });
        let forms = self
            .legal_forms
            .iter()
            .map(|form| MatchNote::LegalFormRead {
                side,
                found: form.found.clone(),
                canonical: form.canonical.clone(),
                generic: form.generic.clone(),
            });
        let spellings = self
            .tokens
            .iter()
            .filter(|token| token.text != token.folded)
            .map(|token| MatchNote::SpellingRead {
                side,
                written: token.folded.clone(),
                read: token.text.clone(),
            });
        titles.chain(forms).chain(spellings).collect()
    }
}

/// Titles and honorifics dropped from the start of a name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mister",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "madam",
    "madame",
    "mme",
    "monsieur",
    "herr",
    "frau",
    "president",
    "prasident",
    "presidente",
    "sheikh",
    "shaikh",
    "sheik",
    "shaykh",
    "mv",
    "hon",
    "honorable",
    "honourable",
];

/// Given names that open a compound given name (see [`Normalizer::opens_compound_given`]),
/// in their standard spelling.
const COMPOUND_OPENERS: &[&str] = &["muhammad"];

/// The hereditary title `Sayyid` as lists spell it: it opens a given name, and is not the name.
const SAYYID: &[&str] = &[
    "sayyid", "sayed", "sayid", "sayyed", "seyed", "seyyed", "seyyid", "syed",
];

/// Particles and connectives: kept, but weigh little.
const PARTICLES: &[&str] = &[
    "al", "bin", "bint", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le",
    "van", "von", "der", "den", "ter", "ten", "the", "of", "and", "und", "et", "for", "in", "at",
    "on", "na",
];

/// Spelling variants of one name, read as the first of each row. Transliterations of Arabic,
/// Korean (McCune–Reischauer vs Revised), Russian and Ukrainian names where the variants differ
/// by more than a string metric forgives.
const EQUIVALENCES: &[&[&str]] = &[
    &["bin", "ibn", "ben", "bn"],
    &["al", "el"],
    &["abd", "abdul", "abdel", "abdal", "abdol", "abdu"],
    &[
        "muhammad", "mohammed", "mohammad", "mohamed", "muhammed", "mohamad", "muhamad",
        "mohammod", "mohamud", "muhamed", "mohd", "mehmet", "mehmed", "muhammet", "mouhamed",
        "mohamet",
    ],
    &["ahmad", "ahmed", "ahmet", "achmad"],
    &["mahmud", "mahmoud", "mahmood", "mahmut"],
    &[
        "husayn", "hussein", "husein", "hussain", "husain", "hossein", "hosein", "husseyn",
        "hussien",
    ],
    &["hasan", "hassan"],
    &["usama", "osama", "oussama"],
    &[
        "yusuf", "yousef", "youssef", "yousif", "yusif", "yousuf", "yusef", "yussef", "youssouf",
    ],
    &["umar", "omar", "omer"],
    &["uthman", "othman", "osman", "usman", "outhman"],
    &["abdullah", "abdallah", "abdalla", "abdulla", "abdellah"],
    &[
        "qadhafi",
        "gaddafi",
        "qaddafi",
        "kadhafi",
        "gadhafi",
        "qadhdhafi",
        "kaddafi",
        "khadafi",
    ],
    &["muammar", "moammar", "moamar", "muamar"],
    &["jong", "chong", "jung", "chung"],
    &["song", "sung"],
    &["yong", "young", "yeong"],
    &["choe", "choi", "choy", "chwe"],
    &["ri", "rhee", "lee", "yi"],
    &["pak", "park", "bak"],
    &["chol", "cheol", "chul"],
    &["hyok", "hyeok", "hyuk"],
    &["myong", "myung", "myeong"],
    &["kyong", "kyung", "kyeong", "gyeong"],
    &[
        "sergey", "sergei", "serguei", "sergej", "serhiy", "serhii", "sergii", "sergiy",
    ],
    &[
        "aleksandr",
        "alexandr",
        "alexander",
        "aleksander",
        "aleksandar",
        "alexandre",
    ],
    &[
        "yevgeny", "evgeny", "evgeniy", "yevgeniy", "evgenii", "yevgenii", "evgenij",
    ],
    &["dmitry", "dmitri", "dmitriy", "dmitrii", "dmitrij"],
    &["yury", "yuri", "yuriy", "yurii", "iurii", "jurij"],
    &["andrey", "andrei", "andrii", "andriy", "andrej"],
    &["nikolay", "nikolai", "nikolaj", "mykola"],
    &["vladimir", "wladimir", "volodymyr", "wolodymyr"],
];

/// Legal forms as customers cut them short, the last word left off (`Planar Joint Stock`,
/// `Auction Limited Liability`): (variant, canonical form, generic class), as in
/// [`LEGAL_FORMS`].
const CUT_SHORT_FORMS: &[(&str, &str, &str)] = &[
    ("joint stock", "jsc", "JSC"),
    ("open joint stock", "ojsc", "JSC"),
    ("closed joint stock", "cjsc", "JSC"),
    ("public joint stock", "pjsc", "JSC"),
    ("limited liability", "llc", "LLC"),
];

/// A legal-form phrase: its words, canonical form and generic class.
#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    canonical: String,
    generic: Option<String>,
}

/// Turns names into comparable tokens. Built once (the legal-form table is indexed on creation)
/// and shared; [`Normalizer::shared`] gives a process-wide instance.
#[derive(Debug)]
pub struct Normalizer {
    /// Legal-form phrases by their first word, longest first.
    legal_forms: HashMap<String, Vec<Phrase>>,
    /// Words of legal forms (four letters or more) under themselves and each of their
    /// one-letter deletions, to read a misspelt legal form (`Limted`, `Liabilitty`, `Cmopany`,
    /// `Joint Sttock Company`) as the form it is: two words one slip apart share a key.
    form_words: HashMap<String, Vec<String>>,
    equivalences: HashMap<&'static str, &'static str>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    /// A normaliser with the built-in legal-form table (derived from OpenSanctions' list of
    /// organisation types), titles, particles and spelling equivalences.
    pub fn new() -> Normalizer {
        let mut equivalences = HashMap::new();
        for row in EQUIVALENCES {
            if let Some(first) = row.first() {
                for variant in row.iter() {
                    equivalences.insert(*variant, *first);
                }
            }
        }
        let mut normalizer = Normalizer {
            legal_forms: HashMap::new(),
            form_words: HashMap::new(),
            equivalences,
        };
        let mut legal_forms: HashMap<String, Vec<Phrase>> = HashMap::new();
        for &(variant, canonical, generic) in LEGAL_FORMS.iter().chain(CUT_SHORT_FORMS) {
            let words = normalizer.words(variant);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let entry = legal_forms.entry(first).or_default();
            if entry.iter().any(|p| p.words == words) {
                continue;
            }
            entry.push(Phrase {
                words,
                canonical: canonical.to_string(),
                generic: (!generic.is_empty()).then(|| generic.to_string()),
            });
        }
        for phrases in legal_forms.values_mut() {
            phrases.sort_by(|a, b| {
                b.words
                    .len()
                    .cmp(&a.words.len())
                    .then_with(|| a.words.cmp(&b.words))
            });
        }
        let mut form_words: HashMap<String, Vec<String>> = HashMap::new();
        for phrase in legal_forms.values().flatten() {
            for word in phrase
                .words
                .iter()
                .filter(|w| w.chars().count() >= FORM_SLIP_MIN)
            {
                for key in std::iter::once(word.clone()).chain(deletions(word)) {
                    let words = form_words.entry(key).or_default();
                    if !words.contains(word) {
                        words.push(word.clone());
                    }
                }
            }
        }
        normalizer.legal_forms = legal_forms;
        normalizer.form_words = form_words;
        normalizer
    }

    /// The legal-form words `word` is one slip of the keyboard away from (a letter replaced,
    /// dropped, added, or two neighbours swapped), not `word` itself.
    fn slipped_form_words<'a>(&'a self, word: &str) -> Vec<&'a str> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() + 1 < FORM_SLIP_MIN || chars.len() > FORM_SLIP_MAX {
            return Vec::new();
        }
        let mut found: Vec<&str> = Vec::new();
        for key in std::iter::once(word.to_owned()).chain(deletions(word)) {
            for form in self.form_words.get(&key).into_iter().flatten() {
                let form_chars: Vec<char> = form.chars().collect();
                if form != word
                    && !found.contains(&form.as_str())
                    && super::compare::osa_distance(&chars, &form_chars) == 1
                {
                    found.push(form);
                }
            }
        }
        found
    }

    /// A process-wide normaliser, built on first use.
    pub fn shared() -> &'static Normalizer {
        static SHARED: OnceLock<Normalizer> = OnceLock::new();
        SHARED.get_or_init(Normalizer::new)
    }

    /// Folds `name` into words: lower case, diacritics and apostrophes removed, other scripts
    /// transliterated where a table exists, punctuation and hyphens split words, dotted initials
    /// joined (`J.P.` → `jp`), `&` read as `and`, digits inside words read as the letters they
    /// are mistaken for (`Ig0r` → `igor`).
    pub fn words(&self, name: &str) -> Vec<String> {
        // Look-alike characters and display tricks first, so that what follows reads the name
        // a person sees.
        self.folded_words(&super::confusables::fold(name))
    }

    /// [`Normalizer::words`] of a name whose look-alikes are already folded.
    fn folded_words(&self, name: &str) -> Vec<String> {
        // (word, followed directly by a dot and then directly by the next word)
        let mut pieces: Vec<(String, bool)> = Vec::new();
        let mut current = String::new();
        let mut dot_pending = false;
        let finish = |current: &mut String, pieces: &mut Vec<(String, bool)>| {
            if !current.is_empty() {
                pieces.push((std::mem::take(current), false));
            }
        };
        for c in name.chars().flat_map(char::to_lowercase) {
            let folded = fold(c);
            match folded {
                Folded::Keep(_) | Folded::Latin(_) => {
                    if current.is_empty()
                        && dot_pending
                        && let Some(last) = pieces.last_mut()
                    {
                        last.1 = true;
                    }
                    dot_pending = false;
                    match folded {
                        Folded::Keep(c) => current.push(c),
                        Folded::Latin(s) => current.push_str(s),
                        _ => {}
                    }
                }
                Folded::Drop => {}
                Folded::Dot => {
                    dot_pending = !current.is_empty();
                    finish(&mut current, &mut pieces);
                }
                Folded::Space => {
                    dot_pending = false;
                    finish(&mut current, &mut pieces);
                }
                Folded::And => {
                    dot_pending = false;
                    finish(&mut current, &mut pieces);
                    pieces.push(("and".to_string(), false));
                }
                Folded::Syllable(parts) => {
                    dot_pending = false;
                    finish(&mut current, &mut pieces);
                    current.extend(parts);
                    finish(&mut current, &mut pieces);
                }
            }
        }
        finish(&mut current, &mut pieces);

        let mut words: Vec<String> = Vec::with_capacity(pieces.len());
        let mut joining = false;
        for (piece, joined_to_next) in pieces {
            let single = piece.chars().count() == 1;
            match words.last_mut() {
                Some(last) if joining && single => last.push_str(&piece),
                _ => words.push(piece),
            }
            joining = joined_to_next && single;
        }
        for word in &mut words {
            unconfuse_digits(word);
        }
        words
    }

    /// Normalises a name: [`Normalizer::words`], then titles dropped from the front, legal
    /// forms taken out (unless nothing else would remain), spelling equivalences applied and
    /// each token classified.
    pub fn normalize(&self, name: &str) -> NormalizedName {
        // Folded once, whole: the parts either side of a comma are then read as parts of the
        // name, so a look-alike alone in one part (`і` after `SMITH,`) is read beside the Latin
        // letters of the other, as it is in the tokens.
        let seen = super::confusables::fold(name);
        let words = self.folded_words(&seen);
        let mut start = 0;
        let mut dropped = Vec::new();
        while let Some(word) = words.get(start) {
            if words.len() - start > 1 && TITLES.contains(&word.as_str()) {
                dropped.push(word.clone());
                start += 1;
            } else {
                break;
            }
        }
        let words = words.get(start..).unwrap_or_default();

        let mut kept: Vec<&String> = Vec::with_capacity(words.len());
        let mut legal_forms = Vec::new();
        let slipped: Vec<Vec<&str>> = words.iter().map(|w| self.slipped_form_words(w)).collect();
        let mut i = 0;
        while let Some(word) = words.get(i) {
            if let Some((len, canonical, generic)) = self.legal_form_at(words, &slipped, i) {
                legal_forms.push(LegalForm {
                    found: words.get(i..i + len).unwrap_or_default().join(" "),
                    canonical: canonical.to_string(),
                    generic: generic.map(str::to_string),
                });
                i += len;
            } else {
                kept.push(word);
                i += 1;
            }
        }
        if kept.is_empty() {
            kept = words.iter().collect();
            legal_forms.clear();
        }
        let kept: Vec<String> = kept.into_iter().cloned().collect();

        let kept = numbers_as_digits(kept);
        let mut texts: Vec<String> = kept
            .iter()
            .map(|word| {
                self.equivalences
                    .get(word.as_str())
                    .map_or_else(|| word.clone(), |c| (*c).to_string())
            })
            .collect();
        for text in &mut texts {
            if classify(text) == TokenClass::Word
                && let Some(folded) = super::korean::fold_syllable(text)
            {
                *text = folded;
            }
        }
        let mut tokens: Vec<Token> = kept
            .into_iter()
            .zip(texts)
            .map(|(word, text)| {
                let class = classify(&text);
                let written = (word != text).then(|| word.chars().collect());
                Token {
                    written,
                    ..Token::new(word, text, class)
                }
            })
            .collect();
        self.mark_first_given(&seen, &mut tokens);
        let compact = words.concat();
        let compact_natural = self.natural_order(&seen).unwrap_or_else(|| compact.clone());
        NormalizedName {
            original: name.to_string(),
            tokens,
            legal_forms,
            dropped,
            compact,
            compact_natural,
            compact_words: words.len(),
            syllabic: name
                .chars()
                .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) || is_han(c)),
            arabic: name.chars().any(is_arabic),
        }
    }

    /// Marks the first given name of a name written `FAMILY, Given Names` (one comma), the way
    /// lists write people: the name a person goes by, which a query naming them rarely leaves
    /// out. A compound given name opened by `Muhammad` (in any spelling) is marked whole
    /// (`Mohammad Reza`): people go by either part, most often the second. The hereditary title
    /// `Sayyid` before a given name is not the name (`Seyed Mojtaba`). `name` is folded.
    fn mark_first_given(&self, name: &str, tokens: &mut [Token]) {
        let Some((family, given)) = name.split_once(',') else {
            return;
        };
        if given.contains(',') {
            return;
        }
        let given = self.folded_words(given);
        // The openers before the name they open, if one follows (`Mohamed Mohamed` is not a
        // compound: its first word is marked, as in any name).
        let opens = given
            .iter()
            .position(|w| !self.opens_compound_given(w))
            .filter(|&k| {
                given
                    .get(k)
                    .is_some_and(|w| classify(w) == TokenClass::Word)
            })
            .unwrap_or(0);
        let mut at = self
            .folded_words(family)
            .len()
            .min(tokens.len().saturating_sub(1));
        for first in given
            .iter()
            .take(opens + 1)
            .filter(|w| !SAYYID.contains(&w.as_str()))
        {
            let Some(k) = tokens
                .iter()
                .skip(at)
                .position(|t| t.folded == *first && t.class == TokenClass::Word)
            else {
                return;
            };
            if let Some(token) = tokens.get_mut(at + k) {
                token.first_given = true;
            }
            at += k + 1;
        }
    }

    /// Whether a given name, followed by another, opens a compound given name: `Muhammad` in
    /// any spelling (`Mohammad Reza`, `Muhammad Khalid`) and the hereditary title `Sayyid`
    /// (`Seyed Mojtaba`).
    fn opens_compound_given(&self, word: &str) -> bool {
        let read = self.equivalences.get(word).copied().unwrap_or(word);
        COMPOUND_OPENERS.contains(&read) || SAYYID.contains(&word)
    }

    /// The words of a name written `FAMILY, Given Names` (one comma, words on both sides)
    /// joined in the order people say them: given names first. `name` is folded.
    fn natural_order(&self, name: &str) -> Option<String> {
        let (family, given) = name.split_once(',')?;
        if given.contains(',') {
            return None;
        }
        let (family, given) = (self.folded_words(family), self.folded_words(given));
        (!family.is_empty() && !given.is_empty()).then(|| [given, family].concat().concat())
    }

    /// The longest legal-form phrase starting at `words[i]`: (length, canonical, generic).
    /// Words may be misspelt by one slip (`slipped[k]`: the form words `words[k]` is one slip
    /// from): one word of a phrase of two or three words, two of a longer one, and a phrase of
    /// one word only when the word is long and keeps its first and last letters (`Limitex` stays
    /// a name); of equal lengths the phrase with fewer slips wins.
    fn legal_form_at(
        &self,
        words: &[String],
        slipped: &[Vec<&str>],
        i: usize,
    ) -> Option<(usize, &str, Option<&str>)> {
        let firsts = std::iter::once(words.get(i)?.as_str())
            .chain(slipped.get(i).into_iter().flatten().copied());
        let mut best: Option<(usize, usize, &Phrase)> = None;
        for first in firsts {
            for phrase in self.legal_forms.get(first).into_iter().flatten() {
                let Some(slips) = phrase_slips(phrase, words, slipped, i) else {
                    continue;
                };
                let len = phrase.words.len();
                if best.is_none_or(|(l, s, _)| len > l || (len == l && slips < s)) {
                    best = Some((len, slips, phrase));
                }
            }
        }
        best.map(|(len, _, p)| (len, p.canonical.as_str(), p.generic.as_deref()))
    }
}

/// How many words of `phrase` are misspelt in `words[i..]`, when it reads there at all.
fn phrase_slips(
    phrase: &Phrase,
    words: &[String],
    slipped: &[Vec<&str>],
    i: usize,
) -> Option<usize> {
    let mut slips = 0;
    for (k, form) in phrase.words.iter().enumerate() {
        let word = words.get(i + k)?;
        if word == form {
            continue;
        }
        if !slipped.get(i + k)?.contains(&form.as_str()) {
            return None;
        }
        slips += 1;
    }
    let allowed = match phrase.words.as_slice() {
        [] => 0,
        [only] => {
            let written = words.get(i)?;
            usize::from(only.chars().count() >= FORM_TYPO_MIN && same_ends(written, only))
        }
        [_, _] | [_, _, _] => 1,
        _ => 2,
    };
    (slips <= allowed).then_some(slips)
}

/// Whether a misspelt word keeps the first and last letters of the word it stands for (or
/// swaps the last two: `Limitde`).
fn same_ends(written: &str, word: &str) -> bool {
    let (w, f): (Vec<char>, Vec<char>) = (written.chars().collect(), word.chars().collect());
    let last_two = |c: &[char]| {
        c.len()
            .checked_sub(2)
            .and_then(|at| c.get(at..))
            .map(<[char]>::to_vec)
    };
    let swapped = last_two(&w).map(|mut t| {
        t.reverse();
        t
    });
    w.first() == f.first() && (w.last() == f.last() || swapped == last_two(&f))
}

/// A legal form's single word this long or longer is recognised with one slip of the keyboard.
const FORM_TYPO_MIN: usize = 7;

/// Words of legal-form phrases this long or longer are recognised with one slip.
const FORM_SLIP_MIN: usize = 4;

/// Longer words are not looked up as misspelt legal-form words (no form word comes near).
const FORM_SLIP_MAX: usize = 40;

/// The strings made by deleting one character of `word`.
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(at, c)| {
        let mut variant = String::with_capacity(word.len());
        variant.push_str(word.get(..at).unwrap_or_default());
        variant.push_str(word.get(at + c.len_utf8()..).unwrap_or_default());
        variant
    })
}

/// The value of a number word or ordinal (`four`, `forty`, `first`, `1st`, `3rd`).
fn number_word(word: &str) -> Option<u32> {
    const UNITS: &[(&str, u32)] = &[
        ("zero", 0),
        ("one", 1),
        ("first", 1),
        ("two", 2),
        ("second", 2),
        ("three", 3),
        ("third", 3),
        ("four", 4),
        ("fourth", 4),
        ("five", 5),
        ("fifth", 5),
        ("six", 6),
        ("sixth", 6),
        ("seven", 7),
        ("seventh", 7),
        ("eight", 8),
        ("eighth", 8),
        ("nine", 9),
        ("ninth", 9),
        ("ten", 10),
        ("tenth", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirteen", 13),
        ("fourteen", 14),
        ("fifteen", 15),
        ("sixteen", 16),
        ("seventeen", 17),
        ("eighteen", 18),
        ("nineteen", 19),
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fourty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
    ];
    if let Some(&(_, n)) = UNITS.iter().find(|(w, _)| *w == word) {
        return Some(n);
    }
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Writes number words as digits and joins tens and units (`forty four`, `forty 4` → `44`).
fn numbers_as_digits(words: Vec<String>) -> Vec<String> {
    let value = |w: &str| -> Option<u32> {
        number_word(w).or_else(|| {
            (!w.is_empty() && w.len() <= 9 && w.chars().all(|c| c.is_ascii_digit()))
                .then(|| w.parse().ok())
                .flatten()
        })
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut last_tens: Option<u32> = None;
    for word in words {
        let n = value(&word);
        match (n, last_tens) {
            (Some(unit), Some(tens)) if (1..10).contains(&unit) => {
                if let Some(last) = out.last_mut() {
                    *last = (tens + unit).to_string();
                }
                last_tens = None;
            }
            (Some(n), _) => {
                out.push(n.to_string());
                last_tens = ((20..100).contains(&n) && n % 10 == 0).then_some(n);
            }
            (None, _) => {
                out.push(word);
                last_tens = None;
            }
        }
    }
    out
}

/// Whether `c` is a Han character (the CJK Unified Ideographs and their first extension).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Whether a word is an East Slavic patronymic: one of the endings, or one slip of the
/// keyboard from the longer ones (`Igorevikh`, `Anatolyevih`, `Mikhailoivch`, `Leonidvna`),
/// but not the Balkan surname ending `-ovic`/`-evic` (`Petrovic` is a family name).
fn is_patronymic(word: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "ovich", "evich", "ovych", "evych", "ovitch", "evitch", "ovna", "evna", "ivna", "ichna",
    ];
    /// Endings recognised with one slip (the short ones not with a letter dropped: `-ova` ends
    /// family names, `Ivanova`).
    const SLIPPED: &[&str] = &["ovich", "evich", "ovych", "evych", "ovna", "evna"];
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 7 {
        return false;
    }
    if SUFFIXES.iter().any(|s| word.ends_with(s)) {
        return true;
    }
    if word.ends_with("ovic") || word.ends_with("evic") {
        return false;
    }
    SLIPPED.iter().any(|suffix| {
        let suffix: Vec<char> = suffix.chars().collect();
        let shortest = if suffix.len() > 4 {
            suffix.len() - 1
        } else {
            suffix.len()
        };
        (shortest..=suffix.len() + 1).any(|len| {
            chars
                .len()
                .checked_sub(len)
                .filter(|&stem| stem >= 3)
                .and_then(|stem| chars.get(stem..))
                .is_some_and(|tail| {
                    tail.contains(&'v') && super::compare::osa_distance(tail, &suffix) == 1
                })
        })
    })
}

/// Reads digits inside a mostly alphabetic word as the letters they are mistaken for
/// (`sech1n` → `sechin`, `i9or` → `igor`); words that are mostly digits are left alone.
fn unconfuse_digits(word: &mut String) {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || letters < 2 || digits * 2 > letters || number_word(word).is_some() {
        return;
    }
    *word = word
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '6' => 'b',
            '8' => 'b',
            '9' => 'g',
            c => c,
        })
        .collect();
}

/// Roman numerals up to 39 that are not also common name parts.
fn is_roman_numeral(word: &str) -> bool {
    const ROMAN: &[&str] = &[
        "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv", "xvi",
        "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv", "xxx",
    ];
    ROMAN.contains(&word)
}

fn classify(word: &str) -> TokenClass {
    if word.chars().all(|c| c.is_ascii_digit()) || is_roman_numeral(word) {
        TokenClass::Number
    } else if word.chars().count() == 1 {
        TokenClass::Initial
    } else if PARTICLES.contains(&word) {
        TokenClass::Particle
    } else if is_patronymic(word) {
        TokenClass::Patronymic
    } else {
        TokenClass::Word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str) -> Vec<String> {
        Normalizer::shared()
            .normalize(name)
            .tokens
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn misspelt_legal_forms_are_still_legal_forms() {
        let normalizer = Normalizer::shared();
        for (name, form) in [
            (
                "Limited Liabilitty Company Maketir",
                "limited liability company",
            ),
            ("KALLIOPE LIMITEED", "limited"),
            ("Taloon Comapny", "company"),
        ] {
            let normalized = normalizer.normalize(name);
            assert_eq!(
                normalized.tokens.len(),
                1,
                "{name}: {:?}",
                normalized.tokens
            );
            assert_eq!(
                normalized.legal_forms.first().map(|f| f.canonical.clone()),
                normalizer
                    .normalize(&format!("Maketir {form}"))
                    .legal_forms
                    .first()
                    .map(|f| f.canonical.clone()),
                "{name}"
            );
        }
        assert_eq!(texts("Limitex Trading"), ["limitex", "trading"]);
    }

    #[test]
    fn legal_forms_titles_initials() {
        assert_eq!(
            texts("YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD."),
            ["yanbian", "silverstar", "network", "technology"]
        );
        assert_eq!(texts("A.B.C. Company"), ["abc"]);
        assert_eq!(texts("J.P. Morgan & Co."), ["jp", "morgan", "and"]);
        assert_eq!(
            texts("Mr. Recep Tayyip Erdoğan"),
            ["recep", "tayyip", "erdogan"]
        );
        assert_eq!(texts("JONG, Song Hwa"), ["jong", "song", "hwa"]);
        assert_eq!(texts("CHONG Sung-hwa"), ["jong", "song", "hwa"]);
        assert_eq!(texts("Ig0r Sech1n"), ["igor", "sechin"]);
        assert_eq!(texts("Limited Company"), ["limited", "company"]);
        assert_eq!(texts("Brigade Forty-Four"), ["brigade", "44"]);
        assert_eq!(
            texts("1st International Bank"),
            ["1", "international", "bank"]
        );
        let n = Normalizer::shared().normalize("Oboronnye Initsiativy o.O.O.");
        assert_eq!(n.text(), "oboronnye initsiativy");
        assert_eq!(
            n.legal_forms.first().map(|f| f.canonical.as_str()),
            Some("ooo")
        );
        let n = Normalizer::shared().normalize("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ \"БАЙ\"");
        assert_eq!(n.text(), "bay");
    }
}
