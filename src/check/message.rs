//! Rule messages: `"{p.name} is owned {o.via.percent} % by {o.name}"` split into text and values.

use super::Type;
use super::expr::{Scope, lower};
use crate::ast::{self, ExprKind, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::MessagePart;
use crate::source::Span;

/// Splits a message into literal text and checked value paths. `{{` and `}}` print braces.
pub(super) fn lower_message(
    text: &Spanned<String>,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<MessagePart>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.node.char_indices().peekable();
    let mut ok = true;
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, n)| *n) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|(_, n)| *n) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let inner: String = chars
                    .by_ref()
                    .map(|(_, c)| c)
                    .take_while(|c| *c != '}')
                    .collect();
                let span = inner_span(text.span, at, inner.len());
                if !literal.is_empty() {
                    parts.push(MessagePart::Literal(std::mem::take(&mut literal)));
                }
                match lower_placeholder(inner.trim(), span, scope, out) {
                    Some(value) => parts.push(MessagePart::Value(value)),
                    None => ok = false,
                }
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(MessagePart::Literal(literal));
    }
    ok.then_some(parts)
}

/// The span of `{...}` inside the string literal (the opening quote is one byte).
fn inner_span(string: Span, at: usize, len: usize) -> Span {
    let start = string.start as usize + 1 + at;
    Span::new(
        string.source,
        start,
        (start + len + 2).min(string.end as usize),
    )
}

fn lower_placeholder(
    path: &str,
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<crate::plan::Expr> {
    let segments: Vec<&str> = path.split('.').collect();
    let valid = segments
        .iter()
        .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let Some(head) = segments.first().filter(|_| valid) else {
        out.push(
            Diagnostic::error(
                Code::BadMessage,
                span,
                format!("`{{{path}}}` is not a name to print"),
            )
            .with_help("write a name such as `{p.name}`, or `{{` for a literal brace"),
        );
        return None;
    };
    if scope.declares(head) && scope.witness(head).is_none() {
        out.push(
            Diagnostic::error(
                Code::BadMessage,
                span,
                format!("`{head}` has no single value when the rule fires"),
            )
            .with_help(
                "a message can print variables bound by `some`, outside `not`, `all`, `no` and either side of `or`",
            ),
        );
        return None;
    }
    let idents = segments
        .iter()
        .map(|s| Spanned {
            node: (*s).to_owned(),
            span,
        })
        .collect();
    let expr = ast::Expr {
        kind: ExprKind::Path(idents),
        span,
    };
    let mut message_scope = scope.for_message();
    let (lowered, _ty): (_, Type) = lower(&expr, &mut message_scope, out)?;
    Some(lowered)
}
