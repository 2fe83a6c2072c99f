//! Policy source text and byte spans into it.
//!
//! Every AST node carries a [`Span`]; the text itself is held once, in a [`SourceMap`], and turned
//! into `file:line:col` only when a person needs to read it.

use std::sync::Arc;

/// Index of a source in its [`SourceMap`].
pub type SourceId = u32;

/// A byte range in one source file. Spans are small and `Copy` so every node can carry one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Which source the range is in.
    pub source: SourceId,
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` in `source`.
    pub fn new(source: SourceId, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            source,
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// The smallest span covering both `self` and `other` (same source assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One named policy text, such as the contents of `policies/ofac_dprk.policy`.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    /// The byte offset at which each line starts, so that a position is found by binary search:
    /// scanning from the start for each of 30,000 rules' diagnostics was quadratic.
    line_starts: Arc<[usize]>,
}

impl Source {
    /// A source called `name` (usually its path) holding `text`. A UTF-8 byte order mark, which
    /// some editors write, is not part of the text (lists and facts drop it too).
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => Arc::from(rest),
            None => text,
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Source {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The name shown in diagnostics and explanations.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        // The number of lines starting at or before `offset`; the first always does.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset)
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (line.max(1), col)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text
            .get(start..end)
            .unwrap_or_default()
            .trim_end_matches('\r')
    }
}

/// All sources of a policy set, indexed by [`SourceId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    sources: Vec<Source>,
}

impl SourceMap {
    /// Adds a source and returns its id.
    pub fn add(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId::try_from(self.sources.len() - 1).unwrap_or(SourceId::MAX)
    }

    /// The source with id `id`, if there is one.
    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.sources.get(id as usize)
    }

    /// Every source, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter()
    }

    /// `file:line:col` for the start of `span`, as editors and the CLI contract expect.
    pub fn location(&self, span: Span) -> String {
        match self.get(span.source) {
            Some(source) => {
                let (line, col) = source.line_col(span.start);
                format!("{}:{line}:{col}", source.name())
            }
            None => String::from("<unknown>"),
        }
    }
}
