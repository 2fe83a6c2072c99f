//! Arabic script to Latin by consonant skeleton.
//!
//! Arabic writes consonants and long vowels; short vowels are left out, so one name has many
//! Latin spellings (`محمد`: Muhammad, Mohamed, Mohammed). Matching practice compares the
//! consonant skeletons of both sides: the Arabic letters are read through a transliteration
//! table (the consonants of the common UN/ALA-LC romanisations, Persian letters included; alif,
//! hamza, `ayn`, the weak letters waw and ya and the vowel marks carry no consonant of their
//! own), and a Latin spelling is reduced the same way (vowels, `w` and `y` dropped, a doubled
//! consonant written once, `q` read as `k`). `محمد علي` and `Mohamed Ali` both read `mhmd l`.

/// The Latin letters of one Arabic-script letter: alif and ta marbuta `a`, waw `w`, ya `y`
/// (which the skeleton drops, as it drops Latin vowels, but which tell two Arabic names apart),
/// `Some("")` for hamza, `ayn`, vowel marks and tatweel, `None` for a character outside the
/// table.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ب' => "b",
        'ت' | 'ط' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        'ا' | 'أ' | 'إ' | 'آ' | 'ى' | 'ة' => "a",
        'و' | 'ؤ' => "w",
        'ي' | 'ی' | 'ئ' => "y",
        'ء' | 'ع' | 'ـ' => "",
        '\u{064B}'..='\u{065F}' | '\u{0670}' => "",
        _ => return None,
    })
}

/// Whether `c` is a letter of the Arabic script.
pub(super) fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The consonant skeleton of a word in Latin letters or Arabic script: Arabic letters
/// transliterated, then vowels, `w` and `y` dropped, `q` read as `k`, a letter repeated written
/// once (`mohammed` and `محمد` → `mhmd`, `abdullah` → `bdlh`). A word of vowels only keeps its
/// spelling.
pub(super) fn skeleton(word: &str) -> String {
    let mut latin = String::with_capacity(word.len());
    for c in word.chars() {
        match letter(c) {
            Some(letters) => latin.push_str(letters),
            None => latin.push(c),
        }
    }
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        let c = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'w' | 'y' => continue,
            'q' => 'k',
            c => c,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    if out.is_empty() { latin } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_latin_spellings_share_a_skeleton() {
        for (arabic, latin) in [
            ("محمد", "mohamed"),
            ("محمد", "muhammad"),
            ("أحمد", "ahmed"),
            ("حسن", "hassan"),
            ("خالد", "khaled"),
            ("محمود", "mahmoud"),
            ("علي", "ali"),
            ("قاسم", "qasim"),
        ] {
            assert_eq!(skeleton(arabic), skeleton(latin), "{arabic} ~ {latin}");
        }
    }
}
