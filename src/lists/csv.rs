//! A strict reader for OFAC's "delimited" files.
//!
//! Hand-written rather than the `csv` crate because the files are a narrow dialect and the
//! strictness is the point: OFAC fields never span lines, so a quote that does not close on its
//! own line is reported *on that line* (a general CSV reader would swallow the following rows and
//! complain much later, or not at all); text after a closing quote, a stray quote in a bare field,
//! a wrong field count and OFAC's 0x1A end byte in the middle of the file are all errors with the
//! line, where a lenient reader would quietly glue or split fields. The whole reader is a few
//! dozen lines with no dependency.

use std::borrow::Cow;

use super::error::{Damage, ListError};

/// OFAC's end-of-file byte (Ctrl-Z), written after the last row.
const END_BYTE: char = '\u{1a}';

/// One row: its 1-based line and its fields, with OFAC's `-0-` null turned into `None`.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// The line the row is on.
    pub line: u64,
    /// The fields, `None` for `-0-`.
    pub fields: Vec<Option<Cow<'a, str>>>,
}

impl Row<'_> {
    /// Field `index` (0-based) exactly as written, or `None` when null. OFAC cuts Remarks at
    /// 1,000 characters, possibly right after a space, so text that is joined must not be trimmed.
    pub(crate) fn raw(&self, index: usize) -> Option<&str> {
        self.fields.get(index)?.as_deref()
    }

    /// Field `index` (0-based), trimmed, or `None` when null or empty.
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        self.fields
            .get(index)?
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Everything read from one file.
#[derive(Debug)]
pub(crate) struct Table<'a> {
    /// The rows, in file order.
    pub rows: Vec<Row<'a>>,
    /// Whether the file ended with OFAC's 0x1A byte.
    pub end_marker: bool,
}

/// Reads every row of `text`, which must have `columns` fields per row. `name` is used in errors.
pub(crate) fn read<'a>(name: &str, text: &'a str, columns: usize) -> Result<Table<'a>, ListError> {
    let lines: Vec<&str> = text.split('\n').collect();
    // The last line holding data: damage there means the file was cut short.
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty() && l.trim() != "\u{1a}");
    let mut rows = Vec::new();
    let mut end_marker: Option<u64> = None;
    for (index, raw) in lines.iter().enumerate() {
        let line = index as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        if let Some(marker) = end_marker {
            return Err(error(
                name,
                marker,
                "OFAC's end-of-file byte 0x1A stands on its own line but the file goes on; the \
                 file was probably concatenated or damaged: re-download it",
            ));
        }
        if raw == "\u{1a}" {
            end_marker = Some(line);
            continue;
        }
        if let Some(at) = raw.find(END_BYTE) {
            let column = raw.get(..at).map_or(0, |s| s.chars().count()) + 1;
            return Err(error(
                name,
                line,
                format!(
                    "OFAC's end-of-file byte 0x1A appears at column {column}, in the middle of \
                     the data; the file was damaged in transfer or edited: re-download it"
                ),
            ));
        }
        // On the last line, an open quote or missing fields mean the download stopped there.
        let is_last = Some(index) == last;
        let fields = split(name, line, raw).map_err(|e| {
            if is_last && raw.matches('"').count() % 2 == 1 {
                truncated(name, line, columns, e)
            } else {
                e
            }
        })?;
        if fields.len() != columns {
            let error = wrong_count(name, line, fields.len(), columns);
            return Err(if is_last && fields.len() < columns {
                truncated(name, line, columns, error)
            } else {
                error
            });
        }
        rows.push(Row { line, fields });
    }
    Ok(Table {
        rows,
        end_marker: end_marker.is_some(),
    })
}

/// Damage on the last line of a file: most likely the download stopped there.
fn truncated(name: &str, line: u64, columns: usize, cause: ListError) -> ListError {
    let what = match &cause {
        ListError::Malformed { message, .. } => message.clone(),
        other => other.to_string(),
    };
    ListError::malformed(
        name,
        line,
        Damage::Truncated,
        format!(
            "the file ends in the middle of a row ({what}); rows have {columns} fields and the \
             file looks truncated: download it again"
        ),
    )
}

/// The error for a row with the wrong number of fields.
fn wrong_count(name: &str, line: u64, found: usize, columns: usize) -> ListError {
    let hint = if found < columns {
        "the row is cut short (a truncated download?) or two fields were merged"
    } else {
        "a field holds an unquoted comma, or the file is not the one expected"
    };
    let file = std::path::Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |f| f.to_string_lossy().into_owned());
    error(
        name,
        line,
        format!("the row has {found} fields, but every row of {file} has {columns}: {hint}"),
    )
}

/// Splits one line into fields.
fn split<'a>(name: &str, line: u64, raw: &'a str) -> Result<Vec<Option<Cow<'a, str>>>, ListError> {
    let mut fields = Vec::new();
    let mut rest = raw;
    loop {
        let number = fields.len() + 1;
        let (field, after) = if let Some(quoted) = rest.strip_prefix('"') {
            quoted_field(name, line, number, quoted)?
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let field = rest.get(..end).unwrap_or_default();
            if field.contains('"') {
                return Err(error(
                    name,
                    line,
                    format!(
                        "field {number} (`{}`) has a quote inside unquoted text; quote the whole \
                         field and double any quote in it",
                        field.trim()
                    ),
                ));
            }
            (Cow::Borrowed(field), rest.get(end..).unwrap_or_default())
        };
        fields.push(if field.trim() == "-0-" {
            None
        } else {
            Some(field)
        });
        match after.strip_prefix(',') {
            Some(next) => rest = next,
            None => return Ok(fields),
        }
    }
}

/// Reads a quoted field whose opening quote was removed; returns it and the text after it.
fn quoted_field<'a>(
    name: &str,
    line: u64,
    number: usize,
    quoted: &'a str,
) -> Result<(Cow<'a, str>, &'a str), ListError> {
    let mut value: Option<String> = None;
    let mut start = 0;
    loop {
        let Some(close) = quoted
            .get(start..)
            .and_then(|s| s.find('"'))
            .map(|p| p + start)
        else {
            return Err(error(
                name,
                line,
                format!(
                    "field {number} opens a quote that is not closed on this line; the row is \
                     cut short (a truncated download?) or a quote is missing"
                ),
            ));
        };
        let piece = quoted.get(start..close).unwrap_or_default();
        let after = quoted.get(close + 1..).unwrap_or_default();
        if let Some(more) = after.strip_prefix('"') {
            // A doubled quote stands for one quote character.
            let text = value.get_or_insert_with(String::new);
            text.push_str(piece);
            text.push('"');
            start = quoted.len() - more.len();
            continue;
        }
        if !after.is_empty() && !after.starts_with(',') {
            let junk: String = after
                .split(',')
                .next()
                .unwrap_or(after)
                .chars()
                .take(20)
                .collect();
            return Err(error(
                name,
                line,
                format!(
                    "field {number} has text (`{junk}`) after its closing quote: a quote is \
                     missing, or a quote inside the field is not doubled"
                ),
            ));
        }
        let field = match value {
            Some(mut text) => {
                text.push_str(piece);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(piece),
        };
        return Ok((field, after));
    }
}

/// A CSV damage error.
fn error(name: &str, line: u64, message: impl Into<String>) -> ListError {
    ListError::malformed(name, line, Damage::Csv, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<Option<String>> {
        split("t.csv", 1, line)
            .unwrap()
            .into_iter()
            .map(|f| f.map(Cow::into_owned))
            .collect()
    }

    #[test]
    fn reads_ofac_fields_and_nulls() {
        assert_eq!(
            fields(r#"24977,"A, B",-0- ,"DPRK3] [DPRK4""#),
            vec![
                Some("24977".into()),
                Some("A, B".into()),
                None,
                Some("DPRK3] [DPRK4".into())
            ]
        );
        assert_eq!(
            fields(r#""say ""hi""",x"#),
            vec![Some(r#"say "hi""#.into()), Some("x".into())]
        );
        assert_eq!(fields(""), vec![Some(String::new())]);
    }

    #[test]
    fn rejects_damaged_fields() {
        assert!(split("t.csv", 1, r#"1,"open"#).is_err());
        assert!(split("t.csv", 1, r#"1,"a"b,2"#).is_err());
        assert!(split("t.csv", 1, r#"1,a"b,2"#).is_err());
    }

    #[test]
    fn end_byte_is_allowed_only_at_the_end() {
        let table = read("t.csv", "1,a\r\n2,b\r\n\u{1a}", 2).unwrap();
        assert_eq!(table.rows.len(), 2);
        assert!(table.end_marker);
        let error = read("t.csv", "1,a\r\n\u{1a}\r\n2,b\r\n", 2).unwrap_err();
        assert_eq!(error.line(), Some(2));
        let error = read("t.csv", "1,a\r\n2,\u{1a}b\r\n", 2).unwrap_err();
        assert_eq!(error.line(), Some(2));
    }
}
