//! Expressions in canonical form: the fewest parentheses that keep the parse, and long conditions
//! broken after a quantifier's `:` and before `and`/`or`.
//!
//! Parentheses are not in the syntax tree (`(a)` lowers to `a`), so they are recomputed here from
//! the precedence table of `src/syntax/mod.rs`: `or` < `and` < `not` < comparisons, `in`,
//! `contains` < `is` tests < literals, paths and quantifiers. Two rules go beyond that table:
//!
//! - a quantifier's body runs as far right as the expression goes, so a quantifier that is an
//!   operand of `and`, `or` or a comparison, or the subject of an `is` test, is always
//!   parenthesised — where it would parse without them (the last operand) they still tell the
//!   reader where the body ends;
//! - the operands of `under` and `on` are primaries in the grammar, so anything but a literal or
//!   a path is parenthesised there.

use crate::ast::{
    AggregateSource, BinaryOp, Binding, Expr, ExprKind, Ident, QuantifierKind, Spanned, Text,
};

/// The widest line the formatter aims for, in characters. Strings and long quantifier heads are
/// never split, so a line may still be wider.
pub const WIDTH: usize = 100;

/// How tightly an expression binds, loosest first, mirroring the Pratt table of the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// Anything: the top of a condition, inside parentheses, a quantifier's body or filter.
    Any,
    /// `a or b`.
    Or,
    /// `a and b`.
    And,
    /// `not a`.
    Not,
    /// `a == b`, `a in b`, `a contains b`, `a within 30 days of b`, ...
    Compare,
    /// `a + b`, `a - b`.
    Sum,
    /// `a * b`, `a / b`.
    Product,
    /// `a is designated`, `a is blocked`, `a is present`.
    Test,
    /// `m[k]`.
    Index,
    /// Literals, paths, calls, aggregates and quantifiers.
    Atom,
}

impl Prec {
    /// The next tighter level: what the right operand of a left-associative operator needs.
    fn tighter(self) -> Prec {
        match self {
            Prec::Any => Prec::Or,
            Prec::Or => Prec::And,
            Prec::And => Prec::Not,
            Prec::Not => Prec::Compare,
            Prec::Compare => Prec::Sum,
            Prec::Sum => Prec::Product,
            Prec::Product => Prec::Test,
            Prec::Test => Prec::Index,
            Prec::Index | Prec::Atom => Prec::Atom,
        }
    }
}

/// Where an expression is printed: how tightly it must bind to go without parentheses, and
/// whether a quantifier may appear bare (nothing follows that its body could swallow).
#[derive(Debug, Clone, Copy)]
struct Place {
    min: Prec,
    open: bool,
}

impl Place {
    /// The top of a condition, or inside parentheses.
    const TOP: Place = Place {
        min: Prec::Any,
        open: true,
    };
    /// The subject of an `is` test, or an operand of `under`/`on` when `min` is `Atom`.
    const fn closed(min: Prec) -> Place {
        Place { min, open: false }
    }
}

fn precedence(expr: &Expr) -> Prec {
    match &expr.kind {
        ExprKind::Binary(op, ..) => operator_precedence(*op),
        ExprKind::Not(_) => Prec::Not,
        ExprKind::Designated { .. }
        | ExprKind::Blocked { .. }
        | ExprKind::PossiblyListed { .. }
        | ExprKind::Presence { .. } => Prec::Test,
        ExprKind::Within { .. } => Prec::Compare,
        ExprKind::Index { .. } => Prec::Index,
        ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::Text(_)
        | ExprKind::Date(_)
        | ExprKind::Set(_)
        | ExprKind::NumberSet(_)
        | ExprKind::Map(_)
        | ExprKind::Duration(_)
        | ExprKind::Amount { .. }
        | ExprKind::Call { .. }
        | ExprKind::Aggregate { .. }
        | ExprKind::Path(_)
        | ExprKind::Quantifier { .. } => Prec::Atom,
    }
}

fn operator_precedence(op: BinaryOp) -> Prec {
    match op {
        BinaryOp::Or => Prec::Or,
        BinaryOp::And => Prec::And,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::NotIn
        | BinaryOp::Contains
        | BinaryOp::StartsWith
        | BinaryOp::EndsWith
        | BinaryOp::Matches => Prec::Compare,
        BinaryOp::Add | BinaryOp::Sub => Prec::Sum,
        BinaryOp::Mul | BinaryOp::Div => Prec::Product,
    }
}

fn needs_parens(expr: &Expr, place: Place) -> bool {
    let open_ended = matches!(expr.kind, ExprKind::Quantifier { .. });
    precedence(expr) < place.min || (open_ended && !place.open)
}

/// The expression laid out after `lead` (the text already on its first line, indentation
/// included): on one line if it fits in [`WIDTH`], otherwise broken, with `hang` the column of
/// lines that continue an `and`/`or` chain.
pub(super) fn lines(expr: &Expr, lead: &str, hang: usize) -> Vec<String> {
    layout(expr, Place::TOP, lead, hang)
}

fn render(expr: &Expr, place: Place) -> String {
    if needs_parens(expr, place) {
        format!("({})", render_bare(expr, Place::TOP))
    } else {
        render_bare(expr, place)
    }
}

fn render_bare(expr: &Expr, place: Place) -> String {
    match &expr.kind {
        ExprKind::Bool(value) => value.to_string(),
        ExprKind::Number(value) => number(*value),
        ExprKind::Text(text) => quote(text),
        ExprKind::Date(date) => date.to_string(),
        ExprKind::Set(items) => set(items),
        ExprKind::NumberSet(items) => number_set(items),
        ExprKind::Map(entries) => map(entries),
        ExprKind::Duration(duration) => duration.describe(),
        ExprKind::Amount { value, currency } => format!("{} {currency}", number(*value)),
        ExprKind::Index { map, key } => format!(
            "{}[{}]",
            render(map, Place::closed(Prec::Index)),
            render(key, Place::TOP)
        ),
        ExprKind::Call { name, args } => {
            let args: Vec<String> = args.iter().map(|a| render(a, Place::TOP)).collect();
            format!("{}({})", name.node, args.join(", "))
        }
        ExprKind::Aggregate {
            kind,
            source,
            value,
        } => {
            let source = match source {
                AggregateSource::Bindings(bindings) => {
                    let bindings: Vec<String> = bindings.iter().map(binding).collect();
                    bindings.join(", ")
                }
                AggregateSource::Collection(collection) => path(&collection.node),
            };
            let value = value
                .as_ref()
                .map(|v| format!(": {}", render(v, Place::TOP)))
                .unwrap_or_default();
            format!("{}({source}{value})", kind.keyword())
        }
        ExprKind::Within {
            subject,
            window,
            anchor,
        } => format!(
            "{} within {} of {}",
            render(subject, Place::closed(Prec::Compare)),
            window.describe(),
            render(anchor, Place::closed(Prec::Sum))
        ),
        ExprKind::Path(parts) => path(parts),
        ExprKind::Not(operand) => format!("not {}", render(operand, not_operand(place))),
        ExprKind::Binary(op, ..) => {
            let operands: Vec<String> = spine(expr, *op)
                .into_iter()
                .map(|(operand, place)| render(operand, place))
                .collect();
            operands.join(&format!(" {} ", op.symbol()))
        }
        ExprKind::Designated {
            subject,
            negated,
            programs,
            lists,
        } => {
            let mut out = test_head(subject, *negated);
            out.push_str("designated");
            if let Some(programs) = programs {
                out.push_str(" under ");
                out.push_str(&render(programs, Place::closed(Prec::Atom)));
            }
            if let Some(lists) = lists {
                out.push_str(" on ");
                out.push_str(&render(lists, Place::closed(Prec::Atom)));
            }
            out
        }
        ExprKind::Blocked { subject, negated } => test_head(subject, *negated) + "blocked",
        ExprKind::PossiblyListed {
            subject,
            programs,
            lists,
        } => {
            let mut out = test_head(subject, false);
            out.push_str("possibly listed");
            filters(&mut out, programs.as_deref(), lists.as_deref());
            out
        }
        ExprKind::Presence { subject, present } => {
            let word = if *present { "present" } else { "missing" };
            format!("{} is {word}", render(subject, Place::closed(Prec::Test)))
        }
        ExprKind::Quantifier {
            kind,
            bindings,
            body,
        } => {
            let head = quantifier_head(*kind, bindings);
            format!("{head} {}", render(body, body_place(place)))
        }
    }
}

/// ` under PROGRAMS` and ` on LISTS`, after `possibly listed`.
fn filters(out: &mut String, programs: Option<&Expr>, lists: Option<&Expr>) {
    if let Some(programs) = programs {
        out.push_str(" under ");
        out.push_str(&render(programs, Place::closed(Prec::Atom)));
    }
    if let Some(lists) = lists {
        out.push_str(" on ");
        out.push_str(&render(lists, Place::closed(Prec::Atom)));
    }
}

/// `subject is ` or `subject is not `, before `designated` or `blocked`.
fn test_head(subject: &Expr, negated: bool) -> String {
    let not = if negated { "not " } else { "" };
    format!("{} is {not}", render(subject, Place::closed(Prec::Test)))
}

/// `not`'s operand binds at least as tightly as `not`; a bare quantifier stays allowed only if
/// it was allowed for the `not` itself.
fn not_operand(place: Place) -> Place {
    Place {
        min: Prec::Not,
        open: place.open,
    }
}

/// A quantifier's body extends to the end, so it is bare exactly when the quantifier is.
fn body_place(place: Place) -> Place {
    Place {
        min: Prec::Any,
        open: place.open,
    }
}

/// The operands of a left-associative chain `a op b op c`, with where each is printed.
///
/// Walks the left spine in a loop rather than recursing, so that a condition of thousands of
/// `and`s (the nesting limit does not count them) cannot exhaust the stack.
fn spine(expr: &Expr, op: BinaryOp) -> Vec<(&Expr, Place)> {
    let level = operator_precedence(op);
    let right = Place::closed(level.tighter());
    let mut rights = Vec::new();
    let mut current = expr;
    while let ExprKind::Binary(inner, lhs, rhs) = &current.kind {
        if *inner != op {
            break;
        }
        rights.push(rhs.as_ref());
        current = lhs;
    }
    let mut operands = vec![(current, Place::closed(level))];
    operands.extend(rights.into_iter().rev().map(|rhs| (rhs, right)));
    operands
}

/// `some p in transaction.parties, o in p.owners up to 2 levels where p.role == "x":`.
fn quantifier_head(kind: QuantifierKind, bindings: &[Binding]) -> String {
    let keyword = match kind {
        QuantifierKind::Some => "some",
        QuantifierKind::All => "all",
        QuantifierKind::No => "no",
    };
    let bindings: Vec<String> = bindings.iter().map(binding).collect();
    format!("{keyword} {}:", bindings.join(", "))
}

fn binding(binding: &Binding) -> String {
    let mut depth = match binding.depth.as_ref().map(|d| d.node) {
        Some(1) => String::from(" up to 1 level"),
        Some(n) => format!(" up to {n} levels"),
        None => String::new(),
    };
    if let Some(window) = &binding.window {
        depth.push_str(&format!(" within {}", window.node.describe()));
    }
    let filter = binding
        .filter
        .as_ref()
        .map(|f| format!(" where {}", render(f, Place::TOP)))
        .unwrap_or_default();
    format!(
        "{} in {}{depth}{filter}",
        binding.var.node,
        path(&binding.collection.node)
    )
}

fn layout(expr: &Expr, place: Place, lead: &str, hang: usize) -> Vec<String> {
    let one_line = render(expr, place);
    if fits(lead, &one_line) {
        return vec![format!("{lead}{one_line}")];
    }
    if needs_parens(expr, place) {
        let mut out = layout_bare(expr, Place::TOP, &format!("{lead}("), hang + 1);
        if let Some(last) = out.last_mut() {
            last.push(')');
        }
        return out;
    }
    layout_bare(expr, place, lead, hang)
}

/// Breaks what can be broken: a quantifier after its `:`, an `and`/`or` chain before each
/// operator, a `not` inside its operand. Anything else stays on one line, however long.
fn layout_bare(expr: &Expr, place: Place, lead: &str, hang: usize) -> Vec<String> {
    match &expr.kind {
        ExprKind::Quantifier {
            kind,
            bindings,
            body,
        } => {
            let head = quantifier_head(*kind, bindings);
            let column = indentation(lead) + 2;
            let mut out = vec![format!("{lead}{head}")];
            out.extend(layout(body, body_place(place), &" ".repeat(column), column));
            out
        }
        ExprKind::Binary(op @ (BinaryOp::Or | BinaryOp::And), ..) => chain(expr, *op, lead, hang),
        ExprKind::Not(operand) => layout(operand, not_operand(place), &format!("{lead}not "), hang),
        _ => vec![format!("{lead}{}", render_bare(expr, place))],
    }
}

/// `a or b or c` as one operand per line, each after the first opening with its operator at
/// column `hang`; an operand that still does not fit breaks two columns further in.
fn chain(expr: &Expr, op: BinaryOp, lead: &str, hang: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (index, (operand, place)) in spine(expr, op).into_iter().enumerate() {
        let operand_lead = if index == 0 {
            lead.to_owned()
        } else {
            format!("{}{} ", " ".repeat(hang), op.symbol())
        };
        out.extend(layout(operand, place, &operand_lead, hang + 2));
    }
    out
}

/// Whether `text` after `lead` stays within [`WIDTH`] characters.
pub(super) fn fits(lead: &str, text: &str) -> bool {
    lead.chars().count() + text.chars().count() <= WIDTH
}

/// The number of spaces `line` starts with.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A number that parses back to the same `f64`: Rust's `Display` gives the shortest such digits
/// and never an exponent (which the grammar lacks), and prints integers without `.0`.
pub(super) fn number(value: f64) -> String {
    if value.is_infinite() {
        // Only a literal beyond `f64::MAX` parses to infinity; write one that does so again.
        let sign = if value < 0.0 { "-" } else { "" };
        return format!("{sign}1{}", "0".repeat(309));
    }
    value.to_string()
}

/// A string literal with `"`, `\` and line breaks escaped, the only escapes the grammar has.
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `{"a", "b"}`.
pub(super) fn set(items: &[Text]) -> String {
    format!("{{{}}}", quoted_list(items))
}

/// `{10000, 20000}`.
fn number_set(items: &[Spanned<f64>]) -> String {
    let items: Vec<String> = items.iter().map(|n| number(n.node)).collect();
    format!("{{{}}}", items.join(", "))
}

/// `{"USD": 10000, "EUR": 9000}`.
fn map(entries: &[(Text, Expr)]) -> String {
    let entries: Vec<String> = entries
        .iter()
        .map(|(key, value)| format!("{}: {}", quote(&key.node), render(value, Place::TOP)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// `"a", "b"`, as in sets and `cite`.
pub(super) fn quoted_list(items: &[Text]) -> String {
    let quoted: Vec<String> = items.iter().map(|t| quote(&t.node)).collect();
    quoted.join(", ")
}

/// `a, b`, as in `covers` and `tags`.
pub(super) fn name_list(names: &[Ident]) -> String {
    let names: Vec<&str> = names.iter().map(|n| n.node.as_str()).collect();
    names.join(", ")
}

fn path(parts: &[Ident]) -> String {
    let parts: Vec<&str> = parts.iter().map(|p| p.node.as_str()).collect();
    parts.join(".")
}
