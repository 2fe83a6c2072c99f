//! A unified, line-based diff between a file and its formatted form, for `fmt --check`.
//!
//! Policy files are small, so a longest-common-subsequence table over the lines that differ is
//! cheap and gives the smallest diff. Past [`MAX_CELLS`] (a machine-written file rewritten
//! throughout) the differing middle is shown as one replaced block instead, to bound memory.

use std::fmt::Write as _;

/// Unchanged lines shown around each change.
const CONTEXT: usize = 2;

/// The largest LCS table built, in cells (4 bytes each).
const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Same,
    Delete,
    Insert,
}

/// One line of the diff with the line numbers (0-based) it sits at in each text.
#[derive(Debug, Clone, Copy)]
struct Edit<'a> {
    change: Change,
    text: &'a str,
    old: usize,
    new: usize,
}

/// `old` against `new` as a unified diff headed with `name`, empty when they are equal.
///
/// Lines are compared without their line breaks, so a file that differs only in `\r\n` or in
/// its final newline gets a one-line note instead of every line shown twice.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let edits = edits(&old_lines, &new_lines);
    let hunks = hunks(&edits);
    let mut out = format!("--- {name}\n+++ {name} (formatted)\n");
    if hunks.is_empty() {
        // Lines compare without their `\r`, and the last without its line break.
        out.push_str("only line endings differ: formatted files use `\\n` and end with one\n");
        return out;
    }
    for (start, end) in hunks {
        write_hunk(&mut out, edits.get(start..end).unwrap_or_default());
    }
    out
}

/// The line numbers (1-based) in the old text of the first line of each change, for a short
/// "lines 3, 17 differ" summary.
pub fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let edits = edits(&old_lines, &new_lines);
    let mut lines = Vec::new();
    let mut previous = Change::Same;
    for edit in &edits {
        if edit.change != Change::Same && previous == Change::Same {
            lines.push(edit.old + 1);
        }
        previous = edit.change;
    }
    lines
}

fn edits<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Edit<'a>> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let rest_old = old.get(prefix..).unwrap_or_default();
    let rest_new = new.get(prefix..).unwrap_or_default();
    let suffix = rest_old
        .iter()
        .rev()
        .zip(rest_new.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let middle_old = rest_old.get(..rest_old.len() - suffix).unwrap_or_default();
    let middle_new = rest_new.get(..rest_new.len() - suffix).unwrap_or_default();
    let mut changes = vec![Change::Same; prefix];
    changes.extend(middle(middle_old, middle_new));
    changes.extend(std::iter::repeat_n(Change::Same, suffix));
    number(&changes, old, new)
}

/// The changes turning `old` into `new`, by LCS when the table is small enough.
fn middle(old: &[&str], new: &[&str]) -> Vec<Change> {
    let cells = (old.len() + 1).saturating_mul(new.len() + 1);
    if cells > MAX_CELLS {
        let mut changes = vec![Change::Delete; old.len()];
        changes.extend(std::iter::repeat_n(Change::Insert, new.len()));
        return changes;
    }
    let width = new.len() + 1;
    // lcs[i * width + j]: the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![0u32; cells];
    let at = |i: usize, j: usize| i * width + j;
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            let value = if old.get(i) == new.get(j) {
                lcs.get(at(i + 1, j + 1)).copied().unwrap_or(0) + 1
            } else {
                let down = lcs.get(at(i + 1, j)).copied().unwrap_or(0);
                let right = lcs.get(at(i, j + 1)).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = lcs.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    let cell = |i: usize, j: usize| lcs.get(at(i, j)).copied().unwrap_or(0);
    let (mut i, mut j) = (0, 0);
    let mut changes = Vec::with_capacity(old.len() + new.len());
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old.get(i) == new.get(j) {
            changes.push(Change::Same);
            i += 1;
            j += 1;
        } else if j == new.len() || (i < old.len() && cell(i + 1, j) >= cell(i, j + 1)) {
            changes.push(Change::Delete);
            i += 1;
        } else {
            changes.push(Change::Insert);
            j += 1;
        }
    }
    changes
}

/// Pairs each change with its text and line numbers.
fn number<'a>(changes: &[Change], old: &[&'a str], new: &[&'a str]) -> Vec<Edit<'a>> {
    let (mut i, mut j) = (0, 0);
    let mut edits = Vec::with_capacity(changes.len());
    for &change in changes {
        let text = match change {
            Change::Insert => new.get(j),
            Change::Same | Change::Delete => old.get(i),
        };
        edits.push(Edit {
            change,
            text: text.copied().unwrap_or_default(),
            old: i,
            new: j,
        });
        match change {
            Change::Same => {
                i += 1;
                j += 1;
            }
            Change::Delete => i += 1,
            Change::Insert => j += 1,
        }
    }
    edits
}

/// Ranges of `edits` to show: each change with [`CONTEXT`] lines around, close ones merged.
fn hunks(edits: &[Edit<'_>]) -> Vec<(usize, usize)> {
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for (index, edit) in edits.iter().enumerate() {
        if edit.change == Change::Same {
            continue;
        }
        let start = index.saturating_sub(CONTEXT);
        let end = (index + 1 + CONTEXT).min(edits.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    hunks
}

fn write_hunk(out: &mut String, edits: &[Edit<'_>]) {
    let Some(first) = edits.first() else {
        return;
    };
    let old_count = edits.iter().filter(|e| e.change != Change::Insert).count();
    let new_count = edits.iter().filter(|e| e.change != Change::Delete).count();
    let _ = writeln!(
        out,
        "@@ -{},{old_count} +{},{new_count} @@",
        first.old + 1,
        first.new + 1
    );
    for edit in edits {
        let mark = match edit.change {
            Change::Same => ' ',
            Change::Delete => '-',
            Change::Insert => '+',
        };
        let _ = writeln!(out, "{mark}{}", edit.text);
    }
}
