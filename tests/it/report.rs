//! The reviewer's report: self-contained HTML, escaped, with the graph drawn and counterfactuals
//! that really flip the decision when applied to the facts.

use interdict::eval::counterfactual::{Change, Counterfactual};
use interdict::facts::FactsDocument;
use interdict::report::{self, Graph, links};
use interdict::{Decision, Facts, Outcome, PolicySet};

fn shipped() -> PolicySet {
    PolicySet::load(&[crate::at("policies")]).unwrap()
}

fn silverstar() -> FactsDocument {
    FactsDocument::read(crate::at("examples/silverstar.yaml")).unwrap()
}

fn document(text: &str) -> FactsDocument {
    let path = std::env::temp_dir().join(format!(
        "interdict-report-{}-{}.yaml",
        std::process::id(),
        text.len()
    ));
    std::fs::write(&path, text).unwrap();
    let document = FactsDocument::read(&path);
    let _ = std::fs::remove_file(&path);
    document.unwrap()
}

fn decide_in(policies: &PolicySet, document: &FactsDocument, transaction: &str) -> Decision {
    let facts = Facts::from_document("facts.yaml", document.clone()).unwrap();
    let mut decision = policies.decide(&facts, facts.transaction(transaction).unwrap(), None);
    policies.what_would_change(&mut decision);
    decision
}

/// Applies one stated change to the facts, as a user would edit them.
fn apply(document: &mut FactsDocument, transaction: &str, change: &Change) {
    change.apply(document, transaction).unwrap();
}

/// Whether `decision` still has `rule` (of `jurisdiction`) in force about `party`.
fn still_fires(decision: &Decision, rule: &str, party: Option<&str>) -> bool {
    decision.reasons.iter().any(|r| {
        r.rule == rule
            && r.is_in_force()
            && party.is_none_or(|p| {
                r.evidence
                    .iter()
                    .any(|e| matches!(e, interdict::Evidence::Party { entity, .. } if entity == p))
            })
    })
}

fn party_of(reason: &interdict::Reason) -> Option<&str> {
    reason.evidence.iter().find_map(|e| match e {
        interdict::Evidence::Party { entity, .. } => Some(entity.as_str()),
        _ => None,
    })
}

/// Every counterfactual of every block and review of the Silver Star example, applied to the
/// facts one at a time, removes the reason it was stated for.
#[test]
fn every_silverstar_counterfactual_removes_its_reason_when_applied() {
    let policies = shipped();
    let original = silverstar();
    let facts = Facts::from_document("facts.yaml", original.clone()).unwrap();
    let mut checked = 0;
    for transaction in facts.transactions() {
        let decision = decide_in(&policies, &original, &transaction.id);
        for reason in &decision.reasons {
            for Counterfactual { change, .. } in &reason.counterfactuals {
                let text = interdict::explain::counterfactual(change);
                let mut changed = original.clone();
                apply(&mut changed, &transaction.id, change);
                let again = decide_in(&policies, &changed, &transaction.id);
                assert!(
                    !still_fires(&again, &reason.rule, party_of(reason)),
                    "{}: `{}` still fires after applying \"{text}\"",
                    transaction.id,
                    reason.rule
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} counterfactuals checked");
}

/// OFAC FAQ 401, second example: X owns 50 % of A and 10 % of B, A owns 40 % of B; B is blocked
/// (10 + 40). Each stated change unblocks B.
#[test]
fn faq_401_chain_counterfactuals_flip_the_outcome() {
    let policies = PolicySet::load(&[
        crate::at("policies/jurisdictions.policy"),
        crate::at("policies/us_ownership.policy"),
    ])
    .unwrap();
    let facts = document(
        r#"
entities:
  - {id: x, kind: person, name: "X"}
  - {id: a, kind: organization, name: "A Ltd"}
  - {id: b, kind: organization, name: "B Ltd"}
  - {id: bank, kind: organization, name: "Bank"}
relations:
  - {id: x-a, kind: owns, from: x, to: a, percent: 50}
  - {id: x-b, kind: owns, from: x, to: b, percent: 10}
  - {id: a-b, kind: owns, from: a, to: b, percent: 40}
designations:
  - {entity: x, list: OFAC-SDN, programs: [SDGT], listed_on: 2020-01-01, ref: "SDN 1"}
transactions:
  - {id: t, kind: payment, date: 2024-03-04, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: b}]}
"#,
    );
    let decision = decide_in(&policies, &facts, "t");
    assert_eq!(decision.outcome, Outcome::Block);
    let reason = decision
        .reasons
        .iter()
        .find(|r| r.rule == "us_blocked_party")
        .unwrap();
    let texts: Vec<String> = reason
        .counterfactuals
        .iter()
        .map(|c| interdict::explain::counterfactual(&c.change))
        .collect();
    assert_eq!(
        texts,
        [
            // 10 + 40 = 50: any cut in A's 40 % leaves B below 50 %.
            "if A Ltd's stake in B Ltd were below 40 % (it is 40 %)",
            // A unblocked (X below 50 % of A) takes its 40 % out of the sum.
            "if X's stake in A Ltd were below 50 % (it is 50 %)",
            "if the listing of X (OFAC-SDN SDN 1) had ended on or before 2024-03-04",
            "if X's stake in B Ltd were below 10 % (it is 10 %)",
            "if a licence of OFAC in force on the day and relied on by the transaction covered B Ltd under SDGT",
        ]
    );
    for counterfactual in &reason.counterfactuals {
        let mut changed = facts.clone();
        apply(&mut changed, "t", &counterfactual.change);
        let again = decide_in(&policies, &changed, "t");
        assert_eq!(again.outcome, Outcome::Allow, "{:?}", counterfactual.change);
    }
}

/// A designation that ends on or before the decision's day no longer counts (designations count
/// from `listed_on` up to, not including, `delisted_on`).
#[test]
fn a_designation_date_counterfactual_flips_the_outcome() {
    let policies = shipped();
    let original = silverstar();
    let decision = decide_in(&policies, &original, "tx-1001");
    assert_eq!(decision.outcome, Outcome::Block);
    let reason = decision
        .reasons
        .iter()
        .find(|r| r.rule == "us_blocked_party")
        .unwrap();
    let ended = reason
        .counterfactuals
        .iter()
        .find(|c| matches!(c.change, Change::DesignationEnded { .. }))
        .unwrap();
    assert_eq!(
        interdict::explain::counterfactual(&ended.change),
        "if the listing of Volasys Silver Star (OFAC-SDN SDN 24978) had ended on or before 2024-03-01"
    );
    let mut changed = original.clone();
    apply(&mut changed, "tx-1001", &ended.change);
    let again = decide_in(&policies, &changed, "tx-1001");
    assert!(!still_fires(&again, "us_blocked_party", Some("volasys")));
    assert!(!still_fires(&again, "designated_party", Some("volasys")));
    // The sister company is still designated: the payment stays held, now for review only
    // (sister of a designated entity), so the outcome flips from block.
    assert_ne!(again.outcome, Outcome::Block);
}

/// A licence covering the party releases the blocks (31 CFR 501.801); the stated change, applied,
/// turns tx-1002's block into an allow.
#[test]
fn a_licence_counterfactual_flips_the_outcome() {
    let policies = shipped();
    let original = silverstar();
    let decision = decide_in(&policies, &original, "tx-1002");
    assert_eq!(decision.outcome, Outcome::Block);
    let mut changed = original.clone();
    for reason in decision
        .reasons
        .iter()
        .filter(|r| r.effect == Outcome::Block)
    {
        let licence = reason
            .counterfactuals
            .iter()
            .find(|c| matches!(c.change, Change::LicenceCovers { .. }))
            .unwrap();
        assert_eq!(
            interdict::explain::counterfactual(&licence.change),
            "if a licence of OFAC in force on the day and relied on by the transaction covered Silver Star Software OOO under DPRK3, DPRK4"
        );
        if changed.licences.len() == original.licences.len() {
            apply(&mut changed, "tx-1002", &licence.change);
        }
    }
    let again = decide_in(&policies, &changed, "tx-1002");
    assert_eq!(again.outcome, Outcome::Allow, "{:#?}", again.reasons);
    assert_eq!(again.licences.len(), 1);
}

#[test]
fn counterfactuals_are_a_field_of_each_reason_in_json() {
    let policies = shipped();
    let decision = decide_in(&policies, &silverstar(), "tx-1002");
    let json = interdict::explain::json(std::slice::from_ref(&decision));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The second reason, us_blocked_party, asks `is blocked` of the party: its stake is cut to
    // just below the US threshold.
    assert_eq!(
        value["decisions"][0]["reasons"][1]["rule"],
        "us_blocked_party"
    );
    let first = &value["decisions"][0]["reasons"][1]["counterfactuals"][0];
    assert_eq!(first["change"], "stake_below");
    assert_eq!(first["relation"], "r3");
    assert_eq!(first["below"], 50.0);
    // The sentence is written from the change's own fields when the JSON is written, and
    // the change reads back from it.
    assert_eq!(first["owner_name"], "Volasys Silver Star");
    assert_eq!(
        first["text"],
        "if Volasys Silver Star's stake in Silver Star Software OOO were below 50 % (it is 100 %)"
    );
    let read: Counterfactual = serde_json::from_value(first.clone()).unwrap();
    assert_eq!(read, decision.reasons[1].counterfactuals[0]);
    // Without the pass, the JSON of a decision is what it was.
    let plain = policies.decide(
        &Facts::from_document("f", silverstar()).unwrap(),
        &Facts::from_document("f", silverstar())
            .unwrap()
            .transactions()[1],
        None,
    );
    assert!(!interdict::explain::json(&[plain]).contains("counterfactuals"));
}

fn silverstar_report() -> (String, Vec<Decision>) {
    let policies = shipped();
    let original = silverstar();
    let facts = Facts::from_document("facts.yaml", original.clone()).unwrap();
    let decisions: Vec<Decision> = facts
        .transactions()
        .iter()
        .map(|t| decide_in(&policies, &original, &t.id))
        .collect();
    (report::html(&decisions), decisions)
}

/// Every `href`, `src`, `url(` and `http` in the page: none may leave it except plain links to
/// primary legal texts (and the SVG namespace, which is a name, not a request).
#[test]
fn the_report_makes_no_external_reference() {
    let (html, _) = silverstar_report();
    assert!(!html.contains("src="), "no src attribute at all");
    assert!(!html.contains("<link"), "no linked stylesheet");
    assert!(!html.contains("<script"), "no script");
    assert!(!html.contains("@import"));
    for (at, _) in html.match_indices("http") {
        let rest = &html[at..];
        let allowed = rest.starts_with("http://www.w3.org/2000/svg\"")
            || links::PRIMARY_HOSTS.iter().any(|h| rest.starts_with(h));
        assert!(
            allowed,
            "external reference: {}",
            &rest[..rest.len().min(80)]
        );
        if !rest.starts_with("http://www.w3.org/2000/svg") {
            assert!(
                html[..at].ends_with("<a class=\"law\" href=\""),
                "only as a plain anchor"
            );
        }
    }
    for (at, _) in html.match_indices("href=\"") {
        let target = &html[at + 6..];
        assert!(
            target.starts_with('#') || links::PRIMARY_HOSTS.iter().any(|h| target.starts_with(h)),
            "href to {}",
            &target[..target.len().min(60)]
        );
    }
    for (at, _) in html.match_indices("url(") {
        assert!(html[at + 4..].starts_with('#'), "url() must be internal");
    }
    // The provisions are linked: eCFR for 31 CFR, OFAC for its FAQs.
    assert!(html.contains(r#"href="https://www.ecfr.gov/current/title-31/section-510.201""#));
    assert!(html.contains(r#"href="https://ofac.treasury.gov/faqs/398""#));
}

#[test]
fn the_report_shows_verdicts_actions_reasons_and_sign_off() {
    let (html, decisions) = silverstar_report();
    assert_eq!(decisions.len(), 16);
    assert!(html.contains("<h2>Summary</h2>"));
    assert!(html.contains(r##"<a href="#decision-1">tx-1002</a>"##));
    // tx-1002: blocked under US rules; the OFAC report is due ten business days after Monday
    // 2024-03-04 (31 CFR 501.603).
    assert!(html.contains("by <strong>2024-03-18</strong> counted from 2024-03-04"));
    assert!(html.contains("policies/us_ownership.policy:10:6"));
    assert!(html.contains("What would change this"));
    assert!(html.contains("if Volasys Silver Star&#39;s stake in Silver Star Software OOO were below 50 % (it is 100 %)"));
    // tx-1008 is released by the licence, and says so with its conditions.
    assert!(html.contains("Released under OFAC licence <strong>DPRK-2024-0117</strong>"));
    assert_eq!(html.matches("<h3>Sign-off</h3>").count(), 16);
    assert!(html.contains("@media print"));
}

/// Text from the facts cannot inject markup: names, ids, roles and attributes are escaped
/// wherever they appear (tables, graph labels, tooltips, attributes).
#[test]
fn facts_cannot_inject_html() {
    let policies = shipped();
    let facts = document(
        r#"
entities:
  - {id: "evil\"><script>alert(1)</script>", kind: organization, name: "<img src=x onerror=alert(1)> & Co"}
  - {id: bank, kind: organization, name: "Bank </svg><script>alert(2)</script>"}
relations:
  - {id: "r'><b>", kind: owns, from: "evil\"><script>alert(1)</script>", to: bank, percent: 60, role: "<i>owner</i>"}
designations:
  - {entity: "evil\"><script>alert(1)</script>", list: OFAC-SDN, programs: ["<DPRK3>"], listed_on: 2018-09-13, ref: "SDN <1>"}
transactions:
  - {id: "<t>", kind: payment, date: 2024-03-04, parties: [{role: "<beneficiary>", entity: bank}]}
"#,
    );
    let decision = decide_in(&policies, &facts, "<t>");
    assert_eq!(decision.outcome, Outcome::Block);
    let html = report::html(&[decision]);
    for needle in [
        "<script",
        "<img",
        "<b>",
        "<i>",
        "<t>",
        "<DPRK3>",
        "<beneficiary>",
        "<1>",
    ] {
        assert!(!html.contains(needle), "unescaped {needle}");
    }
    assert_eq!(
        html.matches("</svg>").count(),
        1,
        "one picture, closed once"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; Co"));
}

/// The Silver Star picture for tx-1013: Ussuri Systems is blocked because Volasys and China
/// Silver Star, both designated, hold 30 % each (60 % aggregated, OFAC's 50 % rule).
#[test]
fn the_graph_of_an_aggregated_stake_is_drawn_and_snapshotted() {
    let policies = shipped();
    let decision = decide_in(&policies, &silverstar(), "tx-1013");
    let graph = Graph::of(&decision);
    let names: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    for id in [
        "transaction:tx-1013",
        "ussuri-systems",
        "volasys",
        "yanbian-silverstar",
    ] {
        assert!(names.contains(&id), "{id} in {names:?}");
    }
    let owns: Vec<(&str, &str, bool)> = graph
        .edges
        .iter()
        .filter(|e| e.kind == "owns")
        .map(|e| (e.id.as_str(), e.label.as_str(), e.on_path))
        .collect();
    assert_eq!(
        owns,
        [("r11", "owns 30 %", true), ("r10", "owns 30 %", true)]
    );
    let volasys = graph.nodes.iter().find(|n| n.id == "volasys").unwrap();
    assert_eq!(volasys.listings, ["OFAC-SDN SDN 24978"]);
    let ussuri = graph
        .nodes
        .iter()
        .find(|n| n.id == "ussuri-systems")
        .unwrap();
    assert_eq!(ussuri.blocked, ["US: ownership 60 %"]);
    insta::assert_snapshot!(graph.svg("d0"));
}

#[test]
fn a_network_of_many_hundred_entities_is_folded() {
    // 400 designated persons each holding 0.25 % of the payee: together 100 % (OFAC aggregates
    // the stakes of all blocked owners), so the derivation names all 400.
    let mut text =
        String::from("entities:\n  - {id: payee, kind: organization, name: \"Payee\"}\n");
    for i in 0..400 {
        text.push_str(&format!(
            "  - {{id: x{i}, kind: person, name: \"X {i}\"}}\n"
        ));
    }
    text.push_str("relations:\n");
    for i in 0..400 {
        text.push_str(&format!(
            "  - {{id: o{i}, kind: owns, from: x{i}, to: payee, percent: 0.25}}\n"
        ));
    }
    text.push_str("designations:\n");
    for i in 0..400 {
        text.push_str(&format!(
            "  - {{entity: x{i}, list: OFAC-SDN, programs: [SDGT], listed_on: 2020-01-01}}\n"
        ));
    }
    text.push_str("transactions:\n  - {id: t, kind: payment, date: 2024-03-04, parties: [{role: payee, entity: payee}]}\n");
    let policies = PolicySet::load(&[
        crate::at("policies/jurisdictions.policy"),
        crate::at("policies/us_ownership.policy"),
    ])
    .unwrap();
    let decision = decide_in(&policies, &document(&text), "t");
    let graph = Graph::of(&decision);
    assert_eq!(graph.nodes.len(), report::graph::MAX_NODES);
    // The evidence names 200 of the owners (the engine's cap on witnesses), 202 entities with
    // the payee and the transaction; the picture keeps the first MAX_NODES.
    assert_eq!(graph.folded, 202 - report::graph::MAX_NODES);
    // The 119 owners kept share one layer: it wraps into rows of 12, so the picture stays
    // 12 boxes wide (2,926 px) instead of 119.
    let svg = graph.svg("d0");
    assert!(svg.contains(r#"viewBox="0 0 2926 "#), "{}", &svg[..200]);
    let html = report::html(&[decision]);
    assert!(html.contains("further entities off the derivation path are folded away"));
}

/// Chromium, when installed (`.ci/run` installs Debian's `chromium` and sets
/// `INTERDICT_REQUIRE_CHROMIUM`, so CI fails rather than skips without it).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("INTERDICT_REQUIRE_CHROMIUM").is_none_or(|v| v == "0"),
            "INTERDICT_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        eprintln!("note: skipping the browser test, chromium is not installed");
    }
    found
}

/// The Silver Star report opens in a real browser: headless Chromium parses it without an error
/// and the rendered DOM holds every node and edge of every picture.
#[test]
fn the_silverstar_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let (html, _) = silverstar_report();
    let folder = std::env::temp_dir().join(format!("interdict-chromium-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let page = folder.join("silverstar.html");
    std::fs::write(&page, &html).unwrap();
    let output = std::process::Command::new("timeout")
        .arg("180")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--virtual-time-budget=2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            folder.join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&folder);
    let dom = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {stderr}");
    for bad in [
        "Uncaught",
        "CONSOLE",
        "error on line",
        "This page contains the following errors",
    ] {
        assert!(
            !stderr.contains(bad) && !dom.contains(bad),
            "{bad}: {stderr}"
        );
    }
    // Every node and edge of every picture is in the rendered page, as drawn.
    let count = |text: &str, needle: &str| text.matches(needle).count();
    for needle in [
        "<g class=\"node",
        "<g class=\"edge",
        "<svg ",
        "<h3>Sign-off</h3>",
    ] {
        assert!(count(&html, needle) > 0, "{needle} in the page");
        assert_eq!(
            count(&dom, needle),
            count(&html, needle),
            "{needle} rendered"
        );
    }
    for needle in [
        r#"data-entity="volasys""#,
        r#"data-entity="silver-star-software""#,
        r#"data-relation="r3""#,
        r#"data-relation="r10""#,
        r#"data-relation="r11""#,
    ] {
        assert!(dom.contains(needle), "{needle} rendered");
    }
    assert!(dom.contains("owns 100 %"));
}

fn interdict(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(crate::root())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_report_command_writes_the_page_and_names_an_unknown_transaction() {
    let out =
        std::env::temp_dir().join(format!("interdict-report-cli-{}.html", std::process::id()));
    let out_arg = out.display().to_string();
    let written = interdict(&[
        "report",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--transaction",
        "tx-1002",
        "--transaction",
        "tx-1013",
        "-o",
        &out_arg,
    ]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&written.stdout),
        format!("wrote {out_arg} (2 decisions; every counterfactual checked by deciding again)\n")
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    assert!(html.contains(r##"<a href="#decision-0">tx-1002</a>"##));
    assert!(html.contains("What would change this"));

    let unknown = interdict(&[
        "report",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--transaction",
        "tx-9999",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: no transaction `tx-9999` in examples/silverstar.yaml\n"
    );
}

#[test]
fn eval_prints_counterfactuals_in_json_when_asked() {
    let args = [
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--transaction",
        "tx-1002",
        "--format",
        "json",
    ];
    let plain = interdict(&args);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("counterfactuals"));
    let mut asked = args.to_vec();
    asked.push("--counterfactuals");
    let asked = interdict(&asked);
    assert!(asked.status.success());
    let value: serde_json::Value = serde_json::from_slice(&asked.stdout).unwrap();
    let reason = &value["decisions"][0]["reasons"][1];
    assert_eq!(reason["rule"], "us_blocked_party");
    assert_eq!(reason["counterfactuals"][0]["change"], "stake_below");
    assert_eq!(reason["counterfactuals"][1]["change"], "designation_ended");
    assert_eq!(
        reason["counterfactuals"][1]["entries"][0]["ref"],
        "SDN 24978"
    );
    assert_eq!(reason["counterfactuals"][2]["change"], "licence_covers");
}

/// A counterfactual describes the derivation shown; where a second witness would keep the rule
/// firing, the checked pass decides again and leaves it out. Here the party is a sister of two
/// designated companies: ending one sisterhood (or one listing) changes nothing.
#[test]
fn the_checked_pass_leaves_out_changes_a_second_witness_defeats() {
    let policies = shipped();
    let facts = document(
        r#"
entities:
  - {id: p, kind: organization, name: "P Ltd"}
  - {id: v1, kind: organization, name: "V One"}
  - {id: v2, kind: organization, name: "V Two"}
  - {id: bank, kind: organization, name: "Bank"}
relations:
  - {id: ra, kind: sister_of, from: p, to: v1}
  - {id: rb, kind: sister_of, from: p, to: v2}
designations:
  - {entity: v1, list: OFAC-SDN, programs: [DPRK3], listed_on: 2018-09-13, ref: "SDN 1"}
  - {entity: v2, list: OFAC-SDN, programs: [DPRK3], listed_on: 2018-09-13, ref: "SDN 2"}
transactions:
  - {id: t, kind: payment, date: 2024-03-04, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: p}]}
"#,
    );
    let unchecked = decide_in(&policies, &facts, "t");
    let sister = |d: &Decision| {
        d.reasons
            .iter()
            .find(|r| r.rule == "sister_of_designated")
            .unwrap()
            .counterfactuals
            .clone()
    };
    assert!(!sister(&unchecked).is_empty(), "stated from the derivation");
    let full = Facts::from_document("f", facts.clone()).unwrap();
    let mut checked = policies.decide(&full, full.transaction("t").unwrap(), None);
    let left_out = policies.what_would_change_checked(&facts, &mut checked);
    assert!(sister(&checked).is_empty(), "{:?}", sister(&checked));
    assert!(left_out >= sister(&unchecked).len());
}

/// On the Silver Star example the check leaves nothing out: every stated change flips its reason.
#[test]
fn every_silverstar_counterfactual_passes_the_check() {
    let policies = shipped();
    let document = silverstar();
    let facts = Facts::from_document("facts.yaml", document.clone()).unwrap();
    for transaction in facts.transactions() {
        let mut decision = policies.decide(&facts, transaction, None);
        assert_eq!(
            policies.what_would_change_checked(&document, &mut decision),
            0,
            "{}",
            transaction.id
        );
    }
}

/// Same decisions, same bytes: the page carries no clock, and layout and ids are deterministic.
#[test]
fn the_report_is_the_same_bytes_every_time() {
    let (first, _) = silverstar_report();
    let (second, _) = silverstar_report();
    assert_eq!(first, second);
}

/// The evidence tables say who says so: a relation's source is printed with the fact, as text
/// (its address is never made a link: the page links only to primary legal texts).
#[test]
fn evidence_tables_show_fact_sources_as_text() {
    let policies = shipped();
    let facts = document(
        r#"
entities:
  - {id: x, kind: person, name: "X"}
  - {id: p, kind: organization, name: "P Ltd"}
  - {id: bank, kind: organization, name: "Bank"}
relations:
  - {id: r1, kind: owns, from: x, to: p, percent: 60,
     source: {publisher: Companies House, document: "confirmation statement <2023>", url: "https://find-and-update.company-information.service.gov.uk/x", published: 2023-03-01}}
designations:
  - {entity: x, list: OFAC-SDN, programs: [SDGT], listed_on: 2020-01-01, ref: "SDN 1"}
transactions:
  - {id: t, kind: payment, date: 2024-03-04, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: p}]}
"#,
    );
    let decision = decide_in(&policies, &facts, "t");
    let html = report::html(&[decision]);
    assert!(html.contains("<th>Source</th>"));
    assert!(
        html.contains("Companies House, confirmation statement &lt;2023&gt;"),
        "{html}"
    );
    assert!(!html.contains("href=\"https://find-and-update"));
}
