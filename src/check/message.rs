//! Rule messages: `"{p.name} is owned {o.via.percent} % by {o.name}"` split into text and values.

use super::Type;
use super::expr::{Scope, lower};
use crate::ast::{self, ExprKind, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::MessagePart;
use crate::source::Span;

/// Splits a message into literal text and checked values: names such as `{p.name}` or any
/// expression such as `{count(p.owners)}`. `{{` and `}}` print braces. Also returns how many
/// variable slots the message's own expressions need.
pub(super) fn lower_message(
    text: &Spanned<String>,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Vec<MessagePart>, usize)> {
    let mut message_scope = scope.for_message();
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
                let placeholder = Placeholder {
                    text: inner.trim(),
                    span,
                    offset: inner_offset(text.span, at) + (inner.len() - inner.trim_start().len()),
                };
                match lower_placeholder(&placeholder, scope, &mut message_scope, out) {
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
    ok.then_some((parts, message_scope.slot_count()))
}

/// One `{...}` of a message.
struct Placeholder<'t> {
    /// What is between the braces, trimmed.
    text: &'t str,
    /// The braces and what is between them.
    span: Span,
    /// Where `text` starts in the source.
    offset: usize,
}

/// Where the text after `{` at `at` starts in the source (the opening quote is one byte).
fn inner_offset(string: Span, at: usize) -> usize {
    string.start as usize + 1 + at + 1
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
    placeholder: &Placeholder<'_>,
    scope: &Scope<'_>,
    message_scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<crate::plan::Expr> {
    let (path, span) = (placeholder.text, placeholder.span);
    let segments: Vec<&str> = path.split('.').collect();
    let valid = segments
        .iter()
        .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let Some(head) = segments.first().filter(|_| valid) else {
        return lower_expression(placeholder, message_scope, out);
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
    let (lowered, _ty): (_, Type) = lower(&expr, message_scope, out)?;
    Some(lowered)
}

/// A placeholder that is an expression rather than a name: `{count(p.owners)}`.
fn lower_expression(
    placeholder: &Placeholder<'_>,
    message_scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<crate::plan::Expr> {
    let source = placeholder.span.source;
    let expr = match crate::syntax::parse_expression(source, placeholder.text, placeholder.offset) {
        Ok(expr) => expr,
        Err(error) => {
            out.push(
                Diagnostic::error(
                    Code::BadMessage,
                    placeholder.span,
                    format!("`{{{}}}` is not a name or expression to print", placeholder.text),
                )
                .with_help(format!(
                    "write a name such as `{{p.name}}`, an expression such as `{{count(p.owners)}}`, or `{{{{` for a literal brace ({})",
                    error.message
                )),
            );
            return None;
        }
    };
    let (lowered, ty) = lower(&expr, message_scope, out)?;
    if ty == Type::Bool {
        out.push(
            Diagnostic::error(
                Code::BadMessage,
                placeholder.span,
                "a message prints values, not conditions",
            )
            .with_help("print the facts the condition reads, such as `{p.country}`"),
        );
        return None;
    }
    Some(lowered)
}
