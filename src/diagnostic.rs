//! Problems found in policy text, each pinned to a span, and their plain-text rendering.
//!
//! The rendering follows the compiler convention the CLI contract names: `file:line:col: message`,
//! the source line, a caret under the culprit, then any help.

use std::fmt::Write as _;

use crate::source::{SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The policy cannot be used.
    Error,
    /// The policy works, but probably not as its author meant.
    Warning,
}

/// One problem in a policy, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One lowercase sentence, user input in backticks.
    pub message: String,
    /// The text at fault.
    pub span: Span,
    /// A short note printed under the caret.
    pub label: Option<String>,
    /// Advice on fixing it, such as a "did you mean".
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    /// Adds the note under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds advice on fixing the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when one of `candidates` is close to `name`.
    pub fn with_suggestion<'a>(
        self,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match closest(name, candidates) {
            Some(best) => self.with_help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// Renders the diagnostic against the sources it points into.
    pub fn render(&self, sources: &SourceMap) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{}: {kind}: {}\n",
            sources.location(self.span),
            self.message
        );
        if let Some(source) = sources.get(self.span.source) {
            let (line, col) = source.line_col(self.span.start);
            let (end_line, end_col) = source.line_col(self.span.end);
            let width = if end_line == line && end_col > col {
                end_col - col
            } else {
                1
            };
            let (text, col) = window(source.line_text(line), col);
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line} | {text}");
            let label = self
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            let carets = "^".repeat(width.min(WINDOW));
            let _ = writeln!(out, "{pad} | {}{carets}{label}", " ".repeat(col - 1));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// The most characters of a source line shown under a diagnostic.
const WINDOW: usize = 100;

/// The part of `line` worth showing around 1-based column `col`, and the column within it, so a
/// machine-written policy with one enormous line still gives a readable diagnostic.
fn window(line: &str, col: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= WINDOW {
        return (line.to_owned(), col);
    }
    let start = col
        .saturating_sub(WINDOW / 2)
        .min(length.saturating_sub(WINDOW));
    let shown: String = line.chars().skip(start).take(WINDOW).collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if start + WINDOW < length { "…" } else { "" };
    (
        format!("{prefix}{shown}{suffix}"),
        col - start + prefix.chars().count(),
    )
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let names = ["dprk_programs", "high_risk"];
        assert_eq!(closest("dprk_program", names), Some("dprk_programs"));
        assert_eq!(closest("sanctioned", names), None);
    }
}
