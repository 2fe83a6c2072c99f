//! Korean names romanised two ways: Revised Romanization (`Jeong`, `Geum`, `Yoon`, `Moon`) and
//! McCune–Reischauer as lists write it, without breves (`Chong`, `Kum`, `Yun`, `Mun`). A word
//! that reads as one Korean syllable is folded to one spelling: the initials k/g, t/d, p/b, ch/j,
//! r/l, s/sh and McCune–Reischauer's aspirates th/kh/ph with t/k/p as one, the vowels o/eo, u/eu/oo, yo/yeo and yu/yoo as one, the finals k/g, t/d,
//! p/b and l/r as one. So `Jeong Geum Yoon` and `Chong Kum Yun` compare equal. The fold is applied
//! word by word, whatever the name, so that the same word always reads the same on both sides (a
//! name folded as a whole on one side only would compare `Jong` with `Chong`); particles are left
//! alone. Words of other languages that happen to read as a syllable (`Ted`, `Dan`) fold too,
//! which only makes near-identical spellings (`Ted`/`Tet`) equal.

/// Initial consonants, longest first, with the spelling they fold to.
const INITIALS: &[(&str, &str)] = &[
    ("tch", "jj"),
    ("kk", "kk"),
    ("gg", "kk"),
    ("tt", "tt"),
    ("dd", "tt"),
    ("pp", "pp"),
    ("bb", "pp"),
    ("ss", "ss"),
    ("jj", "jj"),
    ("ch", "j"),
    ("sh", "s"),
    ("th", "t"),
    ("kh", "k"),
    ("ph", "p"),
    ("k", "k"),
    ("g", "k"),
    ("n", "n"),
    ("d", "t"),
    ("t", "t"),
    ("r", "r"),
    ("l", "r"),
    ("m", "m"),
    ("b", "p"),
    ("p", "p"),
    ("s", "s"),
    ("j", "j"),
    ("h", "h"),
    ("", ""),
];

/// Vowels, longest first, with the spelling they fold to.
const VOWELS: &[(&str, &str)] = &[
    ("yeo", "yo"),
    ("yae", "yae"),
    ("yoo", "yu"),
    ("wae", "wae"),
    ("weo", "wo"),
    ("eo", "o"),
    ("eu", "u"),
    ("ae", "ae"),
    ("ya", "ya"),
    ("ye", "ye"),
    ("yo", "yo"),
    ("yu", "yu"),
    ("wa", "wa"),
    ("wo", "wo"),
    ("we", "we"),
    ("wi", "wi"),
    ("ui", "ui"),
    ("oe", "oe"),
    ("oo", "u"),
    ("a", "a"),
    ("e", "e"),
    ("i", "i"),
    ("o", "o"),
    ("u", "u"),
];

/// Final consonants, longest first, with the spelling they fold to.
const FINALS: &[(&str, &str)] = &[
    ("ng", "ng"),
    ("k", "k"),
    ("g", "k"),
    ("n", "n"),
    ("l", "l"),
    ("r", "l"),
    ("m", "m"),
    ("p", "p"),
    ("b", "p"),
    ("t", "t"),
    ("d", "t"),
    ("", ""),
];

/// The folded spelling of `word` if it reads as one romanised Korean syllable.
pub(super) fn fold_syllable(word: &str) -> Option<String> {
    if word.len() < 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    for (initial, folded_initial) in INITIALS {
        let Some(rest) = word.strip_prefix(initial) else {
            continue;
        };
        for (vowel, folded_vowel) in VOWELS {
            let Some(rest) = rest.strip_prefix(vowel) else {
                continue;
            };
            if let Some((_, folded_final)) = FINALS.iter().find(|(f, _)| *f == rest) {
                return Some(format!("{folded_initial}{folded_vowel}{folded_final}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(name: &str) -> Option<String> {
        let words: Option<Vec<String>> = name.split(' ').map(fold_syllable).collect();
        words.map(|w| w.join(" "))
    }

    #[test]
    fn both_romanisations_fold_together() {
        for (a, b) in [
            ("jeong geum yoon", "chong kum yun"),
            ("kim kuk chol", "gim kook cheol"),
            ("mun un song", "moon eun seong"),
            ("ri yu gyong", "ri yoo kyong"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
            assert!(fold(a).is_some());
        }
        assert_eq!(fold_syllable("volasys"), None);
        assert_eq!(fold_syllable("silver"), None);
    }
}
