//! Reading text files as UTF-8, and saying where a file that is not UTF-8 stops being it.
//!
//! Policies, facts and lists are UTF-8. A file saved in Latin-1 or Windows-1252 (an edit in a
//! spreadsheet is the usual cause) fails at its first accented letter; the reader is told the
//! line and column of that byte, so they can find the record, not only that the file is wrong.

use std::fmt;
use std::path::Path;

/// The first byte of a file that is not UTF-8, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotUtf8 {
    /// 1-based line of the byte.
    pub line: u64,
    /// 1-based column of the byte, counting the characters before it on its line.
    pub column: u64,
    /// The byte itself.
    pub byte: u8,
}

impl NotUtf8 {
    /// Locates the first bad byte of `bytes`, given how many bytes before it are valid.
    fn at(bytes: &[u8], valid_up_to: usize) -> NotUtf8 {
        let before = bytes.get(..valid_up_to).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        // The bytes from the line's start up to the bad one are valid UTF-8.
        let column = std::str::from_utf8(bytes.get(line_start..valid_up_to).unwrap_or_default())
            .map_or(0, |text| text.chars().count()) as u64
            + 1;
        NotUtf8 {
            line,
            column,
            byte: bytes.get(valid_up_to).copied().unwrap_or(0),
        }
    }
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "byte 0x{:02X} at column {} is not UTF-8; the file is in another encoding (often \
             Latin-1 or Windows-1252 after an edit in a spreadsheet): convert it to UTF-8",
            self.byte, self.column
        )
    }
}

/// Reads `path` as UTF-8 text: the outer error is the operating system's, the inner one the
/// first byte that is not UTF-8. A byte-order mark is left to the reader of the text (policy
/// sources and facts text drop it wherever their text comes from).
pub(crate) fn read_utf8(path: &Path) -> std::io::Result<Result<String, NotUtf8>> {
    let bytes = std::fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => Err(NotUtf8::at(
            error.as_bytes(),
            error.utf8_error().valid_up_to(),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_found_by_line_and_character_column() {
        // `é` in UTF-8 on line 1, then Latin-1 `é` (0xE9) as the fourth character of line 2.
        let bytes = b"caf\xc3\xa9\nCaf\xe9 Ltd";
        let found = NotUtf8::at(bytes, "café\nCaf".len());
        assert_eq!(
            found,
            NotUtf8 {
                line: 2,
                column: 4,
                byte: 0xE9
            }
        );
        assert!(
            found
                .to_string()
                .starts_with("byte 0xE9 at column 4 is not UTF-8")
        );
    }
}
