//! The canonical layout of policy files, for `interdict fmt`.
//!
//! One layout, so that reviews of a compliance policy show changes of meaning and not of
//! spacing:
//!
//! ```text
//! // Comments are kept.
//! policy ofac_dprk "OFAC — North Korea sanctions" {
//!   jurisdiction US
//!   version "2026.1"
//!   cite "31 CFR Part 510"
//!   cite "E.O. 13722", "E.O. 13810"
//! }
//!
//! let blocking_stake = 50
//!
//! rule owned_by_designated: block
//!   title "Party owned 50 % or more by a designated person"
//!   when some p in transaction.parties, o in p.owners:
//!     o is designated under dprk_programs and o.via.percent >= blocking_stake
//!   because "{p.name} is owned {o.via.percent} % by {o.name}"
//!   cite "31 CFR 510.201"
//!   tags dprk, ownership
//! ```
//!
//! - The header has one field per line: jurisdictions, then versions, then each `cite` as it was
//!   written (citations stay in their order and in their `cite` lines).
//! - Declarations keep their order, one blank line apart.
//! - A rule's clauses are put in the order title, covers, when, because, cite, tags, valid. The
//!   sort is stable and the checker reads clauses by kind, so the meaning does not change; the
//!   syntax tree does (its clauses are in written order), which is why round trips compare
//!   against the canonical tree (see [`keeps_tree`]).
//! - Conditions get the fewest parentheses that keep their parse, and are broken when longer
//!   than [`WIDTH`] columns: after a quantifier's `:` (the body two columns in) and before each
//!   `and`/`or`. Strings are never split, so a long `because` stays one long line.
//! - Strings are re-escaped (`\"`, `\\`, `\n`); numbers are printed so that they parse back to
//!   the same value (`50`, not `50.0`); a set too wide for its `let` line gets one element per
//!   line.
//!
//! Comments are not in the syntax tree; they are recovered from the text and put back next to
//! the declaration, clause or field they were written at (see `comments.rs`). A comment written
//! *inside* a clause — between two lines of a condition, or among the elements of a set — moves
//! to its own line before that clause: the clause may be laid out differently, and a comment
//! cannot sit in the middle of a line.
//!
//! Before returning, [`format_source`] parses its own output and checks that it means what the
//! input meant and keeps every comment; if not, it reports an internal error rather than hand
//! back a policy that says something else.

mod comments;
mod diff;
mod expr;
mod print;

use std::io;
use std::path::{Path, PathBuf};

use crate::ast::{Item, PolicyFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Source, SourceId, SourceMap, Span};
use crate::syntax;

pub use diff::{changed_lines, diff};
pub use expr::WIDTH;

/// Why a file could not be formatted: a syntax error (or, should it ever happen, a formatter
/// fault), with the source it points into so that it renders as `file:line:col`.
#[derive(Debug, Clone)]
pub struct FormatError {
    diagnostic: Diagnostic,
    sources: SourceMap,
}

impl FormatError {
    /// The problem, with its span in the text that was to be formatted.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }

    /// The problem as `file:line:col: error: ...`, the line and a caret, like `interdict check`.
    pub fn render(&self) -> String {
        self.diagnostic.render(&self.sources)
    }
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for FormatError {}

/// Whether a file is already in canonical layout, as `fmt --check` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Formatting would change nothing.
    Formatted,
    /// Formatting would change the file.
    Unformatted {
        /// The file in canonical layout.
        formatted: String,
        /// A unified diff from the file to `formatted`, headed with the file's name.
        diff: String,
    },
}

/// Formats the policy text `text`, named `name` (usually its path) in error messages.
///
/// Fails on a syntax error, and, as a safety net, if the output would not parse back to the
/// same policy or would lose a comment.
pub fn format_source(name: &str, text: &str) -> Result<String, FormatError> {
    let mut sources = SourceMap::default();
    let id = sources.add(Source::new(name, text));
    let fail = |diagnostic| FormatError {
        diagnostic,
        sources: sources.clone(),
    };
    let file = syntax::parse(id, text).map_err(fail)?;
    let formatted = format_file(&file, text);
    verify(id, &file, text, &formatted).map_err(fail)?;
    Ok(formatted)
}

/// Whether `text` is already formatted, and if not, what formatting would change.
pub fn check(name: &str, text: &str) -> Result<Check, FormatError> {
    let formatted = format_source(name, text)?;
    if formatted == text {
        return Ok(Check::Formatted);
    }
    Ok(Check::Unformatted {
        diff: diff(name, text, &formatted),
        formatted,
    })
}

/// Prints a parsed file in canonical layout. `text` must be the source `file` was parsed from:
/// its comments are read from it. Unlike [`format_source`], the output is not verified.
pub fn format_file(file: &PolicyFile, text: &str) -> String {
    print::print(file, text)
}

/// Whether `formatted` parses to the tree formatting `original` must give,
/// `parse(format(text)) == canonical(parse(text))`: the formatter's correctness property, for
/// its tests. `Err` with the parse error of either text.
#[doc(hidden)]
pub fn keeps_tree(original: &str, formatted: &str) -> Result<bool, String> {
    let before = syntax::parse(0, original).map_err(|e| format!("{e:?}"))?;
    let after = syntax::parse(0, formatted).map_err(|e| format!("{e:?}"))?;
    Ok(canonical(&before) == after)
}

/// `file` as formatting leaves it: the same, with each rule's clauses in canonical order.
/// `parse(format(text)) == canonical(parse(text))` for every policy text.
pub(crate) fn canonical(file: &PolicyFile) -> PolicyFile {
    let mut file = file.clone();
    for item in &mut file.items {
        match item {
            Item::Rule(rule) => rule.clauses.sort_by_key(print::clause_rank),
            Item::Indicator(indicator) => indicator.clauses.sort_by_key(print::clause_rank),
            _ => {}
        }
    }
    file
}

/// The policy files named by `paths`: files as given, folders searched for `.policy` files,
/// each folder's in sorted order — the files `interdict check` would read. A folder without
/// any is an error, as for `check`, so that a mistyped folder does not pass `fmt --check`.
pub fn policy_files<P: AsRef<Path>>(paths: &[P]) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if std::fs::metadata(path)
            .map_err(|e| with_path(path, e))?
            .is_dir()
        {
            files.extend(folder_files(path)?);
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// The `.policy` files under `folder`, sorted.
fn folder_files(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| with_path(&dir, e))? {
            let entry = entry.map_err(|e| with_path(&dir, e))?;
            let path = entry.path();
            // The entry's own type, not its target's: a symbolic link to a folder is not
            // followed, as in `PolicySet::load`, so a link cycle cannot loop forever.
            let file_type = entry.file_type().map_err(|e| with_path(&path, e))?;
            if file_type.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == crate::compile::POLICY_EXTENSION)
            {
                found.push(path);
            }
        }
    }
    if found.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no `.{}` files in `{}`",
                crate::compile::POLICY_EXTENSION,
                folder.display()
            ),
        ));
    }
    found.sort();
    Ok(found)
}

fn with_path(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("cannot read `{}`: {error}", path.display()),
    )
}

/// Checks that `formatted` parses to the canonical form of `file` and keeps every comment.
fn verify(id: SourceId, file: &PolicyFile, text: &str, formatted: &str) -> Result<(), Diagnostic> {
    let internal = |what: &str| {
        Diagnostic::error(
            Code::Syntax,
            Span::new(id, 0, 0),
            format!("internal error: formatting {what}; the file is left as it is"),
        )
        .with_help("please report this policy text to the Interdict maintainers")
    };
    let reparsed = syntax::parse(id, formatted)
        .map_err(|_| internal("would produce text that does not parse"))?;
    if reparsed != canonical(file) {
        return Err(internal("would change the meaning of this policy"));
    }
    if comment_texts(text) != comment_texts(formatted) {
        return Err(internal("would lose a comment"));
    }
    Ok(())
}

/// The comments of `text`, sorted, to compare the comments before and after formatting.
fn comment_texts(text: &str) -> Vec<String> {
    let mut texts: Vec<String> = comments::scan(text).into_iter().map(|c| c.text).collect();
    texts.sort();
    texts
}
