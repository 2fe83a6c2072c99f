//! What moved a name comparison's score, as data: each note names the words, spellings, legal
//! forms or identifier concerned and never carries a sentence. The words a reviewer reads are
//! written by `explain` (`explain::match_note`), the only place English is made.
//!
//! New kinds of note are added as new variants: the enum is `#[non_exhaustive]`, and a program
//! reading the JSON tells them apart by their `note` tag.

use serde::{Deserialize, Serialize};

/// Which of the two names compared a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSide {
    /// The name screened (the first name of a pair).
    Query,
    /// The listed name or alias (the second name of a pair).
    Listed,
}

/// Words of one name read as a single word, or as the acronym they spell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedWords {
    /// The words as they stand in the name (`good`, `will`).
    pub words: Vec<String>,
    /// The single word they were read as (`goodwill`, or the acronym `irgc`).
    pub joined: String,
    /// Whether the words were read as the acronym their initials spell.
    pub acronym: bool,
}

/// One thing normalisation or comparison did that bears on a match's score. Serialised with a
/// `note` tag naming the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchNote {
    /// A title or honorific was dropped from the front of a name (`Mr`, `Dr`, `President`).
    TitleDropped {
        /// The name it was dropped from.
        side: NameSide,
        /// The title, folded.
        title: String,
    },
    /// A legal form was taken out of an organisation's name and kept aside.
    LegalFormRead {
        /// The name it was found in.
        side: NameSide,
        /// The legal form as written, folded (`co ltd`).
        found: String,
        /// Its canonical form (`coltd`).
        canonical: String,
        /// Its generic class, where it has one (`llc`, `jsc`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        generic: Option<String>,
    },
    /// A word was read in a standard spelling before comparing (`mohammed` as `muhammad`).
    SpellingRead {
        /// The name the word is in.
        side: NameSide,
        /// The word as written, folded.
        written: String,
        /// The spelling compared.
        read: String,
    },
    /// An identifier of the query equals a listed identifier exactly.
    IdentifierEqual {
        /// The identifier compared: letters and digits only, upper case.
        identifier: String,
        /// The listed value as written.
        value: String,
        /// The listed attribute it was found in (`passport`, `imo`).
        attribute: String,
    },
    /// A name in Arabic script and one in Latin letters were compared by their consonants.
    ArabicComparedByConsonants,
    /// A name had more words than are compared: only the first `compared` of each were.
    WordsCut {
        /// How many words of each name were compared.
        compared: usize,
    },
    /// Adjacent words of one name were read as one word or as an acronym, to match a word of
    /// the other (`Good Will` / `Goodwill`, `Islamic Revolutionary Guard Corps` / `IRGC`).
    WordsJoined {
        /// The name whose words were joined.
        side: NameSide,
        /// Each run of words joined.
        joins: Vec<JoinedWords>,
    },
    /// The names are equal once spaces are ignored (`SiemensAG` / `Siemens AG`).
    EqualWithoutSpaces {
        /// The name without spaces.
        compact: String,
    },
    /// The names are alike, not equal, once spaces are ignored.
    AlikeWithoutSpaces {
        /// The query without spaces.
        query: String,
        /// The listed name without spaces.
        candidate: String,
    },
    /// Both names carry legal forms and share no generic class (`AG` / `GmbH`).
    LegalFormsDiffer {
        /// The query's generic classes.
        query: Vec<String>,
        /// The listed name's generic classes.
        candidate: Vec<String>,
    },
    /// Both names are one word, one slip of the keyboard apart: scored as a typo.
    OneSlipInOneWord,
    /// The words were paired regardless of the order they are written in.
    WordOrderIgnored,
    /// Nothing but initials, particles or numbers is common to both names: no evidence.
    NoWordInCommon,
    /// Only one word is common to both names, with other words besides: weak evidence.
    OneWordInCommon,
    /// A patronymic link is reversed: `first bin second` in one name is `second bin first` in
    /// the other (a father and his son).
    PatronymSwapped {
        /// The first name of the link in the query.
        first: String,
        /// The second.
        second: String,
    },
}
