//! The report a legal reviewer reads: one self-contained HTML page for a set of decisions.
//!
//! Per decision: the verdict of each jurisdiction, the outcome, the day decided as of, what the
//! reviewer must do, each reason with its message, rule, source location, legal provisions linked
//! to their primary texts and evidence as a table, what would change the decision, a picture of
//! the entities and relations behind it (inline SVG, the derivation path highlighted) and a
//! sign-off block. Styles are inline and the page makes no request of its own, so it can be
//! mailed, archived or printed to PDF as it is; the only links are to primary legal texts.
//! Every piece of text from the facts or the policies is escaped.
//!
//! ```
//! use interdict::{Facts, PolicySet, Source, report};
//! # let policy = r#"policy p "P" { jurisdiction US }
//! # rule r: block when some p in transaction.parties: p is designated because "{p.name}""#;
//! # let facts = "entities: [{id: a, kind: organization, name: A}]\ndesignations: [{entity: a, list: OFAC-SDN, programs: [X]}]\ntransactions: [{id: t, kind: payment, date: 2024-01-01, parties: [{role: beneficiary, entity: a}]}]";
//! let policies = PolicySet::from_sources([Source::new("p.policy", policy)])?;
//! let facts = Facts::from_text("facts.yaml", facts)?;
//! let mut decisions = policies.decide_all(&facts, None);
//! for decision in &mut decisions {
//!     policies.what_would_change(decision);
//! }
//! let html = report::html(&decisions);
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod graph;
pub mod layout;
pub mod links;

use std::fmt::Write;

use crate::eval::{Decision, Evidence, Outcome, Reason, format_percent};

pub use graph::Graph;

/// Above this many decisions, the report opens with a summary table.
const SUMMARY_FROM: usize = 2;

/// Text made safe for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole report for `decisions`, as one HTML document. Counterfactuals appear where the
/// decisions carry them ([`crate::PolicySet::what_would_change`]).
pub fn html(decisions: &[Decision]) -> String {
    let mut out = String::with_capacity(4096 + 12_000 * decisions.len());
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sanctions decisions for review</title>\n<style>",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n<h1>Sanctions decisions for review</h1>\n");
    let _ = writeln!(out, "<p class=\"counts\">{}</p>", counts(decisions));
    out.push_str("</header>\n");
    if decisions.len() >= SUMMARY_FROM {
        summary(&mut out, decisions);
    }
    for (index, decision) in decisions.iter().enumerate() {
        section(&mut out, index, decision);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn counts(decisions: &[Decision]) -> String {
    let of = |o: Outcome| decisions.iter().filter(|d| d.outcome == o).count();
    format!(
        "{} decision{}: {} block, {} review, {} allow.",
        decisions.len(),
        if decisions.len() == 1 { "" } else { "s" },
        of(Outcome::Block),
        of(Outcome::Review),
        of(Outcome::Allow)
    )
}

fn badge(outcome: Outcome) -> String {
    format!(r#"<span class="badge {0}">{0}</span>"#, outcome.keyword())
}

fn summary(out: &mut String, decisions: &[Decision]) {
    out.push_str("<section class=\"summary\">\n<h2>Summary</h2>\n<table>\n<thead><tr><th>Transaction</th><th>Outcome</th><th>Jurisdictions</th><th>As of</th><th>What to do</th><th>Transaction in brief</th></tr></thead>\n<tbody>\n");
    for (index, decision) in decisions.iter().enumerate() {
        let verdicts: Vec<String> = decision
            .jurisdictions
            .iter()
            .map(|(code, v)| format!("{} {}", escape(code), escape(v.outcome.keyword())))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#decision-{index}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&decision.transaction),
            badge(decision.outcome),
            verdicts.join(", "),
            decision.as_of,
            escape(headline(decision)),
            escape(&brief(decision)),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The transaction in one sentence, as the memo opens with it (nothing for a decision taken
/// without its summary).
fn brief(decision: &Decision) -> String {
    decision
        .summary
        .as_ref()
        .map(crate::explain::summary)
        .unwrap_or_default()
}

/// The action in three words.
fn headline(decision: &Decision) -> &'static str {
    match decision.outcome {
        Outcome::Block => "hold and report",
        Outcome::Review => "hold for review",
        Outcome::Allow | Outcome::NotAssessed if !decision.licences.is_empty() => {
            "release under licence"
        }
        Outcome::Allow | Outcome::NotAssessed => "release",
    }
}

fn section(out: &mut String, index: usize, decision: &Decision) {
    let _ = writeln!(
        out,
        "<section class=\"decision\" id=\"decision-{index}\">\n<h2>{} {}</h2>\n<p class=\"lead\">{}</p>",
        escape(&decision.transaction),
        badge(decision.outcome),
        escape(&brief(decision))
    );
    let _ = writeln!(
        out,
        "<dl class=\"meta\"><dt>Decided as of</dt><dd>{}</dd><dt>Policy digest</dt><dd><code>{}</code></dd><dt>Facts digest</dt><dd><code>{}</code></dd></dl>",
        decision.as_of,
        escape(&decision.policy_digest),
        escape(&decision.facts_digest)
    );
    if !decision.lists.is_empty() {
        out.push_str("<table class=\"lists\">\n<thead><tr><th>List read</th><th>Publisher</th><th>Published</th><th>Snapshot digest</th></tr></thead>\n<tbody>\n");
        for snapshot in &decision.lists {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                escape(&snapshot.list),
                escape(&snapshot.publisher),
                snapshot
                    .published
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "not stated".to_owned()),
                escape(&snapshot.digest)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    verdicts(out, decision);
    actions(out, decision);
    picture(out, index, decision);
    let in_force: Vec<&Reason> = decision
        .reasons
        .iter()
        .filter(|r| r.is_in_force())
        .collect();
    let settled: Vec<&Reason> = decision
        .reasons
        .iter()
        .filter(|r| !r.is_in_force())
        .collect();
    if !in_force.is_empty() {
        out.push_str("<h3>Reasons</h3>\n");
        for reason in in_force {
            reason_block(out, reason);
        }
    }
    if !settled.is_empty() {
        out.push_str("<h3>Released, and what released them</h3>\n");
        for reason in settled {
            reason_block(out, reason);
        }
    }
    if !decision.notes.is_empty() {
        out.push_str("<h3>Notes</h3>\n<ul class=\"notes\">\n");
        for note in &decision.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(&crate::explain::note(note)));
        }
        out.push_str("</ul>\n");
    }
    sign_off(out, decision);
    out.push_str("</section>\n");
}

fn verdicts(out: &mut String, decision: &Decision) {
    if decision.jurisdictions.is_empty() {
        return;
    }
    out.push_str("<table class=\"verdicts\">\n<thead><tr><th>Jurisdiction</th><th>Verdict</th><th>Rules that fired</th></tr></thead>\n<tbody>\n");
    for (code, verdict) in &decision.jurisdictions {
        let rules = match &verdict.why {
            Some(why) => escape(&crate::explain::not_assessed(why)),
            None if verdict.reasons.is_empty() => "none".to_owned(),
            None => verdict
                .reasons
                .iter()
                .map(|r| format!("<code>{}</code>", escape(r)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{rules}</td></tr>",
            escape(code),
            badge(verdict.outcome)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// What the reviewer must do, from the outcome, the verdicts and the licences applied.
fn actions(out: &mut String, decision: &Decision) {
    let mut steps: Vec<String> = Vec::new();
    let blocked_in = |code: &str| {
        decision
            .jurisdictions
            .get(code)
            .is_some_and(|v| v.outcome == Outcome::Block)
    };
    match decision.outcome {
        Outcome::Block => {
            steps.push("<strong>Hold.</strong> Do not process or release the transaction.".to_owned());
            if blocked_in("US") {
                steps.push(format!(
                    "US: block the funds (hold them, do not return them) and file a report of blocked property with OFAC within 10 business days, by <strong>{}</strong> counted from {} (weekends skipped; move it earlier for a federal holiday) ({}).",
                    business_days_after(&decision.as_of.to_string(), 10),
                    decision.as_of,
                    links::linked("31 CFR 501.603")
                ));
            }
            if blocked_in("UK") {
                steps.push("UK: freeze the funds and report to OFSI as soon as practicable what is frozen and the knowledge or suspicion behind it.".to_owned());
            }
            if blocked_in("EU") {
                steps.push("EU: freeze the funds and inform the competent authority of the Member State without delay.".to_owned());
            }
        }
        Outcome::Review => steps.push(
            "<strong>Hold for review.</strong> Clear or escalate each reason marked review below; release only after sign-off, and keep the record.".to_owned(),
        ),
        Outcome::Allow | Outcome::NotAssessed => steps.push(
            "<strong>Release.</strong> No block or review is in force.".to_owned(),
        ),
    }
    for licence in &decision.licences {
        let mut text = format!(
            "Released under {} licence <strong>{}</strong>",
            escape(&licence.issuer),
            escape(&licence.number)
        );
        if !licence.conditions.is_empty() {
            let _ = write!(
                text,
                "; conditions: {}",
                escape(&licence.conditions.join("; "))
            );
        }
        if !licence.reporting.is_empty() {
            let _ = write!(
                text,
                "; reporting: {}",
                escape(&licence.reporting.join("; "))
            );
        }
        text.push('.');
        steps.push(text);
    }
    for (code, verdict) in &decision.jurisdictions {
        if verdict.outcome == Outcome::NotAssessed {
            steps.push(format!(
                "{}: not assessed ({}); do not rely on this decision there.",
                escape(code),
                escape(&verdict.why.as_ref().map_or_else(
                    || String::from("no list it reads was loaded"),
                    crate::explain::not_assessed
                ))
            ));
        }
    }
    out.push_str("<div class=\"action\">\n<h3>What the reviewer must do</h3>\n<ul>\n");
    for step in steps {
        let _ = writeln!(out, "<li>{step}</li>");
    }
    out.push_str("</ul>\n</div>\n");
}

fn picture(out: &mut String, index: usize, decision: &Decision) {
    let graph = Graph::of(decision);
    if graph.edges.is_empty() {
        return;
    }
    out.push_str("<figure class=\"graph\">\n");
    out.push_str(&graph.svg(&format!("d{index}")));
    out.push_str("\n<figcaption>Entities and relations behind the decision. <span class=\"key designated\">listed</span> <span class=\"key blocked\">blocked by ownership or control</span> <span class=\"key path\">the path the engine followed</span>");
    if graph.folded > 0 {
        let _ = write!(
            out,
            " {} further entities off the derivation path are folded away; they are in the evidence tables.",
            graph.folded
        );
    }
    out.push_str("</figcaption>\n</figure>\n");
}

fn reason_block(out: &mut String, reason: &Reason) {
    let _ = writeln!(
        out,
        "<article class=\"reason {}\">\n<h4>{} {}</h4>\n<p class=\"message\">{}</p>",
        escape(reason.effect.keyword()),
        badge(reason.effect),
        escape(reason.title.as_deref().unwrap_or(&reason.rule)),
        escape(&reason.message)
    );
    let _ = write!(
        out,
        "<p class=\"rule\">Rule <code>{}</code> of policy <code>{}</code>",
        escape(&reason.rule),
        escape(&reason.policy)
    );
    if let Some(j) = &reason.jurisdiction {
        let _ = write!(out, " ({})", escape(j));
    }
    let _ = writeln!(out, ", at <code>{}</code></p>", escape(&reason.source));
    if let Some(error) = &reason.error {
        let _ = writeln!(
            out,
            "<p class=\"error\">Could not be evaluated, so sent to review: {}</p>",
            escape(&crate::explain::failure(error))
        );
    }
    if let Some(by) = &reason.released_by {
        let _ = writeln!(
            out,
            "<p class=\"released\">Released by <code>{}</code>.</p>",
            escape(by)
        );
    }
    if !reason.releases.is_empty() {
        let released: Vec<String> = reason
            .releases
            .iter()
            .map(|r| format!("<code>{}</code>", escape(r)))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"released\">Releases {}.</p>",
            released.join(", ")
        );
    }
    if !reason.citations.is_empty() {
        out.push_str("<p class=\"label\">Legal basis</p>\n<ul class=\"citations\">\n");
        for citation in reason.citations.iter() {
            let _ = writeln!(out, "<li>{}</li>", links::linked(citation));
        }
        out.push_str("</ul>\n");
    }
    if !reason.counterfactuals.is_empty() {
        out.push_str(
            "<p class=\"label\">What would change this</p>\n<ul class=\"counterfactuals\">\n",
        );
        for counterfactual in &reason.counterfactuals {
            let _ = writeln!(
                out,
                "<li>{}</li>",
                escape(&crate::explain::counterfactual(&counterfactual.change))
            );
        }
        out.push_str("</ul>\n");
    }
    if !reason.evidence.is_empty() {
        out.push_str("<table class=\"evidence\">\n<thead><tr><th>Fact</th><th>About</th><th>Detail</th><th>Source</th></tr></thead>\n<tbody>\n");
        for item in &reason.evidence {
            let (kind, about, detail) = evidence_row(item);
            let source = evidence_source(item);
            let _ = writeln!(
                out,
                "<tr><td>{kind}</td><td>{about}</td><td>{detail}</td><td>{source}</td></tr>"
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</article>\n");
}

/// Who says so: the source the facts give for a party, relation or listing, as text (a source's
/// address is printed, never linked: the page links only to primary legal texts).
fn evidence_source(item: &Evidence) -> String {
    match item {
        Evidence::Party { source, .. }
        | Evidence::Relation { source, .. }
        | Evidence::Designation { source, .. }
        | Evidence::Conversion { source, .. } => source
            .as_ref()
            .map(|s| escape(&s.describe()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// An item of evidence as three escaped cells.
fn evidence_row(item: &Evidence) -> (String, String, String) {
    let named = |name: &str, id: &str| format!("{} <code>{}</code>", escape(name), escape(id));
    match item {
        Evidence::Party {
            role, entity, name, ..
        } => (
            "party".to_owned(),
            named(name, entity),
            format!("the {}", escape(role)),
        ),
        Evidence::Relation {
            id,
            relation,
            from,
            from_name,
            to,
            to_name,
            percent,
            role,
            start,
            end,
            basis,
            ..
        } => {
            let mut detail = escape(&relation.replace('_', " "));
            if let Some(p) = percent {
                let _ = write!(detail, " {} %", format_percent(*p));
            }
            if let Some(r) = role {
                let _ = write!(detail, ", as {}", escape(r));
            }
            if let Some(b) = basis {
                let _ = write!(detail, ", basis {}", escape(&b.replace('_', " ")));
            }
            if let Some(s) = start {
                let _ = write!(detail, ", from {s}");
            }
            if let Some(e) = end {
                let _ = write!(detail, ", until {e}");
            }
            (
                format!("relation <code>{}</code>", escape(id)),
                format!("{} → {}", named(from_name, from), named(to_name, to)),
                detail,
            )
        }
        Evidence::Designation {
            entity,
            name,
            list,
            programs,
            listed_on,
            reference,
            measure,
            directive,
            authority,
            ..
        } => {
            let mut detail = escape(list);
            if let Some(r) = reference {
                let _ = write!(detail, " {}", escape(r));
            }
            let _ = write!(detail, ", programs {}", escape(&programs.join(", ")));
            if let Some(d) = listed_on {
                let _ = write!(detail, ", listed {d}");
            }
            let _ = write!(detail, ", {}", escape(&measure.replace('_', " ")));
            if let Some(d) = directive {
                let _ = write!(detail, ", {}", escape(d));
            }
            if !authority.is_empty() {
                let linked: Vec<String> = authority.iter().map(|a| links::linked(a)).collect();
                let _ = write!(detail, "; authority: {}", linked.join("; "));
            }
            ("listing".to_owned(), named(name, entity), detail)
        }
        Evidence::Blocked {
            entity,
            name,
            jurisdiction,
            basis,
        } => {
            let mut detail = format!("by {}", basis.keyword());
            if let Some(t) = basis.total_percent() {
                let _ = write!(detail, ", {} % in all", format_percent(t));
            }
            let rule = crate::explain::blocking_rule(jurisdiction, basis);
            let _ = write!(detail, ": {}", escape(&rule));
            (
                format!("blocked ({})", escape(jurisdiction)),
                named(name, entity),
                detail,
            )
        }
        Evidence::Match {
            entity,
            name,
            query,
            listed_name,
            matched_name,
            list,
            reference,
            score,
            strength,
            agrees,
            contradicts,
            check,
            ..
        } => {
            let mut detail = format!(
                "{} match of “{}” to {} (“{}”",
                strength.keyword(),
                escape(query),
                escape(listed_name),
                escape(matched_name)
            );
            for part in [list, reference].into_iter().flatten() {
                let _ = write!(detail, ", {}", escape(part));
            }
            let _ = write!(detail, "), score {score:.3}");
            for (label, items) in [
                ("agrees", agrees),
                ("contradicts", contradicts),
                ("check", check),
            ] {
                if !items.is_empty() {
                    let items: Vec<String> = items.iter().map(crate::explain::finding).collect();
                    let _ = write!(detail, "; {label}: {}", escape(&items.join("; ")));
                }
            }
            ("name match".to_owned(), named(name, entity), detail)
        }
        Evidence::Note(note) => (
            "note".to_owned(),
            String::new(),
            escape(&crate::explain::note(note)),
        ),
        Evidence::Indicator { id, title, weight } => (
            "indicator".to_owned(),
            format!("<code>{}</code>", escape(id)),
            format!(
                "{}{} point(s)",
                title
                    .as_deref()
                    .map(|t| format!("{}: ", escape(t)))
                    .unwrap_or_default(),
                crate::number::format_number(*weight)
            ),
        ),
        Evidence::EarlierTransaction {
            id,
            transaction_kind,
            date,
            amount,
            currency,
        } => {
            let mut detail = format!("{}, {date}", escape(transaction_kind));
            if let (Some(value), Some(currency)) = (amount, currency) {
                let _ = write!(
                    detail,
                    ", {} {}",
                    crate::number::format_number(*value),
                    escape(currency)
                );
            }
            (
                "earlier transaction".to_owned(),
                format!("<code>{}</code>", escape(id)),
                detail,
            )
        }
        Evidence::Conversion { .. } => (
            "exchange rate".to_owned(),
            String::new(),
            escape(&crate::explain::sentence(item)),
        ),
        Evidence::Fact {
            entity,
            name,
            field,
            value,
        } => {
            let about = match (name, entity) {
                (Some(n), Some(e)) => named(n, e),
                _ => "the transaction".to_owned(),
            };
            (
                "fact".to_owned(),
                about,
                format!(
                    "<code>{}</code> = {}",
                    escape(field),
                    escape(&value.to_string())
                ),
            )
        }
    }
}

fn sign_off(out: &mut String, decision: &Decision) {
    let _ = writeln!(
        out,
        "<div class=\"signoff\">\n<h3>Sign-off</h3>\n<p>I have reviewed the decision on <strong>{}</strong> ({} as of {}) and the facts above.</p>\n<p class=\"choices\">☐ Release &nbsp; ☐ Hold &nbsp; ☐ Block and report &nbsp; ☐ Escalate</p>\n<dl><dt>Reviewer</dt><dd></dd><dt>Date</dt><dd></dd><dt>Signature</dt><dd></dd><dt>Comments</dt><dd class=\"tall\"></dd></dl>\n</div>",
        escape(&decision.transaction),
        decision.outcome.keyword(),
        decision.as_of
    );
}

/// `date` (YYYY-MM-DD) moved forward by `days` working days, Saturdays and Sundays skipped.
fn business_days_after(date: &str, days: u32) -> String {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
    let (y, m, d) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    let mut day = days_from_civil(y, m, d);
    let mut left = days;
    while left > 0 {
        day += 1;
        // 1970-01-01 was a Thursday: weekday 0 = Monday.
        let weekday = (day + 3).rem_euclid(7);
        if weekday < 5 {
            left -= 1;
        }
    }
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const STYLE: &str = r#"
body{font:15px/1.45 Georgia,"Times New Roman",serif;color:#1b1b1b;max-width:1100px;margin:2em auto;padding:0 1.2em}
h1,h2,h3,h4{font-family:"Helvetica Neue",Arial,sans-serif;line-height:1.2}
h2{border-bottom:2px solid #1b1b1b;padding-bottom:.2em;margin-top:2.2em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f1f1f1}
code{font-family:Menlo,Consolas,monospace;font-size:.9em}
.badge{font:bold .8em Arial,sans-serif;text-transform:uppercase;padding:.1em .5em;border-radius:3px;border:1px solid;vertical-align:middle}
.badge.block{color:#fff;background:#b00020;border-color:#b00020}
.badge.review{color:#6b4100;background:#ffe3a3;border-color:#c98a00}
.badge.allow{color:#0b5d1e;background:#dff3e4;border-color:#0b5d1e}
.badge.not_assessed{color:#444;background:#eee;border-color:#888}
.lead{font-size:1.05em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;font-size:.9em}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0;word-break:break-all}
.action{border-left:5px solid #1b1b1b;background:#f7f7f7;padding:.3em 1em;margin:1em 0}
.reason{border:1px solid #ccc;border-radius:4px;padding:.2em 1em .6em;margin:1em 0;break-inside:avoid}
.reason.block{border-left:5px solid #b00020}.reason.review{border-left:5px solid #c98a00}.reason.allow{border-left:5px solid #0b5d1e}
.label{font:bold .85em Arial,sans-serif;text-transform:uppercase;color:#555;margin:.8em 0 .2em}
.counterfactuals li{margin:.15em 0}
.error{color:#b00020}
figure.graph{margin:1em 0;overflow-x:auto;border:1px solid #ddd;padding:.5em}
figure.graph svg{max-width:100%;height:auto;font-family:Arial,sans-serif}
.graph .node rect{fill:#fff;stroke:#666;stroke-width:1.2}
.graph .node.party rect{stroke:#1b1b1b;stroke-width:2.2}
.graph .node.transaction rect{fill:#eef2f8;stroke:#2a4a7a}
.graph .node.designated rect{fill:#fde2e2;stroke:#b00020;stroke-width:2}
.graph .node.blocked rect{fill:#fff0d9;stroke:#c05600;stroke-width:2}
.graph .node.matched rect{fill:#fff8d0;stroke:#c98a00}
.graph .node text.name{font-size:12.5px;font-weight:bold;fill:#1b1b1b}
.graph .node text.detail{font-size:10.5px;fill:#444}
.graph .edge path{fill:none;stroke:#888;stroke-width:1.3;stroke-dasharray:5 3}
.graph .edge.on-path path{stroke:#b00020;stroke-width:2.6;stroke-dasharray:none}
.graph .edge text{font-size:11px;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}
.key{padding:0 .4em;border:1px solid}.key.designated{background:#fde2e2;border-color:#b00020}.key.blocked{background:#fff0d9;border-color:#c05600}.key.path{border-color:#b00020;border-width:0 0 3px}
.signoff{border:1px solid #1b1b1b;padding:.3em 1em 1em;margin:1.5em 0;break-inside:avoid}
.signoff dl{display:grid;grid-template-columns:8em 1fr;gap:.8em 1em}
.signoff dd{margin:0;border-bottom:1px solid #1b1b1b;min-height:1.4em}.signoff dd.tall{min-height:4em}
a.law{color:#1a4d8f}
@media print{
body{max-width:none;margin:0;font-size:11pt}
section.decision{break-before:page}
figure.graph{overflow:visible;border:none}
a.law{color:inherit;text-decoration:underline}
a.law::after{content:" <" attr(href) ">";font-size:.75em;word-break:break-all}
.summary a{color:inherit;text-decoration:none}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_business_days_skip_weekends() {
        // 2024-03-04 was a Monday: ten working days later is Monday 2024-03-18.
        assert_eq!(business_days_after("2024-03-04", 10), "2024-03-18");
        // From a Friday across a month end.
        assert_eq!(business_days_after("2024-05-31", 1), "2024-06-03");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
