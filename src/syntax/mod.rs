//! Text to syntax tree: the pest grammar in `grammar/policy.pest`, lowered into [`crate::ast`].
//!
//! Expressions are lowered with a Pratt parser so that precedence lives in one table here rather
//! than in a ladder of grammar rules.

use std::sync::LazyLock;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use crate::ast::{
    AggregateKind, AggregateSource, AttributeDecl, BinaryOp, Binding, Clause, DateUnit, Duration,
    Effect, Expr, ExprKind, Ident, IndicatorDecl, Item, JurisdictionDecl, JurisdictionSetting,
    LetDecl, PolicyFile, PolicyHeader, PredicateDecl, QuantifierKind, RuleDecl, Spanned, Text,
};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceId, Span};

mod grammar {
    #![allow(missing_docs)]
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/policy.pest"]
    pub struct PolicyParser;
}

use grammar::{PolicyParser, Rule};

/// Operator precedence, loosest first: `or`, `and`, `not`, comparisons, `+ -`, `* /`, then
/// `is ...` tests and map lookups.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        .op(Op::infix(Rule::eq_op, Assoc::Left)
            | Op::infix(Rule::ne_op, Assoc::Left)
            | Op::infix(Rule::lt_op, Assoc::Left)
            | Op::infix(Rule::le_op, Assoc::Left)
            | Op::infix(Rule::gt_op, Assoc::Left)
            | Op::infix(Rule::ge_op, Assoc::Left)
            | Op::infix(Rule::in_op, Assoc::Left)
            | Op::infix(Rule::not_in_op, Assoc::Left)
            | Op::infix(Rule::contains_op, Assoc::Left)
            | Op::infix(Rule::starts_with_op, Assoc::Left)
            | Op::infix(Rule::ends_with_op, Assoc::Left)
            | Op::infix(Rule::matches_op, Assoc::Left)
            | Op::infix(Rule::within_op, Assoc::Left))
        .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
        .op(Op::infix(Rule::mul_op, Assoc::Left) | Op::infix(Rule::div_op, Assoc::Left))
        .op(Op::postfix(Rule::designated_test)
            | Op::postfix(Rule::blocked_test)
            | Op::postfix(Rule::possibly_test)
            | Op::postfix(Rule::presence_test))
        .op(Op::postfix(Rule::index))
});

/// How deeply a rule may nest parentheses, sets, `not` and quantifiers. Real rules use a handful;
/// the bound keeps the recursive parser, checker and evaluator far from the end of the stack.
pub const MAX_NESTING: usize = 100;

/// How many operators one rule may hold: `and`, `or`, comparisons, `in`, `contains`, `starts
/// with`, `ends with` and `is` tests. Each can add a level to the (left-deep) tree that the
/// checker, lowering, formatter, evaluator, `clone` and `drop` recurse over, so together with
/// [`MAX_NESTING`] this is the one bound on the depth of every recursive path: no tree deeper than
/// `MAX_NESTING + MAX_OPERATORS` is ever built. That depth is checked, formatted, decided, cloned
/// and dropped on a 2 MiB thread stack in a debug build (the regression test
/// `a_rule_at_the_depth_limit_is_checked_formatted_decided_cloned_and_dropped`); real rules use a
/// few dozen operators, and long alternatives belong in a set (`p.country in embargoed`).
pub const MAX_OPERATORS: usize = 150;

/// Parses one policy file into its syntax tree, or reports the first syntax error.
pub fn parse(source: SourceId, text: &str) -> Result<PolicyFile, Diagnostic> {
    check_nesting(source, text)?;
    #[cfg(feature = "parallel")]
    if let Some(file) = parallel::parse(source, text) {
        return Ok(file);
    }
    parse_whole(source, text)
}

/// Parses and lowers a whole file on one core.
fn parse_whole(source: SourceId, text: &str) -> Result<PolicyFile, Diagnostic> {
    let mut pairs =
        PolicyParser::parse(Rule::file, text).map_err(|e| syntax_error(source, text, e))?;
    let lower = Lower { source, offset: 0 };
    let file = pairs.next().ok_or_else(|| {
        Diagnostic::error(Code::Syntax, Span::new(source, 0, 0), "empty policy file")
    })?;
    lower.file(file)
}

/// A large file parsed in parts on every core: checking 100,000 rules spent two thirds of its time
/// in the parser, on one core.
#[cfg(feature = "parallel")]
mod parallel {
    use pest::Parser as _;
    use rayon::iter::{IntoParallelIterator, ParallelIterator};

    use super::{Lower, PolicyParser, Rule};
    use crate::ast::PolicyFile;
    use crate::source::SourceId;

    /// Files smaller than this are parsed whole: the parts would cost more than they save.
    const SMALLEST: usize = 1 << 20;

    /// About how large a part is. Parts outnumber the cores, so that a core that finishes early
    /// takes another, and each part's pest tokens (a dozen times its text) are freed once it is
    /// lowered rather than all held at once.
    const PART: usize = 256 << 10;

    /// The file parsed in parts, or `None` when it is small or any part fails to parse or lower;
    /// the caller then parses the file whole, so a problem is reported exactly as it always is.
    ///
    /// Parts start where a line starts with `rule` and a space or tab. A string or comment never
    /// spans a line break, and no clause or operator starts with `rule`, so in a valid file each
    /// such place starts a declaration, and every part parses to the declarations the whole file
    /// holds there.
    pub(super) fn parse(source: SourceId, text: &str) -> Option<PolicyFile> {
        if text.len() < SMALLEST {
            return None;
        }
        in_parts(
            source,
            text,
            (text.len() / PART).max(rayon::current_num_threads()),
        )
    }

    /// The file parsed in (at most) `count` parts.
    fn in_parts(source: SourceId, text: &str, count: usize) -> Option<PolicyFile> {
        let starts = part_starts(text, count);
        if starts.len() < 2 {
            return None;
        }
        let parts: Vec<(usize, &str)> = starts
            .iter()
            .zip(starts.iter().skip(1).chain([&text.len()]))
            .map(|(&start, &end)| Some((start, text.get(start..end)?)))
            .collect::<Option<_>>()?;
        let lowered: Vec<Option<Lowered>> = parts
            .into_par_iter()
            .map(|(offset, part)| lower_part(source, offset, part))
            .collect();
        let mut lowered = lowered.into_iter();
        let Some(Some(Lowered::File(mut file))) = lowered.next() else {
            return None;
        };
        for part in lowered {
            let Some(Lowered::Items(items)) = part else {
                return None;
            };
            file.items.extend(items);
        }
        Some(file)
    }

    /// A part, lowered: the first holds the header.
    enum Lowered {
        File(PolicyFile),
        Items(Vec<crate::ast::Item>),
    }

    /// Parses and lowers the part of the file that starts at byte `offset`.
    fn lower_part(source: SourceId, offset: usize, part: &str) -> Option<Lowered> {
        let lower = Lower { source, offset };
        if offset == 0 {
            let file = PolicyParser::parse(Rule::file, part).ok()?.next()?;
            return lower.file(file).ok().map(Lowered::File);
        }
        let items = PolicyParser::parse(Rule::declarations, part).ok()?.next()?;
        lower.items(items).ok().map(Lowered::Items)
    }

    /// Where each part starts: 0, then the first `rule` at the start of a line after each
    /// `count`-th of the text.
    fn part_starts(text: &str, count: usize) -> Vec<usize> {
        let mut starts = vec![0];
        for n in 1..count {
            let from = text.len() / count * n;
            let Some(&last) = starts.last() else { break };
            let Some(found) = text.get(from.max(last)..).and_then(rule_at_line_start) else {
                break;
            };
            let start = from.max(last) + found;
            if start > last {
                starts.push(start);
            }
        }
        starts
    }

    /// The offset of the first `rule` that starts a line (after a line break) in `text`.
    fn rule_at_line_start(text: &str) -> Option<usize> {
        let mut from = 0;
        while let Some(at) = text.get(from..)?.find("\nrule") {
            let start = from + at + 1;
            if matches!(text.as_bytes().get(start + 4), Some(b' ' | b'\t')) {
                return Some(start);
            }
            from = start;
        }
        None
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Rules of several shapes, with `rule` inside strings, comments and names, and
        /// declarations other than rules between them.
        fn policy(rules: usize) -> String {
            let mut text = String::from(
                "policy p \"P\" { jurisdiction US  cite \"31 CFR 510.201\" }\nlet kp = {\"KP\"}\n",
            );
            for n in 0..rules {
                text.push_str(&format!(
                    "// rule {n} follows\nrule r{n}: block\n  title \"rule {n}\"\n  when some p in transaction.parties:\n    p.country in kp and p.name == \"rule x\"\n  because \"{{p.name}} rule\"\n\nlet rules{n} = {n}\n"
                ));
            }
            text
        }

        #[test]
        fn a_file_parsed_in_parts_is_the_file_parsed_whole() {
            let text = policy(40);
            let whole = super::super::parse_whole(0, &text).unwrap();
            for count in [2, 3, 7] {
                let parts = part_starts(&text, count);
                assert_eq!(parts.len(), count, "{parts:?}");
                let file = in_parts(0, &text, count).unwrap();
                assert_eq!(file, whole);
                // Positions too point into the whole file.
                assert_eq!(format!("{file:?}"), format!("{whole:?}"));
            }
        }

        #[test]
        fn a_file_with_an_error_in_any_part_is_left_to_the_whole_parse() {
            let text = policy(40).replace("rule r30: block", "rule r30: blok");
            assert!(super::super::parse_whole(0, &text).is_err());
            assert!(in_parts(0, &text, 4).is_none());
        }
    }
}

/// Parses an expression written inside a message, such as `count(p.owners)` in
/// `"{count(p.owners)} owners"`; `offset` is where `text` starts in the source. The text is
/// parsed behind as many spaces, so that every span points into the message.
pub fn parse_expression(source: SourceId, text: &str, offset: usize) -> Result<Expr, Diagnostic> {
    let padded = format!("{}{text}", " ".repeat(offset));
    check_nesting(source, &padded)?;
    let mut pairs = PolicyParser::parse(Rule::expression_only, &padded)
        .map_err(|e| syntax_error(source, &padded, e))?;
    let expr = pairs
        .next()
        .and_then(|p| p.into_inner().find(|p| p.as_rule() == Rule::expr))
        .ok_or_else(|| grammar_mismatch(Span::new(source, offset, offset + text.len())))?;
    Lower { source, offset: 0 }.expr(expr)
}

/// Rejects text that nests deeper than [`MAX_NESTING`] before the recursive stages see it.
///
/// Counts open brackets (of groups, sets and map lookups) plus the `not`, `some`, `all` and `no`
/// keywords since the last `rule` or `let`: each of those opens a level that lasts to the end of
/// its operand. This is the parser's only depth bound: pest is built without its `std` feature,
/// whose stack probe on every grammar rule cost a seventh of the parse. Operators are counted
/// apart ([`MAX_OPERATORS`]): a chain of `== true` or `is present` deepens the tree as surely as
/// parentheses do. The count is lexical, before pest or the Pratt parser build anything.
fn check_nesting(source: SourceId, text: &str) -> Result<(), Diagnostic> {
    let mut brackets = 0usize;
    let mut openers = 0usize;
    let mut operators = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' if !skip_string(&mut chars) => return Err(unclosed_string(source, at)),
            '"' => {}
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                chars.by_ref().find(|(_, c)| *c == '\n');
            }
            '(' | '{' | '[' => brackets += 1,
            ')' | '}' | ']' => brackets = brackets.saturating_sub(1),
            '<' | '>' => operators += 1,
            '=' | '!' if chars.peek().is_some_and(|(_, n)| *n == '=') => {
                chars.next();
                operators += 1;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = word_end(&mut chars, at + 1);
                match text.get(at..end).unwrap_or_default() {
                    "not" | "some" | "all" | "no" => openers += 1,
                    "and" | "or" | "in" | "contains" | "starts" | "ends" | "is" => operators += 1,
                    "rule" | "let" => (openers, operators) = (0, 0),
                    _ => {}
                }
            }
            _ => {}
        }
        if operators > MAX_OPERATORS {
            let message = format!(
                "this rule chains more than {MAX_OPERATORS} operators (`and`, `or`, comparisons, \
                 `in`, `contains`, `is` tests)"
            );
            return Err(
                Diagnostic::error(Code::TooDeep, Span::new(source, at, at + 1), message)
                    .with_help("split the condition into several rules, or use a set and `in`"),
            );
        }
        if brackets + openers > MAX_NESTING {
            return Err(Diagnostic::error(Code::TooDeep, Span::new(source, at, at + 1), format!("this rule nests more than {MAX_NESTING} levels deep"))
                .with_help("split the condition into several rules or constants; parentheses, `not` and quantifiers each add a level"));
        }
    }
    Ok(())
}

/// Moves past a string literal; whether it is closed on the line it opens.
fn skip_string(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> bool {
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return true,
            '\n' => return false,
            _ => {}
        }
    }
    false
}

/// A string whose closing quote is missing: the parser would stumble much later, so the error
/// points at the quote that opens it.
fn unclosed_string(source: SourceId, at: usize) -> Diagnostic {
    Diagnostic::error(
        Code::Syntax,
        Span::new(source, at, at + 1),
        "syntax error: this string is not closed on its line",
    )
    .with_label("the string opens here")
    .with_help("end it with `\"` before the line ends; write `\\\"` for a quote inside it")
}

/// Consumes the rest of a word and returns the byte offset just past it.
fn word_end(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, mut end: usize) -> usize {
    while let Some((at, c)) = chars.peek().copied() {
        if !(c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        end = at + c.len_utf8();
        chars.next();
    }
    end
}

/// Turns a pest error into a diagnostic whose words an analyst understands.
fn syntax_error(source: SourceId, text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match error.location {
        InputLocation::Pos(pos) => (pos, pos + 1),
        InputLocation::Span((start, end)) => (start, end.max(start + 1)),
    };
    if let Some(at) = single_equals(text, start) {
        return Diagnostic::error(
            Code::Syntax,
            Span::new(source, at, at + 1),
            "syntax error: `=` is not a comparison; did you mean `==`?",
        )
        .with_label("write `==` to compare")
        .with_help("`=` only names a constant, in `let name = value`");
    }
    let message = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let starts_expression = positives.iter().any(|r| EXPRESSION_STARTS.contains(r));
            let mut expected: Vec<&str> = positives
                .iter()
                .filter(|r| !(starts_expression && EXPRESSION_STARTS.contains(r)))
                .map(|r| describe(*r))
                .collect();
            if starts_expression {
                expected.push("an expression");
            }
            expected.sort_unstable();
            expected.dedup();
            format!("expected {}", join_alternatives(&expected))
        }
        ErrorVariant::ParsingError { .. } => String::from("unexpected text"),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::error(
        Code::Syntax,
        Span::new(source, start, end),
        format!("syntax error: {message}"),
    )
    .with_label("here")
}

/// Where a lone `=` stands at `at` (after any spaces): the mistake of writing `=` for `==`.
fn single_equals(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let offset = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start();
    let preceded = text
        .get(..at + offset)
        .and_then(|before| before.trim_end().chars().last());
    (rest.starts_with('=')
        && !rest.starts_with("==")
        && !matches!(preceded, Some('=' | '!' | '<' | '>')))
    .then_some(at + offset)
}

/// Rules that can open an expression; listing each of them would bury the point.
const EXPRESSION_STARTS: [Rule; 17] = [
    Rule::expr,
    Rule::aggregate,
    Rule::call,
    Rule::map,
    Rule::number_set,
    Rule::duration,
    Rule::amount,
    Rule::aggregate_kind,
    Rule::quantifier_kind,
    Rule::boolean,
    Rule::date,
    Rule::ident,
    Rule::number,
    Rule::set,
    Rule::string,
    Rule::not_op,
    Rule::path,
];

/// "a, b or c".
fn join_alternatives(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The user-facing name of a grammar rule.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::policy_header => "a `policy` header",
        Rule::let_decl => "`let`",
        Rule::rule_decl => "`rule`",
        Rule::effect => "an effect (`block`, `review` or `allow`)",
        Rule::title_clause => "`title`",
        Rule::covers_clause => "`covers`",
        Rule::when_clause => "`when`",
        Rule::because_clause => "`because`",
        Rule::cite_clause => "`cite`",
        Rule::tags_clause => "`tags`",
        Rule::valid_clause => "`valid`",
        Rule::jurisdiction_field => "`jurisdiction`",
        Rule::version_field => "`version`",
        Rule::expr | Rule::quantifier | Rule::path | Rule::not_op => "an expression",
        Rule::or_op | Rule::and_op => "`and` or `or`",
        Rule::eq_op
        | Rule::ne_op
        | Rule::le_op
        | Rule::ge_op
        | Rule::lt_op
        | Rule::gt_op
        | Rule::in_op
        | Rule::not_in_op
        | Rule::contains_op
        | Rule::starts_with_op
        | Rule::ends_with_op
        | Rule::matches_op
        | Rule::within_op
        | Rule::add_op
        | Rule::sub_op
        | Rule::mul_op
        | Rule::div_op => "an operator",
        Rule::index => "`[`",
        Rule::attribute_decl | Rule::k_attribute => "`attribute`",
        Rule::predicate_decl | Rule::k_predicate => "`predicate`",
        Rule::indicator_decl | Rule::k_indicator => "`indicator`",
        Rule::aggregate | Rule::aggregate_kind => "`count`, `sum`, `min` or `max`",
        Rule::call => "a call such as `lower(p.name)`",
        Rule::map | Rule::map_entry => "a map such as `{\"USD\": 10000}`",
        Rule::number_set => "a set",
        Rule::duration | Rule::window => "a period such as `30 days`",
        Rule::amount => "an amount such as `10000 USD`",
        Rule::k_within => "`within`",
        Rule::k_of => "`of`",
        Rule::designated_test | Rule::presence_test | Rule::blocked_test | Rule::possibly_test => {
            "an `is` test"
        }
        Rule::k_possibly | Rule::k_listed => "`possibly listed`",
        Rule::jurisdiction_decl => "`jurisdiction`",
        Rule::lists_setting
        | Rule::ownership_setting
        | Rule::control_setting
        | Rule::embargo_setting
        | Rule::control_criteria_setting
        | Rule::minority_setting
        | Rule::joint_arrangements_setting => {
            "a jurisdiction setting (`lists`, `ownership`, `control`, `control criteria`, `significant minority`, `joint arrangements`, `embargo`)"
        }
        Rule::threshold_comparison => "`at least` or `more than`",
        Rule::aggregation => "`aggregated` or `per person`",
        Rule::control_effect => "`blocks` or `review`",
        Rule::k_blocked => "`blocked`",
        Rule::under_clause => "`under`",
        Rule::on_list_clause => "`on`",
        Rule::quantifier_kind => "`some`, `all` or `no`",
        Rule::binding => "a binding such as `p in transaction.parties`",
        Rule::depth_bound => "`up to N levels`",
        Rule::where_clause => "`where`",
        Rule::set => "a set",
        Rule::date => "a date",
        Rule::number | Rule::integer => "a number",
        Rule::boolean => "`true` or `false`",
        Rule::string | Rule::string_inner => "a string",
        Rule::ident | Rule::field => "a name",
        Rule::k_is => "`is`",
        Rule::k_in => "`in`",
        Rule::k_where => "`where`",
        Rule::k_up | Rule::k_to => "`up to N levels`",
        Rule::k_under => "`under`",
        Rule::k_on => "`on`",
        Rule::k_designated => "`designated`",
        Rule::k_levels => "`levels`",
        Rule::negation => "`not`",
        Rule::present_kw | Rule::missing_kw => "`present` or `missing`",
        _ => "something else",
    }
}

/// Lowers pest pairs of one source into AST nodes.
struct Lower {
    source: SourceId,
    /// Where in the source the parsed text starts (a part of a large file starts after 0).
    offset: usize,
}

/// The result of lowering: a node or the diagnostic explaining why not.
type Lowered<T> = Result<T, Diagnostic>;

impl Lower {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(
            self.source,
            span.start() + self.offset,
            span.end() + self.offset,
        )
    }

    fn file(&self, file: Pair<'_, Rule>) -> Lowered<PolicyFile> {
        let mut header = None;
        let mut items = Vec::new();
        for pair in file.into_inner() {
            match pair.as_rule() {
                Rule::policy_header => header = Some(self.header(pair)?),
                _ => items.extend(self.item(pair)?),
            }
        }
        let header = header.ok_or_else(|| {
            Diagnostic::error(
                Code::Syntax,
                Span::new(self.source, 0, 0),
                "a policy file must open with `policy`",
            )
        })?;
        Ok(PolicyFile {
            source: self.source,
            header,
            items,
        })
    }

    /// The declarations of a part of a file after its header.
    #[cfg(feature = "parallel")]
    fn items(&self, part: Pair<'_, Rule>) -> Lowered<Vec<Item>> {
        let mut items = Vec::new();
        for pair in part.into_inner() {
            items.extend(self.item(pair)?);
        }
        Ok(items)
    }

    /// One declaration; `None` for the end of the input.
    fn item(&self, pair: Pair<'_, Rule>) -> Lowered<Option<Item>> {
        Ok(Some(match pair.as_rule() {
            Rule::let_decl => Item::Let(self.let_decl(pair)?),
            Rule::rule_decl => Item::Rule(self.rule(pair)?),
            Rule::jurisdiction_decl => Item::Jurisdiction(self.jurisdiction(pair)?),
            Rule::attribute_decl => Item::Attribute(self.attribute(pair)?),
            Rule::predicate_decl => Item::Predicate(self.predicate(pair)?),
            Rule::indicator_decl => Item::Indicator(self.indicator(pair)?),
            _ => return Ok(None),
        }))
    }

    fn header(&self, pair: Pair<'_, Rule>) -> Lowered<PolicyHeader> {
        let mut header = PolicyHeader {
            id: Spanned {
                node: String::new(),
                span: self.span(&pair),
            },
            title: None,
            jurisdictions: Vec::new(),
            versions: Vec::new(),
            citations: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => header.id = self.ident(&part),
                Rule::string => header.title = Some(self.text(part)?),
                Rule::jurisdiction_field => header.jurisdictions.extend(self.idents(part)),
                Rule::version_field => header.versions.extend(self.texts(part)?),
                Rule::cite_clause => header.citations.extend(self.texts(part)?),
                _ => {}
            }
        }
        Ok(header)
    }

    fn jurisdiction(&self, pair: Pair<'_, Rule>) -> Lowered<JurisdictionDecl> {
        let span = self.span(&pair);
        let mut code = None;
        let mut title = None;
        let mut settings = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => code = Some(self.ident(&part)),
                Rule::string => title = Some(self.text(part)?),
                Rule::lists_setting => settings.push(JurisdictionSetting::Lists(self.texts(part)?)),
                Rule::ownership_setting => settings.push(self.ownership_setting(part)?),
                Rule::embargo_setting => {
                    settings.push(JurisdictionSetting::Embargo(self.texts(part)?));
                }
                Rule::cite_clause => settings.push(JurisdictionSetting::Cite(self.texts(part)?)),
                Rule::valid_clause => {
                    let span = self.span(&part);
                    if let Clause::Valid { from, until, span } = self.valid_clause(part, span)? {
                        settings.push(JurisdictionSetting::Valid { from, until, span });
                    }
                }
                Rule::control_criteria_setting => {
                    settings.push(JurisdictionSetting::ControlCriteria(
                        part.into_inner()
                            .filter(|p| p.as_rule() == Rule::ident)
                            .map(|p| self.ident(&p))
                            .collect(),
                    ))
                }
                Rule::minority_setting => settings.push(self.minority_setting(part)?),
                Rule::joint_arrangements_setting => {
                    settings.push(JurisdictionSetting::JointArrangements(self.span(&part)));
                }
                Rule::control_setting => {
                    let node = part.as_str().trim_end().ends_with("blocks");
                    settings.push(JurisdictionSetting::Control(Spanned {
                        node,
                        span: self.span(&part),
                    }));
                }
                _ => {}
            }
        }
        let code = code.ok_or_else(|| grammar_mismatch(span))?;
        Ok(JurisdictionDecl {
            code,
            title,
            settings,
        })
    }

    fn minority_setting(&self, pair: Pair<'_, Rule>) -> Lowered<JurisdictionSetting> {
        let span = self.span(&pair);
        let number = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::number)
            .ok_or_else(|| grammar_mismatch(span))?;
        let node = number.as_str().parse::<f64>().map_err(|_| {
            Diagnostic::error(Code::InvalidLiteral, self.span(&number), "not a number")
        })?;
        Ok(JurisdictionSetting::SignificantMinority(Spanned {
            node,
            span: self.span(&number),
        }))
    }

    fn ownership_setting(&self, pair: Pair<'_, Rule>) -> Lowered<JurisdictionSetting> {
        let span = self.span(&pair);
        let mut inclusive = true;
        let mut aggregate = true;
        let mut threshold = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::threshold_comparison => inclusive = part.as_str().starts_with("at"),
                Rule::aggregation => aggregate = part.as_str() == "aggregated",
                Rule::number => {
                    let node = part.as_str().parse::<f64>().map_err(|_| {
                        Diagnostic::error(Code::InvalidLiteral, self.span(&part), "not a number")
                    })?;
                    threshold = Some(Spanned {
                        node,
                        span: self.span(&part),
                    });
                }
                _ => {}
            }
        }
        let threshold = threshold.ok_or_else(|| grammar_mismatch(span))?;
        Ok(JurisdictionSetting::Ownership {
            inclusive,
            threshold,
            aggregate,
            span,
        })
    }

    fn attribute(&self, pair: Pair<'_, Rule>) -> Lowered<AttributeDecl> {
        let span = self.span(&pair);
        let mut names = pair.into_inner().filter(|p| p.as_rule() == Rule::ident);
        let (Some(name), Some(ty)) = (names.next(), names.next()) else {
            return Err(grammar_mismatch(span));
        };
        Ok(AttributeDecl {
            name: self.ident(&name),
            ty: self.ident(&ty),
        })
    }

    fn predicate(&self, pair: Pair<'_, Rule>) -> Lowered<PredicateDecl> {
        let span = self.span(&pair);
        let mut names = Vec::new();
        let mut body = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => names.push(self.ident(&part)),
                Rule::expr => body = Some(self.expr(part)?),
                _ => {}
            }
        }
        let body = body.ok_or_else(|| grammar_mismatch(span))?;
        let mut names = names.into_iter();
        let name = names.next().ok_or_else(|| grammar_mismatch(span))?;
        Ok(PredicateDecl {
            name,
            params: names.collect(),
            body,
        })
    }

    fn indicator(&self, pair: Pair<'_, Rule>) -> Lowered<IndicatorDecl> {
        let span = self.span(&pair);
        let mut inner = pair
            .into_inner()
            .filter(|p| p.as_rule() != Rule::k_indicator);
        let id = self.ident(&inner.next().ok_or_else(|| grammar_mismatch(span))?);
        let weight_pair = inner.next().ok_or_else(|| grammar_mismatch(span))?;
        let weight = Spanned {
            node: self.number(&weight_pair)?,
            span: self.span(&weight_pair),
        };
        let clauses = inner.map(|c| self.clause(c)).collect::<Lowered<_>>()?;
        Ok(IndicatorDecl {
            id,
            weight,
            clauses,
            span,
        })
    }

    fn number(&self, pair: &Pair<'_, Rule>) -> Lowered<f64> {
        pair.as_str().parse().map_err(|_| {
            Diagnostic::error(
                Code::InvalidLiteral,
                self.span(pair),
                format!("`{}` is not a number", pair.as_str()),
            )
        })
    }

    fn duration(&self, pair: &Pair<'_, Rule>) -> Lowered<Spanned<Duration>> {
        let span = self.span(pair);
        let mut words = pair.as_str().split_whitespace();
        let amount = words.next().and_then(|digits| digits.parse::<u32>().ok());
        let unit = match words.next().map(|w| w.trim_end_matches('s')) {
            Some("month") => DateUnit::Months,
            Some("year") => DateUnit::Years,
            _ => DateUnit::Days,
        };
        let amount = amount.ok_or_else(|| {
            Diagnostic::error(Code::InvalidLiteral, span, "this period is too long")
                .with_help("write a period of at most 4294967295 units")
        })?;
        Ok(Spanned {
            node: Duration { amount, unit },
            span,
        })
    }

    /// `10000 USD`: the figure, then the currency code.
    fn amount(&self, pair: &Pair<'_, Rule>) -> Lowered<ExprKind> {
        let mut words = pair.as_str().split_whitespace();
        let figure = words.next().unwrap_or_default();
        let value = figure.parse().map_err(|_| {
            Diagnostic::error(
                Code::InvalidLiteral,
                self.span(pair),
                format!("`{figure}` is not a number"),
            )
        })?;
        let currency = words.next().unwrap_or_default().to_owned();
        Ok(ExprKind::Amount { value, currency })
    }

    fn let_decl(&self, pair: Pair<'_, Rule>) -> Lowered<LetDecl> {
        let mut inner = pair.into_inner();
        let name = self.ident(&self.next(&mut inner)?);
        let value = self.primary(self.next(&mut inner)?)?;
        Ok(LetDecl { name, value })
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Lowered<RuleDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(&self.next(&mut inner)?);
        let effect_pair = self.next(&mut inner)?;
        let effect = Spanned {
            node: match effect_pair.as_str() {
                "block" => Effect::Block,
                "review" => Effect::Review,
                _ => Effect::Allow,
            },
            span: self.span(&effect_pair),
        };
        let clauses = inner.map(|c| self.clause(c)).collect::<Lowered<_>>()?;
        Ok(RuleDecl {
            id,
            effect,
            clauses,
            span,
        })
    }

    fn clause(&self, pair: Pair<'_, Rule>) -> Lowered<Clause> {
        let span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::title_clause => Clause::Title(self.single_text(pair)?),
            Rule::because_clause => Clause::Because(self.single_text(pair)?),
            Rule::covers_clause => Clause::Covers(self.idents(pair)),
            Rule::tags_clause => Clause::Tags(self.idents(pair)),
            Rule::cite_clause => Clause::Cite(self.texts(pair)?),
            Rule::when_clause => {
                let mut inner = pair.into_inner();
                Clause::When(self.expr(self.next(&mut inner)?)?)
            }
            _ => self.valid_clause(pair, span)?,
        })
    }

    fn valid_clause(&self, pair: Pair<'_, Rule>, span: Span) -> Lowered<Clause> {
        let mut from = None;
        let mut until = None;
        for bound in pair.into_inner() {
            let is_from = bound.as_rule() == Rule::valid_from;
            let mut inner = bound.into_inner();
            let date = Some(self.date(&self.next(&mut inner)?)?);
            if is_from {
                from = date;
            } else {
                until = date;
            }
        }
        Ok(Clause::Valid { from, until, span })
    }

    fn next<'i>(&self, pairs: &mut pest::iterators::Pairs<'i, Rule>) -> Lowered<Pair<'i, Rule>> {
        pairs
            .next()
            .ok_or_else(|| grammar_mismatch(Span::new(self.source, 0, 0)))
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Spanned {
            node: pair.as_str().to_owned(),
            span: self.span(pair),
        }
    }

    fn idents(&self, pair: Pair<'_, Rule>) -> Vec<Ident> {
        pair.into_inner().map(|p| self.ident(&p)).collect()
    }

    fn texts(&self, pair: Pair<'_, Rule>) -> Lowered<Vec<Text>> {
        pair.into_inner().map(|p| self.text(p)).collect()
    }

    fn single_text(&self, pair: Pair<'_, Rule>) -> Lowered<Text> {
        let mut inner = pair.into_inner();
        self.text(self.next(&mut inner)?)
    }

    /// A string literal with its escapes resolved.
    fn text(&self, pair: Pair<'_, Rule>) -> Lowered<Text> {
        let span = self.span(&pair);
        let raw = pair
            .into_inner()
            .next()
            .map(|p| p.as_str())
            .unwrap_or_default();
        let mut node = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n') => node.push('\n'),
                    Some(escaped) => node.push(escaped),
                    None => {}
                },
                (c, false) => node.push(c),
            }
        }
        Ok(Spanned { node, span })
    }

    fn date(&self, pair: &Pair<'_, Rule>) -> Lowered<Spanned<Date>> {
        let span = self.span(pair);
        let node = pair
            .as_str()
            .parse::<Date>()
            .map_err(|e| Diagnostic::error(Code::InvalidLiteral, span, e.to_string()))?;
        Ok(Spanned { node, span })
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        PRATT
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|op, operand| {
                let operand = operand?;
                Ok(Expr {
                    span: self.span(&op).to(operand.span),
                    kind: ExprKind::Not(Box::new(operand)),
                })
            })
            .map_postfix(|operand, op| self.postfix(operand?, op))
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let span = lhs.span.to(rhs.span);
                if op.as_rule() == Rule::within_op {
                    let duration = op
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::duration)
                        .ok_or_else(|| grammar_mismatch(span))?;
                    return Ok(Expr {
                        span,
                        kind: ExprKind::Within {
                            subject: Box::new(lhs),
                            window: self.duration(&duration)?.node,
                            anchor: Box::new(rhs),
                        },
                    });
                }
                Ok(Expr {
                    span,
                    kind: ExprKind::Binary(binary_op(op.as_rule()), Box::new(lhs), Box::new(rhs)),
                })
            })
            .parse(pair.into_inner())
    }

    fn postfix(&self, subject: Expr, op: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = subject.span.to(self.span(&op));
        let subject = Box::new(subject);
        let kind = match op.as_rule() {
            Rule::index => {
                let key = op
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::expr)
                    .ok_or_else(|| grammar_mismatch(span))?;
                ExprKind::Index {
                    map: subject,
                    key: Box::new(self.expr(key)?),
                }
            }
            Rule::presence_test => ExprKind::Presence {
                subject,
                present: op.into_inner().any(|p| p.as_rule() == Rule::present_kw),
            },
            Rule::blocked_test => ExprKind::Blocked {
                subject,
                negated: op.into_inner().any(|p| p.as_rule() == Rule::negation),
            },
            Rule::possibly_test => {
                let (mut programs, mut lists) = (None, None);
                for part in op.into_inner() {
                    match part.as_rule() {
                        Rule::under_clause => programs = Some(Box::new(self.inner_primary(part)?)),
                        Rule::on_list_clause => lists = Some(Box::new(self.inner_primary(part)?)),
                        _ => {}
                    }
                }
                ExprKind::PossiblyListed {
                    subject,
                    programs,
                    lists,
                }
            }
            _ => {
                let mut negated = false;
                let mut programs = None;
                let mut lists = None;
                for part in op.into_inner() {
                    match part.as_rule() {
                        Rule::negation => negated = true,
                        Rule::under_clause => programs = Some(Box::new(self.inner_primary(part)?)),
                        Rule::on_list_clause => lists = Some(Box::new(self.inner_primary(part)?)),
                        _ => {}
                    }
                }
                ExprKind::Designated {
                    subject,
                    negated,
                    programs,
                    lists,
                }
            }
        };
        Ok(Expr { kind, span })
    }

    /// The operand of `under ...` / `on ...`, after the keyword.
    fn inner_primary(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = self.span(&pair);
        let operand = pair
            .into_inner()
            .last()
            .ok_or_else(|| grammar_mismatch(span))?;
        self.primary(operand)
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.expr(pair),
            Rule::quantifier => return self.quantifier(pair),
            Rule::aggregate => return self.aggregate(pair),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.ident(&self.next(&mut inner)?);
                let args = inner.map(|a| self.expr(a)).collect::<Lowered<_>>()?;
                ExprKind::Call { name, args }
            }
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::number => ExprKind::Number(self.number(&pair)?),
            Rule::duration => ExprKind::Duration(self.duration(&pair)?.node),
            Rule::amount => self.amount(&pair)?,
            Rule::date => ExprKind::Date(self.date(&pair)?.node),
            Rule::string => ExprKind::Text(self.text(pair)?.node),
            Rule::set => ExprKind::Set(self.texts(pair)?),
            Rule::number_set => ExprKind::NumberSet(
                pair.into_inner()
                    .map(|n| {
                        Ok(Spanned {
                            node: self.number(&n)?,
                            span: self.span(&n),
                        })
                    })
                    .collect::<Lowered<_>>()?,
            ),
            Rule::map => ExprKind::Map(
                pair.into_inner()
                    .map(|entry| {
                        let mut parts = entry.into_inner();
                        let key = self.text(self.next(&mut parts)?)?;
                        let value = self.primary(self.next(&mut parts)?)?;
                        Ok((key, value))
                    })
                    .collect::<Lowered<_>>()?,
            ),
            _ => ExprKind::Path(self.idents(pair)),
        };
        Ok(Expr { kind, span })
    }

    fn quantifier(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = self.span(&pair);
        let mut kind = QuantifierKind::Some;
        let mut bindings = Vec::new();
        let mut body = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::quantifier_kind => {
                    kind = match part.as_str().trim() {
                        "all" => QuantifierKind::All,
                        "no" => QuantifierKind::No,
                        _ => QuantifierKind::Some,
                    }
                }
                Rule::binding => bindings.push(self.binding(part)?),
                Rule::expr => body = Some(Box::new(self.expr(part)?)),
                _ => {}
            }
        }
        let body = body.ok_or_else(|| {
            Diagnostic::error(Code::Syntax, span, "a quantifier needs a condition")
        })?;
        Ok(Expr {
            kind: ExprKind::Quantifier {
                kind,
                bindings,
                body,
            },
            span,
        })
    }

    fn aggregate(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = self.span(&pair);
        let mut kind = AggregateKind::Count;
        let mut bindings = Vec::new();
        let mut collection = None;
        let mut value = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::aggregate_kind => {
                    kind = match part.as_str() {
                        "sum" => AggregateKind::Sum,
                        "min" => AggregateKind::Min,
                        "max" => AggregateKind::Max,
                        _ => AggregateKind::Count,
                    }
                }
                Rule::binding => bindings.push(self.binding(part)?),
                Rule::path => {
                    collection = Some(Spanned {
                        span: self.span(&part),
                        node: self.idents(part),
                    })
                }
                Rule::expr => value = Some(Box::new(self.expr(part)?)),
                _ => {}
            }
        }
        let source = match collection {
            Some(collection) => AggregateSource::Collection(collection),
            None => AggregateSource::Bindings(bindings),
        };
        Ok(Expr {
            kind: ExprKind::Aggregate {
                kind,
                source,
                value,
            },
            span,
        })
    }

    /// The expression of a `where` filter, after the keyword.
    fn inner_expr(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = self.span(&pair);
        let expr = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::expr)
            .ok_or_else(|| grammar_mismatch(span))?;
        self.expr(expr)
    }

    fn binding(&self, pair: Pair<'_, Rule>) -> Lowered<Binding> {
        let span = self.span(&pair);
        let mut var = None;
        let mut collection = None;
        let mut depth = None;
        let mut window = None;
        let mut filter = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => var = Some(self.ident(&part)),
                Rule::path => {
                    collection = Some(Spanned {
                        span: self.span(&part),
                        node: self.idents(part),
                    })
                }
                Rule::depth_bound => depth = Some(self.depth(part)?),
                Rule::window => {
                    let span = self.span(&part);
                    let duration = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::duration)
                        .ok_or_else(|| grammar_mismatch(span))?;
                    window = Some(self.duration(&duration)?);
                }
                Rule::where_clause => filter = Some(Box::new(self.inner_expr(part)?)),
                _ => {}
            }
        }
        let (Some(var), Some(collection)) = (var, collection) else {
            return Err(grammar_mismatch(span));
        };
        Ok(Binding {
            var,
            collection,
            depth,
            window,
            filter,
        })
    }

    fn depth(&self, bound: Pair<'_, Rule>) -> Lowered<Spanned<u32>> {
        let span = self.span(&bound);
        let digits = bound
            .into_inner()
            .find(|p| p.as_rule() == Rule::integer)
            .map(|p| p.as_str())
            .unwrap_or_default();
        let node = digits.parse::<u32>().map_err(|_| {
            Diagnostic::error(
                Code::DepthOutOfRange,
                span,
                format!("depth `{digits}` is too large"),
            )
            .with_help("relations are followed at most 16 levels")
        })?;
        Ok(Spanned { node, span })
    }
}

/// Reported if the grammar and this lowering ever disagree, instead of panicking.
fn grammar_mismatch(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::Syntax,
        span,
        "internal error: the parser and the grammar disagree here",
    )
    .with_help("please report this policy text to the Interdict maintainers")
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::or_op => BinaryOp::Or,
        Rule::and_op => BinaryOp::And,
        Rule::eq_op => BinaryOp::Eq,
        Rule::ne_op => BinaryOp::Ne,
        Rule::lt_op => BinaryOp::Lt,
        Rule::le_op => BinaryOp::Le,
        Rule::gt_op => BinaryOp::Gt,
        Rule::ge_op => BinaryOp::Ge,
        Rule::in_op => BinaryOp::In,
        Rule::not_in_op => BinaryOp::NotIn,
        Rule::contains_op => BinaryOp::Contains,
        Rule::starts_with_op => BinaryOp::StartsWith,
        Rule::matches_op => BinaryOp::Matches,
        Rule::add_op => BinaryOp::Add,
        Rule::sub_op => BinaryOp::Sub,
        Rule::mul_op => BinaryOp::Mul,
        Rule::div_op => BinaryOp::Div,
        _ => BinaryOp::EndsWith,
    }
}
