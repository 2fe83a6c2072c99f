//! What moved a name match's score, in words: titles and legal forms set aside, spellings read
//! alike, words joined, and the rules that lowered or raised the score. Shared by the screening
//! report and by anything else that shows a match's explanation.

use crate::screen::{JoinedWords, MatchNote, NameSide};

/// One note as a clause: "query: dropped title 'mr'", "legal forms differ: ag vs gmbh".
pub fn match_note(note: &MatchNote) -> String {
    match note {
        MatchNote::TitleDropped { side, title } => {
            format!("{}: dropped title '{title}'", side_label(*side))
        }
        MatchNote::LegalFormRead {
            side,
            found,
            canonical,
            generic,
        } => {
            let generic = generic
                .as_deref()
                .map(|g| format!(" ({g})"))
                .unwrap_or_default();
            format!(
                "{}: legal form '{found}' read as {canonical}{generic}",
                side_label(*side)
            )
        }
        MatchNote::SpellingRead {
            side,
            written,
            read,
        } => {
            format!(
                "{}: spelling '{written}' read as '{read}'",
                side_label(*side)
            )
        }
        MatchNote::IdentifierEqual {
            identifier,
            value,
            attribute,
        } => format!("identifier {identifier} equals '{value}' of attribute '{attribute}' exactly"),
        MatchNote::ArabicComparedByConsonants => {
            String::from("Arabic script and Latin letters compared by consonants")
        }
        MatchNote::WordsCut { compared } => {
            format!("only the first {compared} words of each name compared")
        }
        MatchNote::WordsJoined { side, joins } => format!(
            "in {} {}",
            match side {
                NameSide::Query => "the query",
                NameSide::Listed => "the listed name",
            },
            joins.iter().map(joined).collect::<Vec<_>>().join(", ")
        ),
        MatchNote::EqualWithoutSpaces { compact } => {
            format!("names equal when spaces are ignored: '{compact}'")
        }
        MatchNote::AlikeWithoutSpaces { query, candidate } => {
            format!("names alike when spaces are ignored: '{query}' and '{candidate}'")
        }
        MatchNote::LegalFormsDiffer { query, candidate } => format!(
            "legal forms differ: {} vs {}",
            query.join("/"),
            candidate.join("/")
        ),
        MatchNote::OneSlipInOneWord => {
            String::from("one-word names one slip of the keyboard apart, read as a typo")
        }
        MatchNote::WordOrderIgnored => String::from("words compared regardless of their order"),
        MatchNote::NoWordInCommon => {
            String::from("no word in common beyond initials, particles or numbers")
        }
        MatchNote::OneWordInCommon => String::from("only one word in common"),
        MatchNote::PatronymSwapped { first, second } => {
            format!("'{first} bin {second}' is '{second} bin {first}' in the other name")
        }
    }
}

/// How a normalisation note names its side: "query" or "listed name".
fn side_label(side: NameSide) -> &'static str {
    match side {
        NameSide::Query => "query",
        NameSide::Listed => "listed name",
    }
}

/// "'good will' read as one word 'goodwill'", "'k m a' read as the acronym 'kma'".
fn joined(join: &JoinedWords) -> String {
    let words = join.words.join(" ");
    if join.acronym {
        format!("'{words}' read as the acronym '{}'", join.joined)
    } else {
        format!("'{words}' read as one word '{}'", join.joined)
    }
}
