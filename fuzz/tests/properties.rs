//! Properties cheaper to state over generated values than to find by fuzzing: dates, the adding
//! up of stakes under the 50 % rule, and fmt on generated conditions.

use interdict::{Date, Facts, Outcome, PolicySet};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A plausible date prints as it parses, and dates order as (year, month, day).
    #[test]
    fn dates_round_trip_and_order(a in (1800u16..=2199, 1u8..=12, 1u8..=28), b in (1800u16..=2199, 1u8..=12, 1u8..=28)) {
        let (da, db) = (Date::new(a.0, a.1, a.2).unwrap(), Date::new(b.0, b.1, b.2).unwrap());
        prop_assert_eq!(da.to_string().parse::<Date>().unwrap(), da);
        prop_assert_eq!(da.cmp(&db), a.cmp(&b));
        prop_assert!(da < da.next_day());
    }

    /// Any year outside 1800–2199 is refused, whatever the month and day.
    #[test]
    fn implausible_years_are_refused(year in prop_oneof![0u16..1800, 2200u16..=9999], month in 1u8..=12, day in 1u8..=28) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        prop_assert!(text.parse::<Date>().is_err());
    }

    /// fmt reaches a fixed point on generated conditions, and what checks still checks.
    #[test]
    fn fmt_is_a_fixed_point(condition in condition()) {
        let text = format!("policy p \"P\" {{ jurisdiction US }}\nrule r: review\n  when {condition}\n  because \"x\"\n");
        interdict_fuzz::policy(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Under the US rule, designated owners' stakes add up: the company is blocked exactly when
    /// they reach 50 %, in whatever order the owners are listed.
    #[test]
    fn designated_stakes_add_up(hundredths in proptest::collection::vec(1u32..=3000, 1..12)) {
        let mut text = String::from("entities:\n  - {id: payer, kind: organization, name: Payer}\n  - {id: target, kind: organization, name: Target}\n");
        for i in 0..hundredths.len() {
            text.push_str(&format!("  - {{id: o{i}, kind: person, name: Owner {i}}}\n"));
        }
        text.push_str("relations:\n");
        for (i, h) in hundredths.iter().enumerate() {
            text.push_str(&format!("  - {{kind: owns, from: o{i}, to: target, percent: {}.{:02}}}\n", h / 100, h % 100));
        }
        text.push_str("designations:\n");
        for i in 0..hundredths.len() {
            text.push_str(&format!("  - {{entity: o{i}, list: OFAC-SDN, programs: [SDGT]}}\n"));
        }
        text.push_str("transactions:\n  - {id: t, kind: payment, date: 2024-03-01, parties: [{role: originator, entity: payer}, {role: beneficiary, entity: target}]}\n");
        let facts = Facts::from_text("stakes.yaml", &text).unwrap();
        let policy = "policy p \"P\" { jurisdiction US }\nrule r: block\n  when some p in transaction.parties: p is blocked and not p is designated\n  because \"x\"\n";
        let policies = PolicySet::from_sources([
            interdict::Source::new("p.policy", policy),
            interdict::Source::new("j.policy", JURISDICTIONS),
        ]).unwrap_or_else(|e| panic!("{}", e.render()));
        let decision = policies.decide(&facts, &facts.transactions()[0], None);
        let total: u32 = hundredths.iter().sum();
        prop_assert_eq!(decision.outcome == Outcome::Block, total >= 5000, "total {}", total);
    }
}

/// The shipped US jurisdiction: lists and the aggregated 50 % rule.
const JURISDICTIONS: &str = include_str!("../../policies/jurisdictions.policy");

/// Conditions built from comparisons, presence tests, `and`, `or`, `not` and parentheses.
fn condition() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..100_000).prop_map(|n| format!("transaction.amount.value >= {n}")),
        Just(String::from("transaction.amount.value is present")),
        Just(String::from("transaction.kind == \"payment\"")),
        Just(String::from(
            "some p in transaction.parties: p.country == \"KP\""
        )),
        Just(String::from("true")),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}
