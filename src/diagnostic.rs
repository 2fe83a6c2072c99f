//! Problems found in policy text, each pinned to a span, and their plain-text rendering.
//!
//! The rendering follows the compiler convention the CLI contract names: `file:line:col: message`,
//! the source line, a caret under the culprit, then any help.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::source::{SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The policy cannot be used.
    Error,
    /// The policy works, but probably not as its author meant.
    Warning,
}

/// A stable identifier for each kind of problem, for editors, CI filters and documentation.
/// Codes never change meaning; new kinds get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// `E0001` the text does not parse.
    Syntax,
    /// `E0002` a rule nests too deeply.
    TooDeep,
    /// `E0003` a date or number literal is invalid.
    InvalidLiteral,
    /// `E0101` a name is not defined.
    UnknownName,
    /// `E0102` an entity or transaction has no such field.
    UnknownField,
    /// `E0103` an entity cannot be walked along such a relation.
    UnknownRelation,
    /// `E0104` operand types do not fit the operator or clause.
    TypeMismatch,
    /// `E0105` a construct is used where it does not apply.
    Misuse,
    /// `E0106` `is designated` or `is blocked` applied to something other than an entity.
    NotAnEntity,
    /// `E0107` a variable reuses a name already in scope.
    AlreadyDefined,
    /// `E0108` a message prints something it cannot.
    BadMessage,
    /// `E0109` a walk's depth is out of range.
    DepthOutOfRange,
    /// `E0110` an attribute declaration names no known type.
    UnknownType,
    /// `E0111` a rule reads an attribute no loaded policy declares.
    UndeclaredAttribute,
    /// `E0112` a predicate calls itself, directly or through others.
    RecursivePredicate,
    /// `E0113` a predicate or function is called with the wrong number of arguments.
    WrongArguments,
    /// `E0114` a `matches` pattern is not a valid regular expression.
    InvalidPattern,
    /// `E0201` two rules share an id.
    DuplicateRuleId,
    /// `E0202` a constant is defined twice or takes a built-in name.
    DuplicateName,
    /// `E0203` two policy files share an id.
    DuplicatePolicy,
    /// `E0204` a clause or header field is repeated.
    RepeatedClause,
    /// `E0205` a required clause is missing.
    MissingClause,
    /// `E0206` `covers` on a rule that is not an exemption.
    MisplacedCovers,
    /// `E0207` `covers` names a rule that does not exist or is itself an exemption.
    UnknownRule,
    /// `E0208` a validity period ends before it starts.
    InvalidPeriod,
    /// `E0209` an exemption covers a rule of another jurisdiction.
    CrossJurisdiction,
    /// `E0301` a jurisdiction is declared twice.
    DuplicateJurisdiction,
    /// `E0302` a jurisdiction setting is missing, repeated or out of range.
    JurisdictionSetting,
    /// `E0303` `is blocked` in a policy whose jurisdiction is not declared.
    UndeclaredJurisdiction,
    /// `E0304` a policy names a jurisdiction that neither Interdict nor a loaded policy knows.
    UnknownJurisdiction,
    /// `W0401` a program tag that no known list uses.
    UnknownProgram,
    /// `W0402` a constant no rule uses.
    UnusedConstant,
    /// `W0403` a rule whose condition can never hold.
    NeverFires,
    /// `W0404` a rule that another rule of the same jurisdiction makes redundant.
    Shadowed,
    /// `W0405` an exemption that cannot release anything.
    ExemptionCoversNothing,
    /// `W0406` a block or review rule that cites no provision.
    UncitedRule,
    /// `W0407` a predicate no rule uses.
    UnusedPredicate,
    /// `W0408` indicators whose score no rule reads.
    UnreadScore,
}

impl Code {
    /// The code as printed: `E0101`, `W0402`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E0001",
            Code::TooDeep => "E0002",
            Code::InvalidLiteral => "E0003",
            Code::UnknownName => "E0101",
            Code::UnknownField => "E0102",
            Code::UnknownRelation => "E0103",
            Code::TypeMismatch => "E0104",
            Code::Misuse => "E0105",
            Code::NotAnEntity => "E0106",
            Code::AlreadyDefined => "E0107",
            Code::BadMessage => "E0108",
            Code::DepthOutOfRange => "E0109",
            Code::UnknownType => "E0110",
            Code::UndeclaredAttribute => "E0111",
            Code::RecursivePredicate => "E0112",
            Code::WrongArguments => "E0113",
            Code::InvalidPattern => "E0114",
            Code::DuplicateRuleId => "E0201",
            Code::DuplicateName => "E0202",
            Code::DuplicatePolicy => "E0203",
            Code::RepeatedClause => "E0204",
            Code::MissingClause => "E0205",
            Code::MisplacedCovers => "E0206",
            Code::UnknownRule => "E0207",
            Code::InvalidPeriod => "E0208",
            Code::CrossJurisdiction => "E0209",
            Code::DuplicateJurisdiction => "E0301",
            Code::JurisdictionSetting => "E0302",
            Code::UndeclaredJurisdiction => "E0303",
            Code::UnknownJurisdiction => "E0304",
            Code::UnknownProgram => "W0401",
            Code::UnusedConstant => "W0402",
            Code::NeverFires => "W0403",
            Code::Shadowed => "W0404",
            Code::ExemptionCoversNothing => "W0405",
            Code::UncitedRule => "W0406",
            Code::UnusedPredicate => "W0407",
            Code::UnreadScore => "W0408",
        }
    }
}

/// One problem in a policy, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Its stable code.
    pub code: Code,
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
    /// An error of kind `code` at `span`.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    /// A warning of kind `code` at `span`: the policy works, but probably not as meant.
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
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

    /// Adds `help` unless a help (such as a "did you mean") is already given.
    pub fn with_help_if_none(self, help: impl Into<String>) -> Self {
        if self.help.is_some() {
            self
        } else {
            self.with_help(help)
        }
    }

    /// Renders the diagnostic against the sources it points into.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        self.render_into(sources, &mut out);
        out
    }

    /// Renders the diagnostic at the end of `out`: a policy set's warnings are written one after
    /// the other into one text (100,000 rules may each have one).
    pub fn render_into(&self, sources: &SourceMap, out: &mut String) {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let source = sources.get(self.span.source);
        let (line, col) = source.map_or((0, 0), |s| s.line_col(self.span.start));
        match source {
            Some(source) => {
                let _ = write!(out, "{}:{line}:{col}", source.name());
            }
            None => out.push_str("<unknown>"),
        }
        let _ = writeln!(out, ": {kind}[{}]: {}", self.code.as_str(), self.message);
        if let Some(source) = source {
            let (end_line, end_col) = source.line_col(self.span.end);
            let line_text = source.line_text(line);
            // A span running onto later lines is underlined to the end of its first line.
            let line_end = line_text.trim_end().chars().count() + 1;
            let width = match (end_line == line, end_line > line) {
                (true, _) if end_col > col => end_col - col,
                (false, true) if line_end > col => line_end - col,
                _ => 1,
            };
            let (text, col) = window(line_text, col);
            let gutter = decimal_width(line);
            let pad = Repeat(' ', gutter);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line} | {text}");
            let _ = write!(
                out,
                "{pad} | {}{}",
                Repeat(' ', col - 1),
                Repeat('^', width.min(WINDOW))
            );
            if let Some(label) = &self.label {
                let _ = write!(out, " {label}");
            }
            out.push('\n');
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
    }
}

/// A character written `count` times, without building the string first.
struct Repeat(char, usize);

impl std::fmt::Display for Repeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (0..self.1).try_for_each(|_| f.write_char(self.0))
    }
}

/// How many digits `n` has in decimal.
fn decimal_width(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |digits| digits as usize + 1)
}

/// A diagnostic as editors and CI read it (`interdict check --format json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiagnosticRecord {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// The file.
    pub file: String,
    /// 1-based start line and column.
    pub line: usize,
    /// 1-based start column, in characters.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column, exclusive.
    pub end_column: usize,
    /// The note under the caret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Advice on fixing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// The diagnostic with its position resolved, for machine output.
    pub fn record(&self, sources: &SourceMap) -> DiagnosticRecord {
        let source = sources.get(self.span.source);
        let (line, column) = source.map_or((0, 0), |s| s.line_col(self.span.start));
        let (end_line, end_column) = source.map_or((0, 0), |s| s.line_col(self.span.end));
        DiagnosticRecord {
            severity: match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: self.code.as_str(),
            message: self.message.clone(),
            file: source.map_or_else(String::new, |s| s.name().to_owned()),
            line,
            column,
            end_line,
            end_column,
            label: self.label.clone(),
            help: self.help.clone(),
        }
    }
}

/// The most characters of a source line shown under a diagnostic.
const WINDOW: usize = 100;

/// The part of `line` worth showing around 1-based column `col`, and the column within it, so a
/// machine-written policy with one enormous line still gives a readable diagnostic.
fn window(line: &str, col: usize) -> (Cow<'_, str>, usize) {
    let length = line.chars().count();
    if length <= WINDOW {
        return (Cow::Borrowed(line), col);
    }
    let start = col
        .saturating_sub(WINDOW / 2)
        .min(length.saturating_sub(WINDOW));
    let shown: String = line.chars().skip(start).take(WINDOW).collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if start + WINDOW < length { "…" } else { "" };
    (
        Cow::Owned(format!("{prefix}{shown}{suffix}")),
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
