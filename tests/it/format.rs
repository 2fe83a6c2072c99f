//! The formatter: canonical layout, comments kept, idempotence, and the round-trip property
//! `parse(format(text)) == canonical(parse(text))` over every policy file in the repository and
//! over generated policies.

use std::path::PathBuf;

use interdict::format::{self, Check};
use interdict::{Decision, Facts, PolicySet, Source};

/// Every policy file that parses: the shipped packs, the example packs, and the language and
/// invalid fixtures (the
/// invalid ones are wrong in meaning, mostly, not in syntax, and so are formatted too).
fn policy_files() -> Vec<(String, String)> {
    let folders = [
        "policies",
        "examples",
        "tests/fixtures/eval",
        "tests/fixtures/invalid",
    ];
    let paths: Vec<PathBuf> = folders.iter().map(|f| crate::at(f)).collect();
    let files = format::policy_files(&paths).unwrap();
    assert!(files.len() >= 20, "found only {files:?}");
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(crate::root())
                .unwrap()
                .display()
                .to_string();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .filter(|(name, text)| format::format_source(name, text).is_ok())
        .collect()
}

/// The comments of `text`, found independently of the formatter: per line, `//` outside a
/// string literal (strings cannot span lines), to the end of the line.
fn comments_of(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut previous_slash = false;
        for (at, c) in line.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '/' if previous_slash => {
                    found.push(line[at - 1..].trim_end().to_owned());
                    break;
                }
                _ => {}
            }
            previous_slash = c == '/' && !in_string;
        }
    }
    found.sort();
    found
}

/// Parses `formatted` and checks it against the canonical form of `original`'s tree, that it
/// keeps every comment, and that formatting it again changes nothing.
fn assert_formats_faithfully(name: &str, original: &str, formatted: &str) {
    let kept = format::keeps_tree(original, formatted)
        .unwrap_or_else(|e| panic!("{name}: formatted text does not parse: {e}\n{formatted}"));
    assert!(kept, "{name}: the syntax tree changed\n{formatted}");
    assert_eq!(
        comments_of(original),
        comments_of(formatted),
        "{name}: comments changed\n{formatted}"
    );
    let again = format::format_source(name, formatted).unwrap();
    assert_eq!(formatted, again, "{name}: formatting is not idempotent");
}

#[test]
fn every_policy_and_fixture_round_trips_keeps_its_comments_and_is_stable() {
    for (name, text) in policy_files() {
        let formatted = format::format_source(&name, &text).unwrap();
        assert_formats_faithfully(&name, &text, &formatted);
        assert!(
            formatted.lines().all(|l| l == l.trim_end()),
            "{name}: trailing whitespace"
        );
    }
}

#[test]
fn the_fixtures_have_comments_to_keep() {
    let total: usize = policy_files()
        .iter()
        .map(|(_, t)| comments_of(t).len())
        .sum();
    assert!(total >= 20, "only {total} comments in the fixtures");
}

/// Decisions with what formatting may change blanked out: rule locations and the policy digest.
fn comparable(mut decisions: Vec<Decision>) -> Vec<Decision> {
    for decision in &mut decisions {
        decision.policy_digest = "".into();
        for reason in &mut decision.reasons {
            reason.source = "".into();
        }
    }
    decisions
}

fn decide(sources: Vec<Source>, facts: &Facts) -> Vec<Decision> {
    let policies = PolicySet::from_sources(sources).unwrap_or_else(|e| panic!("{}", e.render()));
    comparable(policies.decide_all(facts, None))
}

#[test]
fn formatted_policies_take_the_same_decisions() {
    let fixtures = crate::at("tests/fixtures/eval/facts.yaml");
    let facts = Facts::load(fixtures).unwrap();
    for (name, text) in policy_files() {
        if !name.starts_with("tests/fixtures/eval") {
            continue;
        }
        let formatted = format::format_source(&name, &text).unwrap();
        let before = decide(vec![Source::new(name.as_str(), text.as_str())], &facts);
        let after = decide(vec![Source::new(name.as_str(), formatted)], &facts);
        assert_eq!(before, after, "{name}");
    }
    // The shipped packs, loaded together, on the worked example.
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let packs: Vec<(String, String)> = policy_files()
        .into_iter()
        .filter(|(name, _)| name.starts_with("policies"))
        .collect();
    let original = packs
        .iter()
        .map(|(n, t)| Source::new(n.as_str(), t.as_str()));
    let formatted = packs
        .iter()
        .map(|(n, t)| Source::new(n.as_str(), format::format_source(n, t).unwrap()));
    assert_eq!(
        decide(original.collect(), &facts),
        decide(formatted.collect(), &facts)
    );
}

fn fmt(text: &str) -> String {
    let formatted = format::format_source("test.policy", text)
        .unwrap_or_else(|e| panic!("{}\n{text}", e.render()));
    assert_formats_faithfully("test.policy", text, &formatted);
    formatted
}

const HEADER: &str = "policy p \"P\" {\n  jurisdiction US\n}\n";

/// The `when` line of a one-rule policy whose condition is `condition`.
fn condition(condition: &str) -> String {
    let formatted = fmt(&format!("{HEADER}rule r: review when {condition}"));
    let start = formatted.find("  when ").unwrap() + "  when ".len();
    formatted[start..].trim_end().to_owned()
}

/// A block with nothing inside but a comment after its opening brace keeps its braces apart, with
/// the comment where it was written: printed `{} // note`, the next reading found the comment
/// after the closing brace and printed `{` `}` (found by the `policy` fuzz target).
#[test]
fn a_comment_after_the_opening_brace_of_an_empty_block_stays_inside_it() {
    for (text, expected) in [
        (
            "policy p \"P\" {// note\n}\n",
            "policy p \"P\" { // note\n}\n",
        ),
        (
            "policy p \"P\" {\n  jurisdiction US\n}\njurisdiction US \"United States\" { // none yet\n}\n",
            "policy p \"P\" {\n  jurisdiction US\n}\n\njurisdiction US \"United States\" { // none yet\n}\n",
        ),
    ] {
        let once = fmt(text);
        assert_eq!(once, expected, "{text}");
        assert_eq!(fmt(&once), once, "{text}");
    }
}

#[test]
fn lays_out_header_declarations_and_clauses_canonically() {
    let text = r#"policy   dprk   "OFAC — DPRK"{cite "a" version "2026.1" jurisdiction US cite "b","c"}
let programs={"DPRK","DPRK3",}   let stake = 50.0
rule licence : allow valid from 2024-01-01 until 2025-01-01 tags dprk,licence cite "501.801"
because "licensed" when transaction.attributes.licence=="GL-1" covers a,b title "Licence""#;
    let expected = r#"policy dprk "OFAC — DPRK" {
  jurisdiction US
  version "2026.1"
  cite "a"
  cite "b", "c"
}

let programs = {"DPRK", "DPRK3"}
let stake = 50

rule licence: allow
  title "Licence"
  covers a, b
  when transaction.attributes.licence == "GL-1"
  because "licensed"
  cite "501.801"
  tags dprk, licence
  valid from 2024-01-01 until 2025-01-01
"#;
    assert_eq!(fmt(text), expected);
}

#[test]
fn keeps_a_blank_line_between_constants_only_where_one_was_written() {
    let text = format!(
        "{HEADER}\nlet a = 1\nlet b = 2\n\n\n\nlet c = 3\nrule r: review when true\nlet d = 4"
    );
    let expected = format!(
        "{HEADER}\nlet a = 1\nlet b = 2\n\nlet c = 3\n\nrule r: review\n  when true\n\nlet d = 4\n"
    );
    assert_eq!(fmt(&text), expected);
}

#[test]
fn prints_the_fewest_parentheses_that_keep_the_meaning() {
    let cases = [
        ("(a.x and b.x) or c.x", "a.x and b.x or c.x"),
        ("a.x and (b.x or c.x)", "a.x and (b.x or c.x)"),
        ("(a.x or b.x) or c.x", "a.x or b.x or c.x"),
        ("a.x or (b.x or c.x)", "a.x or (b.x or c.x)"),
        ("not (a.x == 1)", "not a.x == 1"),
        ("(not a.x) == true", "(not a.x) == true"),
        ("a.x == (not b.x)", "a.x == (not b.x)"),
        ("not (a.x and b.x)", "not (a.x and b.x)"),
        ("(not a.x) and b.x", "not a.x and b.x"),
        ("not (not a.x)", "not not a.x"),
        ("(a.x == 1) == true", "a.x == 1 == true"),
        ("a.x == (1 == b.x)", "a.x == (1 == b.x)"),
        ("(a.x is present) == true", "a.x is present == true"),
        ("(a.x == b.x) is present", "(a.x == b.x) is present"),
        ("(not a.x) is missing", "(not a.x) is missing"),
        (
            "((p)) is not designated under (x) on ({\"UN\"})",
            "p is not designated under x on {\"UN\"}",
        ),
        (
            "p is designated under (a or b)",
            "p is designated under (a or b)",
        ),
        ("(p is present) is present", "p is present is present"),
        ("not (p is blocked)", "not p is blocked"),
        (
            "(some p in t.parties: p.x) and q.x",
            "(some p in t.parties: p.x) and q.x",
        ),
        (
            "q.x and (some p in t.parties: p.x)",
            "q.x and (some p in t.parties: p.x)",
        ),
        (
            "(some p in t.parties: p.x and q.x)",
            "some p in t.parties: p.x and q.x",
        ),
        (
            "not (some p in t.parties: p.x)",
            "not some p in t.parties: p.x",
        ),
        (
            "(not (some p in t.parties: p.x)) and q.x",
            "not (some p in t.parties: p.x) and q.x",
        ),
        (
            "(some p in t.parties: p.x) is present",
            "(some p in t.parties: p.x) is present",
        ),
        (
            "some p in t.parties where (some o in p.owners: o.x): (all d in p.directors up to 1 levels: d.x)",
            "some p in t.parties where some o in p.owners: o.x: all d in p.directors up to 1 level: d.x",
        ),
        (
            "a.x not in {\"a\"} and b.x starts  with \"c\"",
            "a.x not in {\"a\"} and b.x starts with \"c\"",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(condition(input), expected, "from {input}");
    }
}

#[test]
fn prints_numbers_strings_and_dates_so_they_read_back_the_same() {
    let cases = [
        ("x.v == 12000.50", "x.v == 12000.5"),
        ("x.v == 007", "x.v == 7"),
        ("x.v == -0.250", "x.v == -0.25"),
        ("x.v == 0.1", "x.v == 0.1"),
        (
            "x.v == 123456789012345678901234567890",
            "x.v == 123456789012345680000000000000",
        ),
        (
            r#"x.v == "say \"hi\" \\ {x.y} \n""#,
            r#"x.v == "say \"hi\" \\ {x.y} \n""#,
        ),
        ("x.v == 2024-02-29", "x.v == 2024-02-29"),
    ];
    for (input, expected) in cases {
        assert_eq!(condition(input), expected, "from {input}");
    }
    let huge = format!("x.v == {}", "9".repeat(400));
    let printed = condition(&huge);
    assert!(printed.starts_with("x.v == 1000"), "{printed}");
}

#[test]
fn breaks_long_conditions_after_the_quantifier_and_before_and_or() {
    let text = format!(
        "{HEADER}rule r: review when some p in transaction.parties, o in p.owners up to 4 levels: \
         o.depth > 1 and o is designated under dprk_programs or (some c in p.creators: c is \
         designated under dprk_programs and c.nationality == \"KP\" and c.country == \"KP\")"
    );
    let expected = format!(
        "{HEADER}
rule r: review
  when some p in transaction.parties, o in p.owners up to 4 levels:
    o.depth > 1 and o is designated under dprk_programs
    or (some c in p.creators:
      c is designated under dprk_programs and c.nationality == \"KP\" and c.country == \"KP\")
"
    );
    assert_eq!(fmt(&text), expected);
    // Without a quantifier, the chain continues one level in from `when`.
    let long = format!(
        "{HEADER}rule r: review when transaction.attributes.channel == \"portal\" and \
         transaction.amount.value > 100000 or transaction.kind == \"invoice\""
    );
    let expected = format!(
        "{HEADER}
rule r: review
  when transaction.attributes.channel == \"portal\" and transaction.amount.value > 100000
    or transaction.kind == \"invoice\"
"
    );
    assert_eq!(fmt(&long), expected);
}

#[test]
fn breaks_a_wide_set_one_element_per_line() {
    let elements: Vec<String> = (0..12).map(|i| format!("\"PROGRAM-{i}\"")).collect();
    let text = format!("{HEADER}let programs = {{{}}}", elements.join(","));
    let formatted = fmt(&text);
    assert!(
        formatted.contains("let programs = {\n  \"PROGRAM-0\",\n"),
        "{formatted}"
    );
    assert!(formatted.ends_with("  \"PROGRAM-11\",\n}\n"), "{formatted}");
}

#[test]
fn formats_jurisdictions() {
    let text = "policy j \"J\" { version \"1\" }\n\
        jurisdiction UK \"United Kingdom\" { lists \"UK\",\"UN\" ownership more than 50.0 % per person control blocks }\n\
        jurisdiction XX {}";
    let expected = "policy j \"J\" {
  version \"1\"
}

jurisdiction UK \"United Kingdom\" {
  lists \"UK\", \"UN\"
  ownership more than 50 per person
  control blocks
}

jurisdiction XX {}
";
    assert_eq!(fmt(text), expected);
}

#[test]
fn puts_every_comment_back_in_place() {
    let text = r#"// file comment

// second file comment
policy t "T" { // after brace
  // before jurisdiction
  jurisdiction US // trailing jurisdiction
  cite "a", // inside a cite
    "b"
  // inside the header, at its end
} // after the header
let x = 1 // trailing let
// between lets
let y = {"a", "http://not-a-comment"}

rule r: block // trailing rule head
  // before valid
  valid until 2025-01-01
  when some p in transaction.parties: // inside the condition
    p is designated // also inside
    and p.name contains "x" // trailing the condition
  // before because
  because "m // not a comment either"
  // under the last clause
// before the next rule

rule s: review when true
// at the end
"#;
    let expected = r#"// file comment

// second file comment
policy t "T" { // after brace
  // before jurisdiction
  jurisdiction US // trailing jurisdiction
  // inside a cite
  cite "a", "b"
  // inside the header, at its end
} // after the header

let x = 1 // trailing let
// between lets
let y = {"a", "http://not-a-comment"}

rule r: block // trailing rule head
  // inside the condition
  // also inside
  when some p in transaction.parties: p is designated and p.name contains "x" // trailing the condition
  // before because
  because "m // not a comment either"
  // before valid
  valid until 2025-01-01
  // under the last clause

// before the next rule

rule s: review
  when true

// at the end
"#;
    assert_eq!(fmt(text), expected);
}

#[test]
fn empty_blocks_and_comments_in_them() {
    let text = "policy e { // why empty\n  // nothing yet\n}\nrule r: review when true // only\n";
    let expected =
        "policy e { // why empty\n  // nothing yet\n}\n\nrule r: review\n  when true // only\n";
    assert_eq!(fmt(text), expected);
    assert_eq!(fmt("policy e {} // c\n"), "policy e {\n} // c\n");
    assert_eq!(fmt("policy e {}"), "policy e {}\n");
}

#[test]
fn check_reports_whether_a_file_is_formatted_with_a_diff() {
    let formatted = format!("{HEADER}\nrule r: review\n  when true\n");
    assert_eq!(
        format::check("ok.policy", &formatted).unwrap(),
        Check::Formatted
    );
    let messy = format!("{HEADER}\nrule r: review\n  when (true)\n");
    let Check::Unformatted {
        formatted: fixed,
        diff,
    } = format::check("messy.policy", &messy).unwrap()
    else {
        panic!("expected a difference");
    };
    assert_eq!(fixed, formatted);
    assert_eq!(
        diff,
        "--- messy.policy\n+++ messy.policy (formatted)\n@@ -4,3 +4,3 @@\n \n rule r: review\n-  when (true)\n+  when true\n"
    );
    assert_eq!(format::changed_lines(&messy, &fixed), vec![6]);
}

#[test]
fn the_diff_shows_separate_hunks_with_context() {
    let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    let new = old
        .replace("line 3\n", "line three\n")
        .replace("line 18\n", "");
    let diff = format::diff("f", &old, &new);
    assert_eq!(
        diff,
        "--- f\n+++ f (formatted)\n@@ -1,5 +1,5 @@\n line 1\n line 2\n-line 3\n+line three\n line 4\n line 5\n\
         @@ -16,5 +16,4 @@\n line 16\n line 17\n-line 18\n line 19\n line 20\n"
    );
    assert_eq!(format::changed_lines(&old, &new), vec![3, 18]);
    assert_eq!(format::diff("f", &old, &old), "");
    let crlf = old.replace('\n', "\r\n");
    let note = format::diff("f", &crlf, &old);
    assert!(note.contains("only line endings differ"), "{note}");
}

#[test]
fn syntax_errors_are_reported_where_they_are() {
    let error =
        format::format_source("bad.policy", "policy p {}\nrule r: review when x ==\n").unwrap_err();
    let rendered = error.render();
    assert!(
        rendered.starts_with("bad.policy:3:1: error[E0001]: syntax error"),
        "{rendered}"
    );
}

// ------------------------------------------------------------------ generated policies

/// A small deterministic generator (xorshift64*), so failures reproduce without a dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: [&str; 6] = ["p", "o", "transaction", "dprk_programs", "x_1", "_y"];
const FIELDS: [&str; 7] = [
    "name",
    "via",
    "percent",
    "in",
    "not",
    "attributes",
    "designated",
];
const OPERATORS: [&str; 13] = [
    "or",
    "and",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "contains",
    "starts with",
    "ends with",
];

fn path(random: &mut Random) -> String {
    let mut out = random.pick(&NAMES).to_owned();
    for _ in 0..random.below(3) {
        out.push('.');
        out.push_str(random.pick(&FIELDS));
    }
    out
}

fn literal(random: &mut Random) -> String {
    match random.below(6) {
        0 => random.pick(&["true", "false"]).to_owned(),
        1 => format!("{}", random.below(100_000)),
        2 => format!("-{}.{:03}", random.below(1000), random.below(1000)),
        3 => random
            .pick(&[r#""plain""#, r#""q \" b \\ n \n {p.name} // x""#, r#""""#])
            .to_owned(),
        4 => format!(
            "20{:02}-0{}-1{}",
            random.below(100),
            1 + random.below(9),
            random.below(10)
        ),
        _ => random
            .pick(&[r#"{"DPRK", "DPRK3"}"#, "{}", r#"{"a",}"#])
            .to_owned(),
    }
}

/// A condition, parenthesised at random: where parentheses are left out the parser decides
/// what it means, and the formatter must keep whatever that is.
fn expression(random: &mut Random, depth: usize) -> String {
    let wrap = |random: &mut Random, text: String| {
        if random.chance(60) {
            format!("({text})")
        } else {
            text
        }
    };
    if depth == 0 {
        return if random.chance(50) {
            path(random)
        } else {
            literal(random)
        };
    }
    let text = match random.below(8) {
        0 => format!("not {}", expression(random, depth - 1)),
        1..=3 => {
            let lhs = expression(random, depth - 1);
            let op = random.pick(&OPERATORS);
            format!("{lhs} {op} {}", expression(random, depth - 1))
        }
        4 => {
            let inner = expression(random, depth - 1);
            let subject = wrap(random, inner);
            match random.below(4) {
                0 => format!("{subject} is present"),
                1 => format!("{subject} is missing"),
                2 => format!("{subject} is {}blocked", random.pick(&["", "not "])),
                _ => {
                    let under = format!("under ({})", expression(random, depth - 1));
                    let on = format!("on {}", literal(random));
                    let not = random.pick(&["", "not "]);
                    let under = if random.chance(50) {
                        under
                    } else {
                        String::new()
                    };
                    let on = if random.chance(50) { on } else { String::new() };
                    format!("{subject} is {not}designated {under} {on}")
                }
            }
        }
        5..=6 => {
            let kind = random.pick(&["some", "all", "no"]);
            let mut bindings = vec![format!("v in {}", path(random))];
            if random.chance(40) {
                bindings.push(format!("w in v.owners up to {} levels", random.below(20)));
            }
            let filter = if random.chance(30) {
                format!(" where {}", expression(random, depth - 1))
            } else {
                String::new()
            };
            let body = expression(random, depth - 1);
            format!("{kind} {}{filter}: {body}", bindings.join(", "))
        }
        _ => expression(random, 0),
    };
    wrap(random, text)
}

/// Spreads `text` over lines with comments between its tokens (never inside a string).
fn sprinkle_comments(random: &mut Random, text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        out.push(c);
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            (false, _, ' ') if random.chance(8) => {
                out.push_str(&format!("// c{}\n   ", random.below(1000)));
            }
            (false, _, ' ') if random.chance(5) => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn policy(random: &mut Random) -> String {
    let mut header = vec!["jurisdiction US".to_owned()];
    if random.chance(50) {
        header.push("version \"1.0\"".to_owned());
    }
    for _ in 0..random.below(3) {
        header.push(format!(
            "cite \"a\"{}",
            if random.chance(50) { ", \"b\"" } else { "" }
        ));
    }
    let mut text = format!("policy gen \"Generated\" {{ {} }}\n", header.join(" "));
    for index in 0..1 + random.below(4) {
        if random.chance(30) {
            text.push_str(&format!("let k{index} = {}\n", literal(random)));
        }
        let depth = 1 + random.below(4);
        let mut clauses = vec![
            format!("when {}", expression(random, depth)),
            "because \"m\"".to_owned(),
        ];
        if random.chance(40) {
            clauses.push("tags a, b".to_owned());
        }
        if random.chance(30) {
            clauses.push("valid from 2024-01-01".to_owned());
        }
        if random.chance(30) {
            clauses.push("cite \"c\"".to_owned());
        }
        // A random rotation, so the clause order is not canonical.
        let turn = random.below(clauses.len());
        clauses.rotate_left(turn);
        text.push_str(&format!("rule r{index}: review {}\n", clauses.join(" ")));
    }
    if random.chance(50) {
        sprinkle_comments(random, &text)
    } else {
        text
    }
}

#[test]
fn generated_policies_round_trip_keep_their_comments_and_are_stable() {
    let mut random = Random(0x5EED_1A7E_D1C7_0001);
    let mut parsed = 0;
    for _ in 0..1500 {
        let text = policy(&mut random);
        if format::format_source("gen.policy", &text).is_err() {
            continue;
        }
        parsed += 1;
        let formatted = format::format_source("gen.policy", &text)
            .unwrap_or_else(|e| panic!("{}\n{text}", e.render()));
        assert_formats_faithfully(&format!("generated:\n{text}\n"), &text, &formatted);
    }
    assert!(parsed > 1000, "only {parsed} generated policies parsed");
}
