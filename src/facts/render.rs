//! Facts errors as a person reads them. The command line and the Python binding print this one
//! rendering, so a bad facts file reads the same wherever it is loaded.

use super::FactsError;

/// Lines longer than this are cut to [`EXCERPT_WIDTH`] characters around the column.
const LONG_LINE: usize = 200;
/// How much of a long line is shown around the column.
const EXCERPT_WIDTH: usize = 80;

impl FactsError {
    /// Each problem on its own line, as `file: error: record: ...` or `file:line:col: error:
    /// ...` followed by the offending line and a caret under the column; ends with a newline.
    pub fn render(&self) -> String {
        match self {
            FactsError::Invalid { file, problems } => {
                let mut out: String = problems
                    .iter()
                    .map(|p| format!("{file}: error: {p}\n"))
                    .collect();
                out.push_str(&format!(
                    "\n{} problem(s) in the facts; fix them and run again\n",
                    problems.len()
                ));
                out
            }
            FactsError::Syntax {
                file,
                line,
                column,
                message,
            } => {
                // Lossy, so a file refused for a byte that is not UTF-8 still shows its line,
                // with the byte as `�` under the caret.
                let bytes = std::fs::read(file).unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes);
                let source_line = text
                    .lines()
                    .nth((*line as usize).saturating_sub(1))
                    .unwrap_or_default();
                let (shown, caret) = excerpt(source_line, *column as usize);
                let caret = " ".repeat(caret);
                format!("{file}:{line}:{column}: error: {message}\n  | {shown}\n  | {caret}^\n")
            }
            FactsError::Snapshot { file, message } => format!("{file}: error: {message}\n"),
            FactsError::Read { .. } | FactsError::TooLarge { .. } => format!("error: {self}\n"),
        }
    }
}

/// The part of `line` shown under an error at 1-based `column`, and the caret's offset in it: the
/// whole line, or for a long one (a minified JSON file) the characters around the column with
/// `…` where it was cut.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    if chars.len() <= LONG_LINE {
        return (line.to_owned(), at);
    }
    let start = at.saturating_sub(EXCERPT_WIDTH / 2);
    let end = (start + EXCERPT_WIDTH).min(chars.len());
    let mut shown: String = chars.get(start..end).unwrap_or_default().iter().collect();
    let mut caret = at - start;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}
