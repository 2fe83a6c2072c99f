//! Comments, recovered from the source text and attached to what the formatter prints.
//!
//! The grammar skips `//` comments, so the syntax tree has none. They are found again by scanning
//! the text (outside string literals) and each is attached, by byte offset, to a [`Slot`]: a
//! place in the printed file. The rules, in order:
//!
//! 1. a comment inside the text of a printed piece (an item's head, a clause, a header field, a
//!    jurisdiction setting) — say between two lines of one `when` condition — is printed on its
//!    own line *before* that piece, since the piece may be laid out differently;
//! 2. a comment after code on the same line trails the piece that ends just before it (only
//!    brackets and commas between), or the closing brace of the header or a jurisdiction;
//! 3. a comment inside the braces of the header or of a jurisdiction after the last field, or an
//!    indented comment directly under a rule's last clause, stays at the end of that block;
//! 4. any other comment leads the next piece, or, with nothing after it, stays at the end.
//!
//! Every comment lands in exactly one slot and every slot is printed, so none is ever dropped.

use std::collections::BTreeMap;

/// A `//` comment of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment {
    /// Byte offset of the `//`.
    pub start: usize,
    /// The comment from `//` on, without trailing whitespace.
    pub text: String,
    /// Only whitespace precedes it on its line.
    pub own_line: bool,
    /// It is on its own line and does not start in the first column.
    pub indented: bool,
    /// A blank line separates it from whatever follows; kept between top-level comments.
    pub blank_after: bool,
}

/// Every comment of `text`, in order. Strings are skipped, so `"http://x"` holds no comment.
pub(super) fn scan(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => at = string_end(bytes, at + 1),
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                let end = line_end(text, at);
                comments.push(comment(text, at, end));
                at = end;
            }
            _ => at += 1,
        }
    }
    comments
}

/// The offset just past a string literal whose contents start at `at`.
fn string_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' | b'\n' => return at + 1,
            _ => at += 1,
        }
    }
    at
}

/// The offset of the line break ending the line that holds `at`, or the end of the text.
fn line_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |n| at + n)
}

fn comment(text: &str, start: usize, end: usize) -> Comment {
    let line_start = text
        .get(..start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |n| n + 1);
    let before = text.get(line_start..start).unwrap_or_default();
    let own_line = before.trim().is_empty();
    let after = text.get(end..).unwrap_or_default();
    let following = after.trim_start();
    let gap = after
        .get(..after.len() - following.len())
        .unwrap_or_default();
    Comment {
        start,
        text: text
            .get(start..end)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
        own_line,
        indented: own_line && !before.is_empty(),
        blank_after: !following.is_empty() && gap.matches('\n').count() >= 2,
    }
}

/// The offset of the first code at or after `at`: past whitespace and comments. Only used
/// between declarations and fields, where no string can start a comment-like `//`.
pub(super) fn next_code(text: &str, mut at: usize) -> usize {
    loop {
        let rest = text.get(at..).unwrap_or_default();
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at = line_end(text, at);
        } else {
            return at;
        }
    }
}

/// The text between `start` and `end` with comments and whitespace removed, to tell whether two
/// citations were written in one `cite` (only a comma between them) or in two.
pub(super) fn code_between(text: &str, start: usize, end: usize) -> String {
    text.get(start..end)
        .unwrap_or_default()
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A place in the printed file where comments go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Slot {
    /// The `policy ... {` line.
    Header,
    /// A header field, by its printed position.
    HeaderField(usize),
    /// Inside the header's braces, after the last field.
    HeaderEnd,
    /// The first line of item `i`: `let`, `rule id: effect`, `jurisdiction X {`.
    Item(usize),
    /// Part `j` of item `i` (a rule's clause or a jurisdiction's setting), by written position.
    Part(usize, usize),
    /// The end of item `i`: under a rule's last clause, or inside a jurisdiction's braces.
    ItemEnd(usize),
    /// The end of the file.
    End,
}

/// A printed piece and the source bytes it was written in.
#[derive(Debug, Clone, Copy)]
pub(super) struct Anchor {
    /// Where its comments go.
    pub slot: Slot,
    /// Its first byte in the source.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// The end of a block whose trailing comments stay inside it: bytes `start..end` of the source
/// belong to `slot`. `indented_only` is set for rules, whose end has no closing brace: there
/// only indented comments directly under the last clause stay with the rule.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tail {
    /// The end slot.
    pub slot: Slot,
    /// First byte of the region.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Whether only indented comments with no blank line before them belong here.
    pub indented_only: bool,
}

/// Comments sorted into slots.
#[derive(Debug, Default)]
pub(super) struct Attached {
    /// Comments printed on their own lines at a slot, in source order.
    leading: BTreeMap<Slot, Vec<Comment>>,
    /// The comment printed at the end of a slot's last line.
    trailing: BTreeMap<Slot, Comment>,
}

impl Attached {
    /// The comments printed on their own lines at `slot`.
    pub fn leading(&self, slot: Slot) -> &[Comment] {
        self.leading.get(&slot).map_or(&[], Vec::as_slice)
    }

    /// The comment printed after the code of `slot`, if any.
    pub fn trailing(&self, slot: Slot) -> Option<&Comment> {
        self.trailing.get(&slot)
    }
}

/// Sorts `comments` into slots. `anchors` must not overlap, nor `tails`; both are searched by
/// bisection, so a machine-written file with thousands of rules and comments stays fast.
pub(super) fn attach(
    text: &str,
    comments: Vec<Comment>,
    anchors: &[Anchor],
    tails: &[Tail],
) -> Attached {
    let mut anchors = anchors.to_vec();
    anchors.sort_by_key(|a| a.start);
    let mut tails = tails.to_vec();
    tails.sort_by_key(|t| t.start);
    let mut attached = Attached::default();
    for comment in comments {
        let at = comment.start;
        let after = anchors.partition_point(|a| a.start <= at);
        // The last piece starting before the comment, and the first starting after it.
        let before = after.checked_sub(1).and_then(|i| anchors.get(i));
        let next = anchors.get(after);
        let tail = tails
            .partition_point(|t| t.start <= at)
            .checked_sub(1)
            .and_then(|i| tails.get(i));
        if let Some(anchor) = before.filter(|a| at < a.end) {
            attached.lead(anchor.slot, comment);
        } else if let Some(slot) = trailing_slot(text, &comment, before, &attached) {
            attached.trailing.insert(slot, comment);
        } else if let Some(tail) = tail.filter(|t| in_tail(text, &comment, t)) {
            attached.lead(tail.slot, comment);
        } else {
            attached.lead(next.map_or(Slot::End, |a| a.slot), comment);
        }
    }
    attached
}

impl Attached {
    fn lead(&mut self, slot: Slot, comment: Comment) {
        self.leading.entry(slot).or_default().push(comment);
    }
}

/// The slot whose last line `comment` ends, if code before it on its line belongs to `before`,
/// the last piece ending before the comment.
fn trailing_slot(
    text: &str,
    comment: &Comment,
    before: Option<&Anchor>,
    attached: &Attached,
) -> Option<Slot> {
    if comment.own_line {
        return None;
    }
    let anchor = before?;
    let gap = text.get(anchor.end..comment.start)?;
    // Only brackets and separators may come between: after a keyword such as `when`, the
    // comment is about what follows it.
    let punctuation = gap.chars().all(|c| " \t{}(),:".contains(c));
    let free = !attached.trailing.contains_key(&anchor.slot);
    (punctuation && free).then_some(anchor.slot)
}

fn in_tail(text: &str, comment: &Comment, tail: &Tail) -> bool {
    if !(tail.start..tail.end).contains(&comment.start) {
        return false;
    }
    if !tail.indented_only {
        return true;
    }
    comment.indented && !has_blank_line(text, tail.start, comment.start)
}

/// Whether a blank line lies between offsets `start` and `end`. The first line of the range is
/// the rest of a line with code, the last the start of one: only lines in between can be blank.
pub(super) fn has_blank_line(text: &str, start: usize, end: usize) -> bool {
    let gap = text.get(start..end).unwrap_or_default();
    let lines: Vec<&str> = gap.split('\n').collect();
    let inner = lines
        .get(1..lines.len().saturating_sub(1))
        .unwrap_or_default();
    inner.iter().any(|line| line.trim().is_empty())
}
