//! The canonical layout of a whole file: header, constants, jurisdictions and rules, with the
//! comments of the source put back in place.

use crate::ast::{
    AttributeDecl, Clause, Expr, ExprKind, Ident, IndicatorDecl, Item, JurisdictionDecl,
    JurisdictionSetting, LetDecl, PolicyFile, PolicyHeader, PredicateDecl, RuleDecl, Text,
};
use crate::source::Span;

use super::comments::{self, Anchor, Attached, Comment, Slot, Tail};
use super::expr;

/// Lines of a clause, a setting or a header field are indented this much.
const INDENT: &str = "  ";

/// The column where a broken `when` condition continues: one level in from its clause.
const CONDITION_HANG: usize = 4;

/// Prints `file`, parsed from `text`, in canonical layout.
pub(super) fn print(file: &PolicyFile, text: &str) -> String {
    let fields = header_fields(&file.header, text);
    let comments = comments::scan(text);
    let (anchors, tails) = anchors(file, &fields, text, &comments);
    let attached = comments::attach(text, comments, &anchors, &tails);
    let separated = separations(file, text, &attached);
    let mut printer = Printer {
        lines: Vec::new(),
        attached,
    };
    printer.header(&file.header, &fields);
    for (index, item) in file.items.iter().enumerate() {
        let blank_line = separated.get(index).copied().unwrap_or(true);
        printer.item(index, item, blank_line);
    }
    printer.end();
    printer.finish()
}

/// For each item, whether a blank line goes before it: always, except between two one-line
/// declarations (`let`, `attribute`) written without one, so that a block of related constants
/// or of declared attributes stays a block.
fn separations(file: &PolicyFile, text: &str, attached: &Attached) -> Vec<bool> {
    let mut separated = Vec::with_capacity(file.items.len());
    let mut previous: Option<(usize, usize)> = None;
    for (index, item) in file.items.iter().enumerate() {
        let current = one_line_span(item);
        separated.push(match (previous, current) {
            (Some((_, previous_end)), Some((written, _))) => {
                let start = attached
                    .leading(Slot::Item(index))
                    .first()
                    .map_or(written, |c| c.start.min(written));
                comments::has_blank_line(text, previous_end, start)
            }
            _ => true,
        });
        previous = current;
    }
    separated
}

/// Where a one-line declaration is written, from its name to its end.
fn one_line_span(item: &Item) -> Option<(usize, usize)> {
    match item {
        Item::Let(decl) => Some((decl.name.span.start as usize, decl.value.span.end as usize)),
        Item::Attribute(decl) => Some((decl.name.span.start as usize, decl.ty.span.end as usize)),
        Item::Rule(_) | Item::Jurisdiction(_) | Item::Predicate(_) | Item::Indicator(_) => None,
    }
}

/// The rank of a clause in the canonical order: title, covers, when, because, cite, tags, valid.
pub(super) fn clause_rank(clause: &Clause) -> u8 {
    match clause {
        Clause::Title(_) => 0,
        Clause::Covers(_) => 1,
        Clause::When(_) => 2,
        Clause::Because(_) => 3,
        Clause::Cite(_) => 4,
        Clause::Tags(_) => 5,
        Clause::Valid { .. } => 6,
    }
}

/// The positions of a rule's clauses in printing order. The sort is stable, so clauses of one
/// kind (several `cite`s) keep their written order, and with it the order of the citations.
fn clause_order(clauses: &[Clause]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..clauses.len()).collect();
    order.sort_by_key(|&j| clauses.get(j).map_or(u8::MAX, clause_rank));
    order
}

/// One line of the `policy` header.
enum Field<'a> {
    Jurisdiction(&'a Ident),
    Version(&'a Text),
    /// One `cite` as written: the syntax tree flattens the header's citations into one list,
    /// so the grouping is read back from the source.
    Cite(&'a [Text]),
}

impl Field<'_> {
    fn line(&self) -> String {
        match self {
            Field::Jurisdiction(code) => format!("{INDENT}jurisdiction {}", code.node),
            Field::Version(version) => format!("{INDENT}version {}", expr::quote(&version.node)),
            Field::Cite(citations) => format!("{INDENT}cite {}", expr::quoted_list(citations)),
        }
    }

    fn span(&self) -> Option<(usize, usize)> {
        match self {
            Field::Jurisdiction(code) => Some(bounds(code.span)),
            Field::Version(version) => Some(bounds(version.span)),
            Field::Cite(citations) => list_span(citations),
        }
    }
}

/// The header's fields in canonical order: jurisdictions, versions, then citations in their
/// written `cite` lines.
fn header_fields<'a>(header: &'a PolicyHeader, text: &str) -> Vec<Field<'a>> {
    let mut fields: Vec<Field<'a>> = header
        .jurisdictions
        .iter()
        .map(Field::Jurisdiction)
        .collect();
    fields.extend(header.versions.iter().map(Field::Version));
    let mut start = 0;
    for index in 1..=header.citations.len() {
        let same_cite = match (header.citations.get(index - 1), header.citations.get(index)) {
            (Some(previous), Some(next)) => {
                let between = comments::code_between(
                    text,
                    previous.span.end as usize,
                    next.span.start as usize,
                );
                between == ","
            }
            _ => false,
        };
        if !same_cite {
            if let Some(group) = header.citations.get(start..index) {
                fields.push(Field::Cite(group));
            }
            start = index;
        }
    }
    fields
}

fn bounds(span: Span) -> (usize, usize) {
    (span.start as usize, span.end as usize)
}

/// From the first to the last of a list of spanned nodes.
fn list_span<T>(nodes: &[crate::ast::Spanned<T>]) -> Option<(usize, usize)> {
    let first = nodes.first()?;
    let last = nodes.last()?;
    Some((first.span.start as usize, last.span.end as usize))
}

fn clause_span(clause: &Clause) -> Option<(usize, usize)> {
    match clause {
        Clause::Title(text) | Clause::Because(text) => Some(bounds(text.span)),
        Clause::Covers(names) | Clause::Tags(names) => list_span(names),
        Clause::When(condition) => Some(bounds(condition.span)),
        Clause::Cite(citations) => list_span(citations),
        Clause::Valid { span, .. } => Some(bounds(*span)),
    }
}

fn setting_span(setting: &JurisdictionSetting) -> Option<(usize, usize)> {
    match setting {
        JurisdictionSetting::Lists(lists) => list_span(lists),
        JurisdictionSetting::Ownership { span, .. } => Some(bounds(*span)),
        JurisdictionSetting::Control(control) => Some(bounds(control.span)),
        JurisdictionSetting::Embargo(codes) | JurisdictionSetting::Cite(codes) => list_span(codes),
        JurisdictionSetting::Valid { span, .. } => Some(bounds(*span)),
        JurisdictionSetting::ControlCriteria(criteria) => list_span(criteria),
        JurisdictionSetting::SignificantMinority(stake) => Some(bounds(stake.span)),
        JurisdictionSetting::JointArrangements(span) => Some(bounds(*span)),
    }
}

/// Collects anchors and block ends as the items are walked.
struct Pieces<'a> {
    text: &'a str,
    comments: &'a [Comment],
    anchors: Vec<Anchor>,
    tails: Vec<Tail>,
    /// The end of the last piece added, where the next block's tail starts.
    last_end: usize,
}

impl Pieces<'_> {
    fn add(&mut self, slot: Slot, span: Option<(usize, usize)>) {
        if let Some((start, end)) = span {
            let end = self.code_end(start, end);
            self.anchors.push(Anchor { slot, start, end });
            self.last_end = self.last_end.max(end);
        }
    }

    /// `end` moved back over whitespace and comments: the span of a quantifier takes in the
    /// blanks and comments after its body, which belong to what follows.
    fn code_end(&self, start: usize, mut end: usize) -> usize {
        loop {
            let code = self.text.get(start..end).unwrap_or_default().trim_end();
            end = start + code.len();
            // Comments are in order: only the last one starting before `end` can end there.
            let last = self.comments.partition_point(|c| c.start < end);
            let ending = last
                .checked_sub(1)
                .and_then(|i| self.comments.get(i))
                .filter(|c| c.start >= start && c.start + c.text.len() == end);
            match ending {
                Some(comment) => end = comment.start,
                None => return end,
            }
        }
    }

    /// The inside of a block's closing brace, after its last piece (and after its `{`, when
    /// the block is empty), and the brace itself, which a comment may trail.
    fn braces_end(&mut self, slot: Slot) {
        let open = comments::next_code(self.text, self.last_end);
        let start = if self
            .text
            .get(open..)
            .is_some_and(|rest| rest.starts_with('{'))
        {
            open + 1
        } else {
            self.last_end
        };
        let end = comments::next_code(self.text, start);
        self.tails.push(Tail {
            slot,
            start,
            end,
            indented_only: false,
        });
        if self
            .text
            .get(end..)
            .is_some_and(|rest| rest.starts_with('}'))
        {
            self.anchors.push(Anchor {
                slot,
                start: end,
                end: end + 1,
            });
            self.last_end = end + 1;
        }
    }

    /// Below a rule's last clause, up to the next declaration.
    fn rule_end(&mut self, slot: Slot) {
        let start = self.last_end;
        let end = comments::next_code(self.text, start);
        self.tails.push(Tail {
            slot,
            start,
            end,
            indented_only: true,
        });
    }
}

/// Every printed piece with its source bytes, and the ends of blocks, for attaching comments.
fn anchors(
    file: &PolicyFile,
    fields: &[Field<'_>],
    text: &str,
    comments: &[Comment],
) -> (Vec<Anchor>, Vec<Tail>) {
    let mut pieces = Pieces {
        text,
        comments,
        anchors: Vec::new(),
        tails: Vec::new(),
        last_end: 0,
    };
    let header = &file.header;
    let head_end = header
        .title
        .as_ref()
        .map_or(header.id.span.end, |t| t.span.end);
    pieces.add(
        Slot::Header,
        Some((header.id.span.start as usize, head_end as usize)),
    );
    for (k, field) in fields.iter().enumerate() {
        pieces.add(Slot::HeaderField(k), field.span());
    }
    pieces.braces_end(Slot::HeaderEnd);
    for (i, item) in file.items.iter().enumerate() {
        match item {
            Item::Let(decl) => {
                let start = decl.name.span.start as usize;
                pieces.add(Slot::Item(i), Some((start, decl.value.span.end as usize)));
            }
            Item::Rule(rule) => {
                let head = (rule.span.start as usize, rule.effect.span.end as usize);
                pieces.add(Slot::Item(i), Some(head));
                for (j, clause) in rule.clauses.iter().enumerate() {
                    pieces.add(Slot::Part(i, j), clause_span(clause));
                }
                pieces.rule_end(Slot::ItemEnd(i));
            }
            Item::Indicator(indicator) => {
                let head = (
                    indicator.span.start as usize,
                    indicator.weight.span.end as usize,
                );
                pieces.add(Slot::Item(i), Some(head));
                for (j, clause) in indicator.clauses.iter().enumerate() {
                    pieces.add(Slot::Part(i, j), clause_span(clause));
                }
                pieces.rule_end(Slot::ItemEnd(i));
            }
            Item::Attribute(decl) => {
                let span = (decl.name.span.start as usize, decl.ty.span.end as usize);
                pieces.add(Slot::Item(i), Some(span));
            }
            Item::Predicate(decl) => {
                let span = (decl.name.span.start as usize, decl.body.span.end as usize);
                pieces.add(Slot::Item(i), Some(span));
            }
            Item::Jurisdiction(decl) => {
                let head_end = decl
                    .title
                    .as_ref()
                    .map_or(decl.code.span.end, |t| t.span.end);
                let head = (decl.code.span.start as usize, head_end as usize);
                pieces.add(Slot::Item(i), Some(head));
                for (j, setting) in decl.settings.iter().enumerate() {
                    pieces.add(Slot::Part(i, j), setting_span(setting));
                }
                pieces.braces_end(Slot::ItemEnd(i));
            }
        }
    }
    (pieces.anchors, pieces.tails)
}

/// Accumulates output lines, putting each slot's comments around its code.
struct Printer {
    lines: Vec<String>,
    attached: Attached,
}

impl Printer {
    /// Own-line comments of `slot` at `indent`. Blank lines after them are kept only between
    /// declarations, where they separate a file's or a section's comment from the next item;
    /// inside a block they would split it.
    fn leading(&mut self, slot: Slot, indent: &str, keep_blank_lines: bool) {
        for comment in self.attached.leading(slot) {
            self.lines.push(format!("{indent}{}", comment.text));
            if keep_blank_lines && comment.blank_after {
                self.lines.push(String::new());
            }
        }
    }

    /// The lines of `slot`'s code, its trailing comment at the end of the last one.
    fn code(&mut self, slot: Slot, lines: Vec<String>) {
        self.lines.extend(lines);
        if let (Some(comment), Some(last)) = (self.attached.trailing(slot), self.lines.last_mut()) {
            last.push(' ');
            last.push_str(&comment.text);
        }
    }

    /// Whether a block prints as `{}`: nothing inside, not even a comment, no comment after its
    /// opening brace and none after its closing brace. Either comment would share the line of
    /// `{}`, where the next reading finds it after the closing brace: the block would print `{}`
    /// once and `{` `}` the next time.
    fn is_empty_block(&self, head: Slot, end: Slot, parts: usize) -> bool {
        parts == 0
            && self.attached.trailing(head).is_none()
            && self.attached.leading(end).is_empty()
            && self.attached.trailing(end).is_none()
    }

    /// The opening line of a block, `{}` when it is empty.
    fn open(&mut self, slot: Slot, head: String, empty: bool) {
        let brace = if empty { "{}" } else { "{" };
        self.code(slot, vec![format!("{head} {brace}")]);
    }

    /// A block's closing brace, with the comments inside it before, unless it was printed `{}`.
    fn close(&mut self, slot: Slot, empty: bool) {
        if !empty {
            self.leading(slot, INDENT, false);
            self.code(slot, vec![String::from("}")]);
        }
    }

    fn header(&mut self, header: &PolicyHeader, fields: &[Field<'_>]) {
        self.leading(Slot::Header, "", true);
        let title = header
            .title
            .as_ref()
            .map(|t| format!(" {}", expr::quote(&t.node)))
            .unwrap_or_default();
        let empty = self.is_empty_block(Slot::Header, Slot::HeaderEnd, fields.len());
        let head = format!("policy {}{title}", header.id.node);
        self.open(Slot::Header, head, empty);
        for (k, field) in fields.iter().enumerate() {
            self.leading(Slot::HeaderField(k), INDENT, false);
            self.code(Slot::HeaderField(k), vec![field.line()]);
        }
        self.close(Slot::HeaderEnd, empty);
    }

    fn item(&mut self, index: usize, item: &Item, blank_line: bool) {
        if blank_line {
            self.lines.push(String::new());
        }
        self.leading(Slot::Item(index), "", true);
        match item {
            Item::Let(decl) => self.code(Slot::Item(index), let_lines(decl)),
            Item::Rule(rule) => self.rule(index, rule),
            Item::Jurisdiction(decl) => self.jurisdiction(index, decl),
            Item::Attribute(decl) => self.code(Slot::Item(index), vec![attribute_line(decl)]),
            Item::Predicate(decl) => self.code(Slot::Item(index), predicate_lines(decl)),
            Item::Indicator(indicator) => self.indicator(index, indicator),
        }
    }

    fn rule(&mut self, index: usize, rule: &RuleDecl) {
        let head = format!("rule {}: {}", rule.id.node, rule.effect.node.keyword());
        self.clauses(index, head, &rule.clauses);
    }

    fn indicator(&mut self, index: usize, indicator: &IndicatorDecl) {
        let head = format!(
            "indicator {}: {}",
            indicator.id.node,
            expr::number(indicator.weight.node)
        );
        self.clauses(index, head, &indicator.clauses);
    }

    /// A rule's or an indicator's head line and its clauses in canonical order.
    fn clauses(&mut self, index: usize, head: String, clauses: &[Clause]) {
        self.code(Slot::Item(index), vec![head]);
        for j in clause_order(clauses) {
            if let Some(clause) = clauses.get(j) {
                self.leading(Slot::Part(index, j), INDENT, false);
                self.code(Slot::Part(index, j), clause_lines(clause));
            }
        }
        self.leading(Slot::ItemEnd(index), INDENT, false);
    }

    fn jurisdiction(&mut self, index: usize, decl: &JurisdictionDecl) {
        let title = decl
            .title
            .as_ref()
            .map(|t| format!(" {}", expr::quote(&t.node)))
            .unwrap_or_default();
        let empty =
            self.is_empty_block(Slot::Item(index), Slot::ItemEnd(index), decl.settings.len());
        let head = format!("jurisdiction {}{title}", decl.code.node);
        self.open(Slot::Item(index), head, empty);
        for (j, setting) in decl.settings.iter().enumerate() {
            self.leading(Slot::Part(index, j), INDENT, false);
            self.code(Slot::Part(index, j), vec![setting_line(setting)]);
        }
        self.close(Slot::ItemEnd(index), empty);
    }

    /// Comments after the last declaration, set off by a blank line like a declaration.
    fn end(&mut self) {
        if !self.attached.leading(Slot::End).is_empty() {
            self.lines.push(String::new());
            self.leading(Slot::End, "", true);
        }
    }

    fn finish(mut self) -> String {
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}

/// `attribute name: type`.
fn attribute_line(decl: &AttributeDecl) -> String {
    format!("attribute {}: {}", decl.name.node, decl.ty.node)
}

/// `predicate name(a, b): condition` on one line if it fits; otherwise the condition starts on
/// the next line, indented, and breaks like a `when`.
fn predicate_lines(decl: &PredicateDecl) -> Vec<String> {
    let head = format!(
        "predicate {}({}):",
        decl.name.node,
        expr::name_list(&decl.params)
    );
    let one_line = expr::lines(&decl.body, &format!("{head} "), CONDITION_HANG);
    if one_line.len() == 1 && one_line.iter().all(|l| expr::fits("", l)) {
        return one_line;
    }
    let mut out = vec![head];
    out.extend(expr::lines(&decl.body, INDENT, INDENT.len()));
    out
}

/// `let name = value`; a set too wide for one line gets one element per line.
fn let_lines(decl: &LetDecl) -> Vec<String> {
    let lead = format!("let {} = ", decl.name.node);
    match &decl.value.kind {
        ExprKind::Set(items) if !items.is_empty() && !expr::fits(&lead, &expr::set(items)) => {
            let mut out = vec![format!("{lead}{{")];
            out.extend(
                items
                    .iter()
                    .map(|item| format!("{INDENT}{},", expr::quote(&item.node))),
            );
            out.push(String::from("}"));
            out
        }
        _ => expr::lines(&decl.value, &lead, INDENT.len()),
    }
}

fn clause_lines(clause: &Clause) -> Vec<String> {
    let line = match clause {
        Clause::Title(title) => format!("title {}", expr::quote(&title.node)),
        Clause::Covers(rules) => format!("covers {}", expr::name_list(rules)),
        Clause::When(condition) => return when_lines(condition),
        Clause::Because(message) => format!("because {}", expr::quote(&message.node)),
        Clause::Cite(citations) => format!("cite {}", expr::quoted_list(citations)),
        Clause::Tags(tags) => format!("tags {}", expr::name_list(tags)),
        Clause::Valid { from, until, .. } => {
            let mut line = String::from("valid");
            if let Some(from) = from {
                line.push_str(&format!(" from {}", from.node));
            }
            if let Some(until) = until {
                line.push_str(&format!(" until {}", until.node));
            }
            line
        }
    };
    vec![format!("{INDENT}{line}")]
}

fn when_lines(condition: &Expr) -> Vec<String> {
    expr::lines(condition, &format!("{INDENT}when "), CONDITION_HANG)
}

fn setting_line(setting: &JurisdictionSetting) -> String {
    let line = match setting {
        JurisdictionSetting::Lists(lists) => format!("lists {}", expr::quoted_list(lists)),
        JurisdictionSetting::Ownership {
            inclusive,
            threshold,
            aggregate,
            ..
        } => {
            let comparison = if *inclusive { "at least" } else { "more than" };
            let aggregation = if *aggregate {
                "aggregated"
            } else {
                "per person"
            };
            let threshold = expr::number(threshold.node);
            format!("ownership {comparison} {threshold} {aggregation}")
        }
        JurisdictionSetting::Control(blocks) => {
            let effect = if blocks.node { "blocks" } else { "review" };
            format!("control {effect}")
        }
        JurisdictionSetting::Embargo(codes) => format!("embargo {}", expr::quoted_list(codes)),
        JurisdictionSetting::Cite(texts) => format!("cite {}", expr::quoted_list(texts)),
        JurisdictionSetting::Valid { from, until, .. } => {
            let mut line = String::from("valid");
            if let Some(from) = from {
                line.push_str(&format!(" from {}", from.node));
            }
            if let Some(until) = until {
                line.push_str(&format!(" until {}", until.node));
            }
            line
        }
        JurisdictionSetting::ControlCriteria(criteria) => {
            let names: Vec<&str> = criteria.iter().map(|c| c.node.as_str()).collect();
            format!("control criteria {}", names.join(", "))
        }
        JurisdictionSetting::SignificantMinority(stake) => {
            format!("significant minority {}", expr::number(stake.node))
        }
        JurisdictionSetting::JointArrangements(_) => String::from("joint arrangements aggregated"),
    };
    format!("{INDENT}{line}")
}
