//! Character folding: lower case, diacritics removed, Cyrillic, Greek, Armenian and Georgian
//! transliterated to Latin letters, Hangul syllables romanised (Revised Romanization, from the
//! syllable's decomposition), Han characters read in Mandarin pinyin (the `pinyin` crate's
//! table, from the Unicode Han database), apostrophes dropped. Arabic script is kept as written
//! (two Arabic names compare letter by letter) and read as Latin consonants only against a
//! Latin name (`arabic.rs`).
//!
//! A small hand-written table rather than a Unicode normalisation crate: names on sanctions lists
//! are written in a handful of scripts, and what matters is that `Erdoğan`, `ERDOGAN` and
//! `Эрдоган` end up comparable, not a faithful round trip.

/// What one (already lower-cased) character becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folded {
    /// Kept as it is (letters of other scripts, digits).
    Keep(char),
    /// Replaced by one or more Latin letters.
    Latin(&'static str),
    /// Dropped without a trace (combining marks, apostrophes, soft and hard signs).
    Drop,
    /// A word separator (spaces, punctuation).
    Space,
    /// A full stop: joins initials (`A.B.C.`), separates words otherwise.
    Dot,
    /// `&` and `+`: read as the word `and`.
    And,
    /// A Hangul syllable romanised: a word of its own, as Korean names are romanised syllable
    /// by syllable (`김정은` → `gim jeong eun`, which the Korean spelling fold reads as
    /// `Kim Jong Un`).
    Syllable([&'static str; 3]),
}

/// Folds one lower-cased character.
pub(crate) fn fold(c: char) -> Folded {
    if c.is_ascii_lowercase() || c.is_ascii_digit() {
        return Folded::Keep(c);
    }
    // Full-width forms of ASCII (`ＪＯＮＧ`, common in East Asian input) are their ASCII selves.
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |ascii| ascii.to_ascii_lowercase())
        }
        c => c,
    };
    if c.is_ascii_lowercase() || c.is_ascii_digit() {
        return Folded::Keep(c);
    }
    if let Some(latin) = latin(c).or_else(|| cyrillic(c)).or_else(|| greek(c)) {
        return if latin.is_empty() {
            Folded::Drop
        } else {
            Folded::Latin(latin)
        };
    }
    if let Some(latin) = armenian(c).or_else(|| georgian(c)) {
        return Folded::Latin(latin);
    }
    if let Some(parts) = hangul(c) {
        return Folded::Syllable(parts);
    }
    // A Han character read in Mandarin pinyin, a syllable of its own as Hangul is (`习近平` →
    // `xi jin ping`; the comparison joins `jin ping` to match `Jinping`).
    if let Some(reading) = pinyin::ToPinyin::to_pinyin(&c) {
        return Folded::Syllable([reading.plain(), "", ""]);
    }
    match c {
        '.' | '·' | '・' => Folded::Dot,
        '&' | '+' => Folded::And,
        // Apostrophes and modifier letters used for ayn/hamza and Korean McCune–Reischauer.
        '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | 'ʻ' | 'ʹ' | 'ʿ' | 'ʾ' | '′' => {
            Folded::Drop
        }
        // Combining diacritical marks (the decomposed form of accented letters) and the
        // zero-width characters some sources leave inside names.
        '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Folded::Drop,
        c if c.is_alphanumeric() => Folded::Keep(c),
        _ => Folded::Space,
    }
}

/// Initial consonants of Hangul syllables in Revised Romanization, in Unicode's order.
const HANGUL_INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];

/// Vowels of Hangul syllables in Revised Romanization, in Unicode's order.
const HANGUL_VOWELS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];

/// Final consonants of Hangul syllables as Revised Romanization writes them at the end of a
/// syllable (clusters reduced to the sound pronounced), in Unicode's order; the first is none.
const HANGUL_FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// A precomposed Hangul syllable (U+AC00–U+D7A3) romanised from its decomposition: Unicode
/// numbers the syllables as (initial × 21 + vowel) × 28 + final. The syllable `이` alone (the
/// family name Lee, Ri or Yi) is written `yi`, which the spelling table reads as that name.
fn hangul(c: char) -> Option<[&'static str; 3]> {
    let index = (c as u32).checked_sub(0xAC00).filter(|&i| i < 11_172)? as usize;
    let (initial, vowel, last) = (index / 588, (index % 588) / 28, index % 28);
    if (initial, vowel, last) == (11, 20, 0) {
        return Some(["y", "i", ""]);
    }
    Some([
        HANGUL_INITIALS.get(initial)?,
        HANGUL_VOWELS.get(vowel)?,
        HANGUL_FINALS.get(last)?,
    ])
}

/// Latin-1 Supplement, Latin Extended-A and the common letters of Extended-B and of the
/// Vietnamese block, without their diacritics.
fn latin(c: char) -> Option<&'static str> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ǻ' | 'ȁ' | 'ȃ' => {
            "a"
        }
        'æ' | 'ǽ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ȅ' | 'ȇ' => "e",
        'ə' => "a",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ȉ' | 'ȋ' => "i",
        'ĳ' => "ij",
        'ĵ' | 'ǰ' => "j",
        'ķ' | 'ĸ' | 'ǩ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' | 'ǹ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' | 'ǫ' | 'ǿ' | 'ȍ' | 'ȏ' => {
            "o"
        }
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' | 'ȑ' | 'ȓ' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ'
        | 'ǜ' | 'ȕ' | 'ȗ' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ȳ' => "y",
        'ź' | 'ż' | 'ž' | 'ƶ' => "z",
        'ǆ' => "dz",
        'ǉ' => "lj",
        'ǌ' => "nj",
        // Latin Extended Additional: Vietnamese vowels with tone marks, and ḥ ṣ ṭ ẓ ḍ of
        // scholarly Arabic transliteration.
        '\u{1EA0}'..='\u{1EB7}' => "a",
        '\u{1EB8}'..='\u{1EC7}' => "e",
        '\u{1EC8}'..='\u{1ECB}' => "i",
        '\u{1ECC}'..='\u{1EE3}' => "o",
        '\u{1EE4}'..='\u{1EF1}' => "u",
        '\u{1EF2}'..='\u{1EF9}' => "y",
        'ḥ' | 'ḫ' | 'ẖ' => "h",
        'ṣ' | 'ṡ' => "s",
        'ṭ' => "t",
        'ẓ' => "z",
        'ḍ' | 'ḏ' => "d",
        'ḳ' => "k",
        'ṇ' | 'ṅ' => "n",
        'ṃ' => "m",
        'ṛ' => "r",
        'ḷ' => "l",
        'ẗ' => "t",
        'ẘ' | 'ẃ' | 'ẁ' | 'ẅ' => "w",
        // Ligatures.
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        _ => return None,
    };
    Some(s)
}

/// Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian, Kazakh and Mongolian letters,
/// in a simple English-style transliteration (BGN/PCGN without diacritics).
fn cyrillic(c: char) -> Option<&'static str> {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        'ѓ' => "gj",
        'ќ' => "kj",
        'ѕ' => "dz",
        'ә' => "a",
        'ғ' => "g",
        'қ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        _ => return None,
    };
    Some(s)
}

/// Modern Greek, with the tonos and dialytika forms.
fn greek(c: char) -> Option<&'static str> {
    let s = match c {
        'α' | 'ά' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' | 'έ' => "e",
        'ζ' => "z",
        'η' | 'ή' => "i",
        'θ' => "th",
        'ι' | 'ί' | 'ϊ' | 'ΐ' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' | 'ό' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' | 'ύ' | 'ϋ' | 'ΰ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' | 'ώ' => "o",
        _ => return None,
    };
    Some(s)
}

/// Eastern Armenian, lower case.
fn armenian(c: char) -> Option<&'static str> {
    const TABLE: [&str; 39] = [
        "a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz",
        "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts", "v",
        "p", "k", "o", "f", "ev",
    ];
    let offset = (c as u32).checked_sub(0x0561)?;
    TABLE.get(offset as usize).copied()
}

/// Georgian Mkhedruli.
fn georgian(c: char) -> Option<&'static str> {
    const TABLE: [&str; 33] = [
        "a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r", "s",
        "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h",
    ];
    let offset = (c as u32).checked_sub(0x10D0)?;
    TABLE.get(offset as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_syllables_romanise_from_their_parts() {
        assert_eq!(hangul('김'), Some(["g", "i", "m"]));
        assert_eq!(hangul('정'), Some(["j", "eo", "ng"]));
        assert_eq!(hangul('은'), Some(["", "eu", "n"]));
        assert_eq!(hangul('박'), Some(["b", "a", "k"]));
        assert_eq!(hangul('이'), Some(["y", "i", ""]));
        assert_eq!(hangul('힣'), Some(["h", "i", "t"]));
        assert_eq!(hangul('a'), None);
        assert_eq!(hangul('ㄱ'), None);
    }

    fn fold_str(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            match fold(c) {
                Folded::Keep(c) => out.push(c),
                Folded::Latin(l) => out.push_str(l),
                Folded::Space | Folded::Dot => out.push(' '),
                Folded::And => out.push_str(" and "),
                Folded::Drop => {}
                Folded::Syllable(parts) => {
                    out.push(' ');
                    out.extend(parts);
                    out.push(' ');
                }
            }
        }
        out
    }

    #[test]
    fn folds_accents_and_scripts() {
        assert_eq!(fold_str("Erdoğan"), "erdogan");
        assert_eq!(fold_str("Société Générale"), "societe generale");
        assert_eq!(fold_str("Владимир Путин"), "vladimir putin");
        assert_eq!(fold_str("Κυριάκος"), "kyriakos");
        assert_eq!(fold_str("Al Qa'ida"), "al qaida");
        assert_eq!(fold_str("Straße"), "strasse");
        assert_eq!(fold_str("Բարակ"), "barak");
        assert_eq!(fold_str("ბარაკ"), "barak");
        assert_eq!(fold_str("ＪＯＮＧ　Ｓｏｎｇ"), "jong song");
    }
}
