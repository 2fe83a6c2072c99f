//! Look-alike characters folded before a name is read: the first step of normalisation.
//!
//! A payee written `Ѕilver Ѕtar` (Cyrillic dze, U+0405), `𝐒𝐢𝐥𝐯𝐞𝐫 𝐒𝐭𝐚𝐫` (mathematical bold) or
//! with a right-to-left override that displays `Silver Star` from the stored `ratS revliS` looks
//! like the designated name to a person and would not match it without this step. [`fold`]
//! undoes each trick in turn:
//!
//! 1. **Bidirectional controls.** A run after RIGHT-TO-LEFT OVERRIDE (U+202E) is displayed
//!    reversed, so it is reversed back to the order a reader sees; every other bidi control
//!    (embeddings, isolates, marks) and invisible format character (zero-width spaces and
//!    joiners, word joiner, soft hyphen, byte order mark) is dropped.
//! 2. **NFKC.** Compatibility forms become their plain letters: mathematical alphanumerics,
//!    full-width forms, ligatures (`ﬁ`), circled and superscript letters, Roman numerals.
//! 3. **Confusables.** In a word that holds Latin letters, each character of another script
//!    that Unicode lists as a look-alike of Latin letters or digits becomes them (`Ѕ` → `S`,
//!    Greek `ο` → `o`, Cherokee `Ꭺ` → `A`). A word written wholly in Cyrillic or Greek is left
//!    to transliteration (`Путин` → `putin`): mapping its look-alikes would misread real
//!    Cyrillic names (`КОМАР` is Komar, not `KOMAP`).
//!
//! The table is generated from Unicode's `confusables.txt` (UTS #39, version 14.0.0): each
//! single-character source outside ASCII that NFKC leaves unchanged, whose prototype is one or
//! two ASCII letters or digits; prototypes `l` of letters named I (Greek iota, Cyrillic
//! Byelorussian-Ukrainian I, palochka) are written `I`, since names use the letter I far more
//! than l. Look-alikes whose prototype is not ASCII (Cyrillic `в` ~ small capital `ʙ`) are not
//! folded.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// RIGHT-TO-LEFT OVERRIDE: what follows is displayed reversed, up to POP DIRECTIONAL
/// FORMATTING or the end of the text.
const RIGHT_TO_LEFT_OVERRIDE: char = '\u{202E}';
/// POP DIRECTIONAL FORMATTING: ends an override or embedding.
const POP_DIRECTIONAL_FORMATTING: char = '\u{202C}';

/// `name` as a reader sees it, in plain letters: overrides undone, invisible characters dropped,
/// NFKC applied and look-alikes of Latin letters folded in words that mix scripts. Plain ASCII
/// is returned as it is, without allocating.
pub(crate) fn fold(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let visible = displayed_order(name);
    let compatible: String = visible.nfkc().collect();
    Cow::Owned(unconfuse_words(&compatible))
}

/// The characters in the order they are displayed, without the invisible ones.
fn displayed_order(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut reversed: Option<Vec<char>> = None;
    for c in name.chars() {
        match (c, reversed.as_mut()) {
            (RIGHT_TO_LEFT_OVERRIDE, None) => reversed = Some(Vec::new()),
            (POP_DIRECTIONAL_FORMATTING, Some(run)) => {
                out.extend(run.iter().rev());
                reversed = None;
            }
            (c, _) if is_invisible(c) => {}
            (c, Some(run)) => run.push(c),
            (c, None) => out.push(c),
        }
    }
    if let Some(run) = reversed {
        out.extend(run.iter().rev());
    }
    out
}

/// Bidirectional controls and format characters that display as nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Folds look-alikes in each word that also holds an ASCII letter.
fn unconfuse_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.chars().any(|c| c.is_ascii_alphabetic()) {
            for c in word.chars() {
                match prototype(c) {
                    Some(latin) => out.push_str(latin),
                    None => out.push(c),
                }
            }
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The ASCII letters or digits `c` is a look-alike of, if the table lists it.
fn prototype(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    CONFUSABLES
        .binary_search_by_key(&c, |(source, _)| *source)
        .ok()
        .and_then(|i| CONFUSABLES.get(i))
        .map(|(_, latin)| *latin)
}

/// Look-alikes of ASCII letters and digits, by character, from Unicode's `confusables.txt`
/// (see the module documentation for how it was derived).
#[rustfmt::skip]
const CONFUSABLES: &[(char, &str)] = &[
    ('\u{00C6}', "AE"), // LATIN CAPITAL LETTER AE
    ('\u{00D7}', "x"), // MULTIPLICATION SIGN
    ('\u{00E6}', "ae"), // LATIN SMALL LETTER AE
    ('\u{0131}', "i"), // LATIN SMALL LETTER DOTLESS I
    ('\u{0152}', "OE"), // LATIN CAPITAL LIGATURE OE
    ('\u{0153}', "oe"), // LATIN SMALL LIGATURE OE
    ('\u{0184}', "b"), // LATIN CAPITAL LETTER TONE SIX
    ('\u{018D}', "g"), // LATIN SMALL LETTER TURNED DELTA
    ('\u{0196}', "I"), // LATIN CAPITAL LETTER IOTA
    ('\u{01A6}', "R"), // LATIN LETTER YR
    ('\u{01A7}', "2"), // LATIN CAPITAL LETTER TONE TWO
    ('\u{01B7}', "3"), // LATIN CAPITAL LETTER EZH
    ('\u{01BC}', "5"), // LATIN CAPITAL LETTER TONE FIVE
    ('\u{01BD}', "s"), // LATIN SMALL LETTER TONE FIVE
    ('\u{01C0}', "l"), // LATIN LETTER DENTAL CLICK
    ('\u{01C1}', "ll"), // LATIN LETTER LATERAL CLICK
    ('\u{021C}', "3"), // LATIN CAPITAL LETTER YOGH
    ('\u{0222}', "8"), // LATIN CAPITAL LETTER OU
    ('\u{0223}', "8"), // LATIN SMALL LETTER OU
    ('\u{0251}', "a"), // LATIN SMALL LETTER ALPHA
    ('\u{0261}', "g"), // LATIN SMALL LETTER SCRIPT G
    ('\u{0263}', "y"), // LATIN SMALL LETTER GAMMA
    ('\u{0269}', "i"), // LATIN SMALL LETTER IOTA
    ('\u{026A}', "i"), // LATIN LETTER SMALL CAPITAL I
    ('\u{026F}', "w"), // LATIN SMALL LETTER TURNED M
    ('\u{028B}', "u"), // LATIN SMALL LETTER V WITH HOOK
    ('\u{028F}', "y"), // LATIN LETTER SMALL CAPITAL Y
    ('\u{02A3}', "dz"), // LATIN SMALL LETTER DZ DIGRAPH
    ('\u{02A6}', "ts"), // LATIN SMALL LETTER TS DIGRAPH
    ('\u{02AA}', "ls"), // LATIN SMALL LETTER LS DIGRAPH
    ('\u{02AB}', "lz"), // LATIN SMALL LETTER LZ DIGRAPH
    ('\u{037F}', "J"), // GREEK CAPITAL LETTER YOT
    ('\u{0391}', "A"), // GREEK CAPITAL LETTER ALPHA
    ('\u{0392}', "B"), // GREEK CAPITAL LETTER BETA
    ('\u{0395}', "E"), // GREEK CAPITAL LETTER EPSILON
    ('\u{0396}', "Z"), // GREEK CAPITAL LETTER ZETA
    ('\u{0397}', "H"), // GREEK CAPITAL LETTER ETA
    ('\u{0399}', "I"), // GREEK CAPITAL LETTER IOTA
    ('\u{039A}', "K"), // GREEK CAPITAL LETTER KAPPA
    ('\u{039C}', "M"), // GREEK CAPITAL LETTER MU
    ('\u{039D}', "N"), // GREEK CAPITAL LETTER NU
    ('\u{039F}', "O"), // GREEK CAPITAL LETTER OMICRON
    ('\u{03A1}', "P"), // GREEK CAPITAL LETTER RHO
    ('\u{03A4}', "T"), // GREEK CAPITAL LETTER TAU
    ('\u{03A5}', "Y"), // GREEK CAPITAL LETTER UPSILON
    ('\u{03A7}', "X"), // GREEK CAPITAL LETTER CHI
    ('\u{03B1}', "a"), // GREEK SMALL LETTER ALPHA
    ('\u{03B3}', "y"), // GREEK SMALL LETTER GAMMA
    ('\u{03B9}', "i"), // GREEK SMALL LETTER IOTA
    ('\u{03BD}', "v"), // GREEK SMALL LETTER NU
    ('\u{03BF}', "o"), // GREEK SMALL LETTER OMICRON
    ('\u{03C1}', "p"), // GREEK SMALL LETTER RHO
    ('\u{03C3}', "o"), // GREEK SMALL LETTER SIGMA
    ('\u{03C5}', "u"), // GREEK SMALL LETTER UPSILON
    ('\u{03DC}', "F"), // GREEK LETTER DIGAMMA
    ('\u{03E8}', "2"), // COPTIC CAPITAL LETTER HORI
    ('\u{03F3}', "j"), // GREEK LETTER YOT
    ('\u{03FA}', "M"), // GREEK CAPITAL LETTER SAN
    ('\u{0405}', "S"), // CYRILLIC CAPITAL LETTER DZE
    ('\u{0406}', "I"), // CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    ('\u{0408}', "J"), // CYRILLIC CAPITAL LETTER JE
    ('\u{0410}', "A"), // CYRILLIC CAPITAL LETTER A
    ('\u{0412}', "B"), // CYRILLIC CAPITAL LETTER VE
    ('\u{0415}', "E"), // CYRILLIC CAPITAL LETTER IE
    ('\u{0417}', "3"), // CYRILLIC CAPITAL LETTER ZE
    ('\u{041A}', "K"), // CYRILLIC CAPITAL LETTER KA
    ('\u{041C}', "M"), // CYRILLIC CAPITAL LETTER EM
    ('\u{041D}', "H"), // CYRILLIC CAPITAL LETTER EN
    ('\u{041E}', "O"), // CYRILLIC CAPITAL LETTER O
    ('\u{0420}', "P"), // CYRILLIC CAPITAL LETTER ER
    ('\u{0421}', "C"), // CYRILLIC CAPITAL LETTER ES
    ('\u{0422}', "T"), // CYRILLIC CAPITAL LETTER TE
    ('\u{0423}', "Y"), // CYRILLIC CAPITAL LETTER U
    ('\u{0425}', "X"), // CYRILLIC CAPITAL LETTER HA
    ('\u{042B}', "bl"), // CYRILLIC CAPITAL LETTER YERU
    ('\u{042C}', "b"), // CYRILLIC CAPITAL LETTER SOFT SIGN
    ('\u{042E}', "lO"), // CYRILLIC CAPITAL LETTER YU
    ('\u{0430}', "a"), // CYRILLIC SMALL LETTER A
    ('\u{0431}', "6"), // CYRILLIC SMALL LETTER BE
    ('\u{0433}', "r"), // CYRILLIC SMALL LETTER GHE
    ('\u{0435}', "e"), // CYRILLIC SMALL LETTER IE
    ('\u{043E}', "o"), // CYRILLIC SMALL LETTER O
    ('\u{0440}', "p"), // CYRILLIC SMALL LETTER ER
    ('\u{0441}', "c"), // CYRILLIC SMALL LETTER ES
    ('\u{0443}', "y"), // CYRILLIC SMALL LETTER U
    ('\u{0445}', "x"), // CYRILLIC SMALL LETTER HA
    ('\u{0455}', "s"), // CYRILLIC SMALL LETTER DZE
    ('\u{0456}', "i"), // CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    ('\u{0458}', "j"), // CYRILLIC SMALL LETTER JE
    ('\u{0461}', "w"), // CYRILLIC SMALL LETTER OMEGA
    ('\u{0474}', "V"), // CYRILLIC CAPITAL LETTER IZHITSA
    ('\u{0475}', "v"), // CYRILLIC SMALL LETTER IZHITSA
    ('\u{04AE}', "Y"), // CYRILLIC CAPITAL LETTER STRAIGHT U
    ('\u{04AF}', "y"), // CYRILLIC SMALL LETTER STRAIGHT U
    ('\u{04BB}', "h"), // CYRILLIC SMALL LETTER SHHA
    ('\u{04BD}', "e"), // CYRILLIC SMALL LETTER ABKHASIAN CHE
    ('\u{04C0}', "I"), // CYRILLIC LETTER PALOCHKA
    ('\u{04CF}', "i"), // CYRILLIC SMALL LETTER PALOCHKA
    ('\u{04D4}', "AE"), // CYRILLIC CAPITAL LIGATURE A IE
    ('\u{04D5}', "ae"), // CYRILLIC SMALL LIGATURE A IE
    ('\u{04E0}', "3"), // CYRILLIC CAPITAL LETTER ABKHASIAN DZE
    ('\u{0501}', "d"), // CYRILLIC SMALL LETTER KOMI DE
    ('\u{050C}', "G"), // CYRILLIC CAPITAL LETTER KOMI SJE
    ('\u{051B}', "q"), // CYRILLIC SMALL LETTER QA
    ('\u{051C}', "W"), // CYRILLIC CAPITAL LETTER WE
    ('\u{051D}', "w"), // CYRILLIC SMALL LETTER WE
    ('\u{054D}', "U"), // ARMENIAN CAPITAL LETTER SEH
    ('\u{054F}', "S"), // ARMENIAN CAPITAL LETTER TIWN
    ('\u{0555}', "O"), // ARMENIAN CAPITAL LETTER OH
    ('\u{0561}', "w"), // ARMENIAN SMALL LETTER AYB
    ('\u{0563}', "q"), // ARMENIAN SMALL LETTER GIM
    ('\u{0566}', "q"), // ARMENIAN SMALL LETTER ZA
    ('\u{0570}', "h"), // ARMENIAN SMALL LETTER HO
    ('\u{0578}', "n"), // ARMENIAN SMALL LETTER VO
    ('\u{057C}', "n"), // ARMENIAN SMALL LETTER RA
    ('\u{057D}', "u"), // ARMENIAN SMALL LETTER SEH
    ('\u{0581}', "g"), // ARMENIAN SMALL LETTER CO
    ('\u{0584}', "f"), // ARMENIAN SMALL LETTER KEH
    ('\u{0585}', "o"), // ARMENIAN SMALL LETTER OH
    ('\u{05C0}', "l"), // HEBREW PUNCTUATION PASEQ
    ('\u{05D5}', "l"), // HEBREW LETTER VAV
    ('\u{05D8}', "v"), // HEBREW LETTER TET
    ('\u{05DF}', "l"), // HEBREW LETTER FINAL NUN
    ('\u{05E1}', "o"), // HEBREW LETTER SAMEKH
    ('\u{05F0}', "ll"), // HEBREW LIGATURE YIDDISH DOUBLE VAV
    ('\u{0627}', "l"), // ARABIC LETTER ALEF
    ('\u{0647}', "o"), // ARABIC LETTER HEH
    ('\u{0661}', "l"), // ARABIC-INDIC DIGIT ONE
    ('\u{0665}', "o"), // ARABIC-INDIC DIGIT FIVE
    ('\u{0667}', "V"), // ARABIC-INDIC DIGIT SEVEN
    ('\u{06BE}', "o"), // ARABIC LETTER HEH DOACHASHMEE
    ('\u{06C1}', "o"), // ARABIC LETTER HEH GOAL
    ('\u{06D5}', "o"), // ARABIC LETTER AE
    ('\u{06F1}', "l"), // EXTENDED ARABIC-INDIC DIGIT ONE
    ('\u{06F5}', "o"), // EXTENDED ARABIC-INDIC DIGIT FIVE
    ('\u{06F7}', "V"), // EXTENDED ARABIC-INDIC DIGIT SEVEN
    ('\u{07C0}', "O"), // NKO DIGIT ZERO
    ('\u{07CA}', "l"), // NKO LETTER A
    ('\u{0966}', "o"), // DEVANAGARI DIGIT ZERO
    ('\u{09E6}', "O"), // BENGALI DIGIT ZERO
    ('\u{09EA}', "8"), // BENGALI DIGIT FOUR
    ('\u{09ED}', "9"), // BENGALI DIGIT SEVEN
    ('\u{0A66}', "o"), // GURMUKHI DIGIT ZERO
    ('\u{0A67}', "9"), // GURMUKHI DIGIT ONE
    ('\u{0A6A}', "8"), // GURMUKHI DIGIT FOUR
    ('\u{0AE6}', "o"), // GUJARATI DIGIT ZERO
    ('\u{0B03}', "8"), // ORIYA SIGN VISARGA
    ('\u{0B20}', "O"), // ORIYA LETTER TTHA
    ('\u{0B66}', "O"), // ORIYA DIGIT ZERO
    ('\u{0B68}', "9"), // ORIYA DIGIT TWO
    ('\u{0BE6}', "o"), // TAMIL DIGIT ZERO
    ('\u{0C02}', "o"), // TELUGU SIGN ANUSVARA
    ('\u{0C66}', "o"), // TELUGU DIGIT ZERO
    ('\u{0C82}', "o"), // KANNADA SIGN ANUSVARA
    ('\u{0CE6}', "o"), // KANNADA DIGIT ZERO
    ('\u{0D02}', "o"), // MALAYALAM SIGN ANUSVARA
    ('\u{0D20}', "o"), // MALAYALAM LETTER TTHA
    ('\u{0D66}', "o"), // MALAYALAM DIGIT ZERO
    ('\u{0D6D}', "9"), // MALAYALAM DIGIT SEVEN
    ('\u{0D82}', "o"), // SINHALA SIGN ANUSVARAYA
    ('\u{0E50}', "o"), // THAI DIGIT ZERO
    ('\u{0ED0}', "o"), // LAO DIGIT ZERO
    ('\u{101D}', "o"), // MYANMAR LETTER WA
    ('\u{1040}', "o"), // MYANMAR DIGIT ZERO
    ('\u{10E7}', "y"), // GEORGIAN LETTER QAR
    ('\u{10FF}', "o"), // GEORGIAN LETTER LABIAL SIGN
    ('\u{1200}', "U"), // ETHIOPIC SYLLABLE HA
    ('\u{12D0}', "O"), // ETHIOPIC SYLLABLE PHARYNGEAL A
    ('\u{13A0}', "D"), // CHEROKEE LETTER A
    ('\u{13A1}', "R"), // CHEROKEE LETTER E
    ('\u{13A2}', "T"), // CHEROKEE LETTER I
    ('\u{13A5}', "i"), // CHEROKEE LETTER V
    ('\u{13A9}', "Y"), // CHEROKEE LETTER GI
    ('\u{13AA}', "A"), // CHEROKEE LETTER GO
    ('\u{13AB}', "J"), // CHEROKEE LETTER GU
    ('\u{13AC}', "E"), // CHEROKEE LETTER GV
    ('\u{13B3}', "W"), // CHEROKEE LETTER LA
    ('\u{13B7}', "M"), // CHEROKEE LETTER LU
    ('\u{13BB}', "H"), // CHEROKEE LETTER MI
    ('\u{13BD}', "Y"), // CHEROKEE LETTER MU
    ('\u{13C0}', "G"), // CHEROKEE LETTER NAH
    ('\u{13C2}', "h"), // CHEROKEE LETTER NI
    ('\u{13C3}', "Z"), // CHEROKEE LETTER NO
    ('\u{13CE}', "4"), // CHEROKEE LETTER SE
    ('\u{13CF}', "b"), // CHEROKEE LETTER SI
    ('\u{13D2}', "R"), // CHEROKEE LETTER SV
    ('\u{13D4}', "W"), // CHEROKEE LETTER TA
    ('\u{13D5}', "S"), // CHEROKEE LETTER DE
    ('\u{13D9}', "V"), // CHEROKEE LETTER DO
    ('\u{13DA}', "S"), // CHEROKEE LETTER DU
    ('\u{13DE}', "L"), // CHEROKEE LETTER TLE
    ('\u{13DF}', "C"), // CHEROKEE LETTER TLI
    ('\u{13E2}', "P"), // CHEROKEE LETTER TLV
    ('\u{13E6}', "K"), // CHEROKEE LETTER TSO
    ('\u{13E7}', "d"), // CHEROKEE LETTER TSU
    ('\u{13EE}', "6"), // CHEROKEE LETTER WV
    ('\u{13F3}', "G"), // CHEROKEE LETTER YU
    ('\u{13F4}', "B"), // CHEROKEE LETTER YV
    ('\u{142F}', "V"), // CANADIAN SYLLABICS PE
    ('\u{144C}', "U"), // CANADIAN SYLLABICS TE
    ('\u{146D}', "P"), // CANADIAN SYLLABICS KI
    ('\u{146F}', "d"), // CANADIAN SYLLABICS KO
    ('\u{1472}', "b"), // CANADIAN SYLLABICS KA
    ('\u{148D}', "J"), // CANADIAN SYLLABICS CO
    ('\u{14AA}', "L"), // CANADIAN SYLLABICS MA
    ('\u{14BF}', "2"), // CANADIAN SYLLABICS SAYISI M
    ('\u{1541}', "x"), // CANADIAN SYLLABICS SAYISI YI
    ('\u{157C}', "H"), // CANADIAN SYLLABICS NUNAVUT H
    ('\u{157D}', "x"), // CANADIAN SYLLABICS HK
    ('\u{1587}', "R"), // CANADIAN SYLLABICS TLHI
    ('\u{15AF}', "b"), // CANADIAN SYLLABICS AIVILIK B
    ('\u{15B4}', "F"), // CANADIAN SYLLABICS BLACKFOOT WE
    ('\u{15C5}', "A"), // CANADIAN SYLLABICS CARRIER GHO
    ('\u{15DE}', "D"), // CANADIAN SYLLABICS CARRIER THE
    ('\u{15EA}', "D"), // CANADIAN SYLLABICS CARRIER PE
    ('\u{15F0}', "M"), // CANADIAN SYLLABICS CARRIER GO
    ('\u{15F7}', "B"), // CANADIAN SYLLABICS CARRIER KHE
    ('\u{166D}', "X"), // CANADIAN SYLLABICS CHI SIGN
    ('\u{166E}', "x"), // CANADIAN SYLLABICS FULL STOP
    ('\u{16B7}', "X"), // RUNIC LETTER GEBO GYFU G
    ('\u{16C1}', "I"), // RUNIC LETTER ISAZ IS ISS I
    ('\u{16D5}', "K"), // RUNIC LETTER OPEN-P
    ('\u{16D6}', "M"), // RUNIC LETTER EHWAZ EH E
    ('\u{1D04}', "c"), // LATIN LETTER SMALL CAPITAL C
    ('\u{1D0F}', "o"), // LATIN LETTER SMALL CAPITAL O
    ('\u{1D11}', "o"), // LATIN SMALL LETTER SIDEWAYS O
    ('\u{1D1C}', "u"), // LATIN LETTER SMALL CAPITAL U
    ('\u{1D20}', "v"), // LATIN LETTER SMALL CAPITAL V
    ('\u{1D21}', "w"), // LATIN LETTER SMALL CAPITAL W
    ('\u{1D22}', "z"), // LATIN LETTER SMALL CAPITAL Z
    ('\u{1D26}', "r"), // GREEK LETTER SMALL CAPITAL GAMMA
    ('\u{1D6B}', "ue"), // LATIN SMALL LETTER UE
    ('\u{1D83}', "g"), // LATIN SMALL LETTER G WITH PALATAL HOOK
    ('\u{1D8C}', "y"), // LATIN SMALL LETTER V WITH PALATAL HOOK
    ('\u{1E9D}', "f"), // LATIN SMALL LETTER LONG S WITH HIGH STROKE
    ('\u{1EFF}', "y"), // LATIN SMALL LETTER Y WITH LOOP
    ('\u{2016}', "ll"), // DOUBLE VERTICAL LINE
    ('\u{20B6}', "lt"), // LIVRE TOURNOIS SIGN
    ('\u{212E}', "e"), // ESTIMATED SYMBOL
    ('\u{221E}', "oo"), // INFINITY
    ('\u{2223}', "l"), // DIVIDES
    ('\u{2225}', "ll"), // PARALLEL TO
    ('\u{2228}', "v"), // LOGICAL OR
    ('\u{222A}', "U"), // UNION
    ('\u{22A4}', "T"), // DOWN TACK
    ('\u{22C1}', "v"), // N-ARY LOGICAL OR
    ('\u{22C3}', "U"), // N-ARY UNION
    ('\u{22FF}', "E"), // Z NOTATION BAG MEMBERSHIP
    ('\u{2373}', "i"), // APL FUNCTIONAL SYMBOL IOTA
    ('\u{2374}', "p"), // APL FUNCTIONAL SYMBOL RHO
    ('\u{237A}', "a"), // APL FUNCTIONAL SYMBOL ALPHA
    ('\u{23FD}', "l"), // POWER ON SYMBOL
    ('\u{2573}', "X"), // BOX DRAWINGS LIGHT DIAGONAL CROSS
    ('\u{27D9}', "T"), // LARGE DOWN TACK
    ('\u{292B}', "x"), // RISING DIAGONAL CROSSING FALLING DIAGONAL
    ('\u{292C}', "x"), // FALLING DIAGONAL CROSSING RISING DIAGONAL
    ('\u{2A2F}', "x"), // VECTOR OR CROSS PRODUCT
    ('\u{2C85}', "r"), // COPTIC SMALL LETTER GAMMA
    ('\u{2C8E}', "H"), // COPTIC CAPITAL LETTER HATE
    ('\u{2C92}', "I"), // COPTIC CAPITAL LETTER IAUDA
    ('\u{2C94}', "K"), // COPTIC CAPITAL LETTER KAPA
    ('\u{2C98}', "M"), // COPTIC CAPITAL LETTER MI
    ('\u{2C9A}', "N"), // COPTIC CAPITAL LETTER NI
    ('\u{2C9E}', "O"), // COPTIC CAPITAL LETTER O
    ('\u{2C9F}', "o"), // COPTIC SMALL LETTER O
    ('\u{2CA2}', "P"), // COPTIC CAPITAL LETTER RO
    ('\u{2CA3}', "p"), // COPTIC SMALL LETTER RO
    ('\u{2CA4}', "C"), // COPTIC CAPITAL LETTER SIMA
    ('\u{2CA5}', "c"), // COPTIC SMALL LETTER SIMA
    ('\u{2CA6}', "T"), // COPTIC CAPITAL LETTER TAU
    ('\u{2CA8}', "Y"), // COPTIC CAPITAL LETTER UA
    ('\u{2CAC}', "X"), // COPTIC CAPITAL LETTER KHI
    ('\u{2CCA}', "9"), // COPTIC CAPITAL LETTER DIALECT-P HORI
    ('\u{2CCC}', "3"), // COPTIC CAPITAL LETTER OLD COPTIC HORI
    ('\u{2CD0}', "L"), // COPTIC CAPITAL LETTER L-SHAPED HA
    ('\u{2CD2}', "6"), // COPTIC CAPITAL LETTER OLD COPTIC HEI
    ('\u{2D38}', "V"), // TIFINAGH LETTER YADH
    ('\u{2D39}', "E"), // TIFINAGH LETTER YADD
    ('\u{2D4F}', "l"), // TIFINAGH LETTER YAN
    ('\u{2D54}', "O"), // TIFINAGH LETTER YAR
    ('\u{2D55}', "Q"), // TIFINAGH LETTER YARR
    ('\u{2D5D}', "X"), // TIFINAGH LETTER YATH
    ('\u{3007}', "O"), // IDEOGRAPHIC NUMBER ZERO
    ('\u{A4D0}', "B"), // LISU LETTER BA
    ('\u{A4D1}', "P"), // LISU LETTER PA
    ('\u{A4D2}', "d"), // LISU LETTER PHA
    ('\u{A4D3}', "D"), // LISU LETTER DA
    ('\u{A4D4}', "T"), // LISU LETTER TA
    ('\u{A4D6}', "G"), // LISU LETTER GA
    ('\u{A4D7}', "K"), // LISU LETTER KA
    ('\u{A4D9}', "J"), // LISU LETTER JA
    ('\u{A4DA}', "C"), // LISU LETTER CA
    ('\u{A4DC}', "Z"), // LISU LETTER DZA
    ('\u{A4DD}', "F"), // LISU LETTER TSA
    ('\u{A4DF}', "M"), // LISU LETTER MA
    ('\u{A4E0}', "N"), // LISU LETTER NA
    ('\u{A4E1}', "L"), // LISU LETTER LA
    ('\u{A4E2}', "S"), // LISU LETTER SA
    ('\u{A4E3}', "R"), // LISU LETTER ZHA
    ('\u{A4E6}', "V"), // LISU LETTER HA
    ('\u{A4E7}', "H"), // LISU LETTER XA
    ('\u{A4EA}', "W"), // LISU LETTER WA
    ('\u{A4EB}', "X"), // LISU LETTER SHA
    ('\u{A4EC}', "Y"), // LISU LETTER YA
    ('\u{A4EE}', "A"), // LISU LETTER A
    ('\u{A4F0}', "E"), // LISU LETTER E
    ('\u{A4F2}', "I"), // LISU LETTER I
    ('\u{A4F3}', "O"), // LISU LETTER O
    ('\u{A4F4}', "U"), // LISU LETTER U
    ('\u{A644}', "2"), // CYRILLIC CAPITAL LETTER REVERSED DZE
    ('\u{A647}', "i"), // CYRILLIC SMALL LETTER IOTA
    ('\u{A698}', "OO"), // CYRILLIC CAPITAL LETTER DOUBLE O
    ('\u{A699}', "oo"), // CYRILLIC SMALL LETTER DOUBLE O
    ('\u{A6DF}', "V"), // BAMUM LETTER KO
    ('\u{A6EF}', "2"), // BAMUM LETTER KOGHOM
    ('\u{A728}', "T3"), // LATIN CAPITAL LETTER TZ
    ('\u{A731}', "s"), // LATIN LETTER SMALL CAPITAL S
    ('\u{A732}', "AA"), // LATIN CAPITAL LETTER AA
    ('\u{A733}', "aa"), // LATIN SMALL LETTER AA
    ('\u{A734}', "AO"), // LATIN CAPITAL LETTER AO
    ('\u{A735}', "ao"), // LATIN SMALL LETTER AO
    ('\u{A736}', "AU"), // LATIN CAPITAL LETTER AU
    ('\u{A737}', "au"), // LATIN SMALL LETTER AU
    ('\u{A738}', "AV"), // LATIN CAPITAL LETTER AV
    ('\u{A739}', "av"), // LATIN SMALL LETTER AV
    ('\u{A73A}', "AV"), // LATIN CAPITAL LETTER AV WITH HORIZONTAL BAR
    ('\u{A73B}', "av"), // LATIN SMALL LETTER AV WITH HORIZONTAL BAR
    ('\u{A73C}', "AY"), // LATIN CAPITAL LETTER AY
    ('\u{A73D}', "ay"), // LATIN SMALL LETTER AY
    ('\u{A74E}', "OO"), // LATIN CAPITAL LETTER OO
    ('\u{A74F}', "oo"), // LATIN SMALL LETTER OO
    ('\u{A75A}', "2"), // LATIN CAPITAL LETTER R ROTUNDA
    ('\u{A76A}', "3"), // LATIN CAPITAL LETTER ET
    ('\u{A76E}', "9"), // LATIN CAPITAL LETTER CON
    ('\u{A777}', "tf"), // LATIN SMALL LETTER TUM
    ('\u{A798}', "F"), // LATIN CAPITAL LETTER F WITH STROKE
    ('\u{A799}', "f"), // LATIN SMALL LETTER F WITH STROKE
    ('\u{A79F}', "u"), // LATIN SMALL LETTER VOLAPUK UE
    ('\u{A7AB}', "3"), // LATIN CAPITAL LETTER REVERSED OPEN E
    ('\u{A7B2}', "J"), // LATIN CAPITAL LETTER J WITH CROSSED-TAIL
    ('\u{A7B3}', "X"), // LATIN CAPITAL LETTER CHI
    ('\u{A7B4}', "B"), // LATIN CAPITAL LETTER BETA
    ('\u{AB32}', "e"), // LATIN SMALL LETTER BLACKLETTER E
    ('\u{AB35}', "f"), // LATIN SMALL LETTER LENIS F
    ('\u{AB3D}', "o"), // LATIN SMALL LETTER BLACKLETTER O
    ('\u{AB47}', "r"), // LATIN SMALL LETTER R WITHOUT HANDLE
    ('\u{AB48}', "r"), // LATIN SMALL LETTER DOUBLE R
    ('\u{AB4E}', "u"), // LATIN SMALL LETTER U WITH SHORT RIGHT LEG
    ('\u{AB52}', "u"), // LATIN SMALL LETTER U WITH LEFT HOOK
    ('\u{AB5A}', "y"), // LATIN SMALL LETTER Y WITH SHORT RIGHT LEG
    ('\u{AB63}', "uo"), // LATIN SMALL LETTER UO
    ('\u{AB75}', "i"), // CHEROKEE SMALL LETTER V
    ('\u{AB81}', "r"), // CHEROKEE SMALL LETTER HU
    ('\u{AB83}', "w"), // CHEROKEE SMALL LETTER LA
    ('\u{AB93}', "z"), // CHEROKEE SMALL LETTER NO
    ('\u{ABA9}', "v"), // CHEROKEE SMALL LETTER DO
    ('\u{ABAA}', "s"), // CHEROKEE SMALL LETTER DU
    ('\u{ABAF}', "c"), // CHEROKEE SMALL LETTER TLI
    ('\u{10282}', "B"), // LYCIAN LETTER B
    ('\u{10286}', "E"), // LYCIAN LETTER I
    ('\u{10287}', "F"), // LYCIAN LETTER W
    ('\u{1028A}', "l"), // LYCIAN LETTER J
    ('\u{10290}', "X"), // LYCIAN LETTER MM
    ('\u{10292}', "O"), // LYCIAN LETTER U
    ('\u{10295}', "P"), // LYCIAN LETTER R
    ('\u{10296}', "S"), // LYCIAN LETTER S
    ('\u{10297}', "T"), // LYCIAN LETTER T
    ('\u{102A0}', "A"), // CARIAN LETTER A
    ('\u{102A1}', "B"), // CARIAN LETTER P2
    ('\u{102A2}', "C"), // CARIAN LETTER D
    ('\u{102A5}', "F"), // CARIAN LETTER R
    ('\u{102AB}', "O"), // CARIAN LETTER O
    ('\u{102B0}', "M"), // CARIAN LETTER S
    ('\u{102B1}', "T"), // CARIAN LETTER C-18
    ('\u{102B2}', "Y"), // CARIAN LETTER U
    ('\u{102B4}', "X"), // CARIAN LETTER X
    ('\u{102CF}', "H"), // CARIAN LETTER E2
    ('\u{102F5}', "Z"), // COPTIC EPACT NUMBER THREE HUNDRED
    ('\u{10301}', "B"), // OLD ITALIC LETTER BE
    ('\u{10302}', "C"), // OLD ITALIC LETTER KE
    ('\u{10309}', "I"), // OLD ITALIC LETTER I
    ('\u{10311}', "M"), // OLD ITALIC LETTER SHE
    ('\u{10315}', "T"), // OLD ITALIC LETTER TE
    ('\u{10317}', "X"), // OLD ITALIC LETTER EKS
    ('\u{1031A}', "8"), // OLD ITALIC LETTER EF
    ('\u{10320}', "l"), // OLD ITALIC NUMERAL ONE
    ('\u{10322}', "X"), // OLD ITALIC NUMERAL TEN
    ('\u{10404}', "O"), // DESERET CAPITAL LETTER LONG O
    ('\u{10415}', "C"), // DESERET CAPITAL LETTER CHEE
    ('\u{1041B}', "L"), // DESERET CAPITAL LETTER ETH
    ('\u{10420}', "S"), // DESERET CAPITAL LETTER ZHEE
    ('\u{1042C}', "o"), // DESERET SMALL LETTER LONG O
    ('\u{1043D}', "c"), // DESERET SMALL LETTER CHEE
    ('\u{10448}', "s"), // DESERET SMALL LETTER ZHEE
    ('\u{104B4}', "R"), // OSAGE CAPITAL LETTER BRA
    ('\u{104C2}', "O"), // OSAGE CAPITAL LETTER O
    ('\u{104CE}', "U"), // OSAGE CAPITAL LETTER U
    ('\u{104D2}', "7"), // OSAGE CAPITAL LETTER ZA
    ('\u{104EA}', "o"), // OSAGE SMALL LETTER O
    ('\u{104F6}', "u"), // OSAGE SMALL LETTER U
    ('\u{10513}', "N"), // ELBASAN LETTER NE
    ('\u{10516}', "O"), // ELBASAN LETTER O
    ('\u{10518}', "K"), // ELBASAN LETTER QE
    ('\u{1051C}', "C"), // ELBASAN LETTER SHE
    ('\u{1051D}', "V"), // ELBASAN LETTER TE
    ('\u{10525}', "F"), // ELBASAN LETTER GHE
    ('\u{10526}', "L"), // ELBASAN LETTER GHAMMA
    ('\u{10527}', "X"), // ELBASAN LETTER KHE
    ('\u{114D0}', "O"), // TIRHUTA DIGIT ZERO
    ('\u{11700}', "rn"), // AHOM LETTER KA
    ('\u{11706}', "v"), // AHOM LETTER PA
    ('\u{1170A}', "w"), // AHOM LETTER JA
    ('\u{1170E}', "w"), // AHOM LETTER LA
    ('\u{1170F}', "w"), // AHOM LETTER SA
    ('\u{118A0}', "V"), // WARANG CITI CAPITAL LETTER NGAA
    ('\u{118A2}', "F"), // WARANG CITI CAPITAL LETTER WI
    ('\u{118A3}', "L"), // WARANG CITI CAPITAL LETTER YU
    ('\u{118A4}', "Y"), // WARANG CITI CAPITAL LETTER YA
    ('\u{118A6}', "E"), // WARANG CITI CAPITAL LETTER II
    ('\u{118A9}', "Z"), // WARANG CITI CAPITAL LETTER O
    ('\u{118AC}', "9"), // WARANG CITI CAPITAL LETTER KO
    ('\u{118AE}', "E"), // WARANG CITI CAPITAL LETTER YUJ
    ('\u{118AF}', "4"), // WARANG CITI CAPITAL LETTER UC
    ('\u{118B2}', "L"), // WARANG CITI CAPITAL LETTER TTE
    ('\u{118B5}', "O"), // WARANG CITI CAPITAL LETTER AT
    ('\u{118B8}', "U"), // WARANG CITI CAPITAL LETTER PU
    ('\u{118BB}', "5"), // WARANG CITI CAPITAL LETTER HORR
    ('\u{118BC}', "T"), // WARANG CITI CAPITAL LETTER HAR
    ('\u{118C0}', "v"), // WARANG CITI SMALL LETTER NGAA
    ('\u{118C1}', "s"), // WARANG CITI SMALL LETTER A
    ('\u{118C2}', "F"), // WARANG CITI SMALL LETTER WI
    ('\u{118C3}', "i"), // WARANG CITI SMALL LETTER YU
    ('\u{118C4}', "z"), // WARANG CITI SMALL LETTER YA
    ('\u{118C6}', "7"), // WARANG CITI SMALL LETTER II
    ('\u{118C8}', "o"), // WARANG CITI SMALL LETTER E
    ('\u{118CA}', "3"), // WARANG CITI SMALL LETTER ANG
    ('\u{118CC}', "9"), // WARANG CITI SMALL LETTER KO
    ('\u{118D5}', "6"), // WARANG CITI SMALL LETTER AT
    ('\u{118D6}', "9"), // WARANG CITI SMALL LETTER AM
    ('\u{118D7}', "o"), // WARANG CITI SMALL LETTER BU
    ('\u{118D8}', "u"), // WARANG CITI SMALL LETTER PU
    ('\u{118DC}', "y"), // WARANG CITI SMALL LETTER HAR
    ('\u{118E0}', "O"), // WARANG CITI DIGIT ZERO
    ('\u{118E3}', "rn"), // WARANG CITI DIGIT THREE
    ('\u{118E5}', "Z"), // WARANG CITI DIGIT FIVE
    ('\u{118E6}', "W"), // WARANG CITI DIGIT SIX
    ('\u{118E9}', "C"), // WARANG CITI DIGIT NINE
    ('\u{118EC}', "X"), // WARANG CITI NUMBER THIRTY
    ('\u{118EF}', "W"), // WARANG CITI NUMBER SIXTY
    ('\u{118F2}', "C"), // WARANG CITI NUMBER NINETY
    ('\u{16F08}', "V"), // MIAO LETTER VA
    ('\u{16F0A}', "T"), // MIAO LETTER TA
    ('\u{16F16}', "L"), // MIAO LETTER LA
    ('\u{16F28}', "l"), // MIAO LETTER GHA
    ('\u{16F35}', "R"), // MIAO LETTER ZHA
    ('\u{16F3A}', "S"), // MIAO LETTER SA
    ('\u{16F3B}', "3"), // MIAO LETTER ZA
    ('\u{16F40}', "A"), // MIAO LETTER ZZYA
    ('\u{16F42}', "U"), // MIAO LETTER WA
    ('\u{16F43}', "Y"), // MIAO LETTER AH
    ('\u{1D206}', "3"), // GREEK VOCAL NOTATION SYMBOL-7
    ('\u{1D20D}', "V"), // GREEK VOCAL NOTATION SYMBOL-14
    ('\u{1D212}', "7"), // GREEK VOCAL NOTATION SYMBOL-19
    ('\u{1D213}', "F"), // GREEK VOCAL NOTATION SYMBOL-20
    ('\u{1D216}', "R"), // GREEK VOCAL NOTATION SYMBOL-23
    ('\u{1D22A}', "L"), // GREEK INSTRUMENTAL NOTATION SYMBOL-23
    ('\u{1E8C7}', "l"), // MENDE KIKAKUI DIGIT ONE
    ('\u{1E8CB}', "8"), // MENDE KIKAKUI DIGIT FIVE
    ('\u{1F700}', "QE"), // ALCHEMICAL SYMBOL FOR QUINTESSENCE
    ('\u{1F707}', "AR"), // ALCHEMICAL SYMBOL FOR AQUA REGIA-2
    ('\u{1F74C}', "C"), // ALCHEMICAL SYMBOL FOR CALX
    ('\u{1F768}', "T"), // ALCHEMICAL SYMBOL FOR CRUCIBLE-4
    ('\u{1F76B}', "MB"), // ALCHEMICAL SYMBOL FOR BATH OF MARY
    ('\u{1F76C}', "VB"), // ALCHEMICAL SYMBOL FOR BATH OF VAPOURS
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(CONFUSABLES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn cyrillic_dze_in_a_latin_word_is_s() {
        assert_eq!(fold("\u{0405}ilver \u{0455}tar"), "Silver star");
    }

    #[test]
    fn mathematical_bold_is_plain() {
        assert_eq!(
            fold("\u{1D412}\u{1D422}\u{1D425}\u{1D42F}\u{1D41E}\u{1D42B}"),
            "Silver"
        );
    }

    #[test]
    fn a_right_to_left_override_is_read_as_displayed() {
        assert_eq!(fold("\u{202E}ratS revliS\u{202C}"), "Silver Star");
        assert_eq!(fold("Acme \u{202E}ratS revliS"), "Acme Silver Star");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(
            fold("Sil\u{200B}ver\u{00AD}\u{2066}Star\u{2069}"),
            "SilverStar"
        );
    }

    #[test]
    fn a_word_wholly_in_cyrillic_is_left_for_transliteration() {
        assert_eq!(fold("КОМАР Путин"), "КОМАР Путин");
    }

    #[test]
    fn ascii_is_not_copied() {
        assert!(matches!(fold("Silver Star"), Cow::Borrowed(_)));
    }
}
