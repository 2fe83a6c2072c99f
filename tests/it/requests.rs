//! A store loaded once and requests decided against it: parties named by store id decide as the
//! same transaction in a facts file does, and parties the store has never seen are screened on
//! the fly (OFAC FAQ 5: a name alone is a possible match; a name with an identifier the entry
//! gives is confirmed). Runs on the SDN excerpt shipped under `tests/fixtures/lists/ofac_identity`.

use interdict::facts::{FactsDocument, PartyRecord};
use interdict::screen::{DEFAULT_THRESHOLD, Screening};
use interdict::{
    Facts, Outcome, PartyEntity, PolicySet, Request, RequestParty, Shared, Store, decide, explain,
    lists,
};

/// The unlabelled payments' facts merged with the SDN excerpt.
fn payments_with_list() -> FactsDocument {
    let user = FactsDocument::read(crate::at("examples/unlabelled-payments.yaml")).unwrap();
    let list = lists::import(
        lists::ListKind::Ofac,
        &crate::at("tests/fixtures/lists/ofac_identity"),
    )
    .unwrap()
    .document;
    lists::merge([("payments", user), ("ofac", list)]).unwrap()
}

/// A facts-file transaction as a request: the same JSON shape.
fn as_request(transaction: &interdict::facts::TransactionRecord) -> Request {
    serde_json::from_value(serde_json::to_value(transaction).unwrap()).unwrap()
}

#[test]
fn a_request_naming_store_parties_decides_byte_for_byte_as_the_facts_file_transaction() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let document = FactsDocument::read(crate::at("examples/silverstar.yaml")).unwrap();
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let from_file = policies.decide_all(&facts, None);
    let store = Store::new(facts);
    let requested: Vec<_> = document
        .transactions
        .iter()
        .map(|t| decide(&policies, &store, &as_request(t)).unwrap())
        .collect();
    assert_eq!(from_file.len(), document.transactions.len());
    assert!(from_file.len() > 10);
    assert_eq!(explain::json(&requested), explain::json(&from_file));
    assert!(requested.iter().all(|d| &*d.facts_digest == store.digest()));
}

/// The same five payments, once with the customers in the store and once with only the
/// originator there and each customer described inline: the same outcomes, rules and messages.
#[test]
fn inline_counterparties_are_screened_as_stored_ones_are() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let merged = payments_with_list();
    let stored = Facts::from_document("payments+ofac", merged.clone()).unwrap();
    let screening = Screening::new(&stored, DEFAULT_THRESHOLD);
    let options = interdict::eval::DecideOptions {
        as_of: None,
        screening: Some(&screening),
        ..Default::default()
    };
    let expected = policies.decide_all_with(&stored, options);

    // The store keeps the list and the originator; the customers arrive with the payments.
    let mut lists_only = merged.clone();
    lists_only.entities.retain(|e| !e.id.starts_with("cust-"));
    lists_only.transactions.clear();
    let store = Store::new(Facts::from_document("ofac", lists_only).unwrap())
        .with_screening(DEFAULT_THRESHOLD);
    let customers: Vec<_> = merged
        .entities
        .iter()
        .filter(|e| e.id.starts_with("cust-"))
        .cloned()
        .collect();
    for (transaction, expected) in merged.transactions.iter().zip(&expected) {
        let mut request = as_request(transaction);
        for party in &mut request.parties {
            let PartyEntity::Stored(id) = &party.entity else {
                continue;
            };
            if let Some(customer) = customers.iter().find(|c| &c.id == id) {
                *party = RequestParty::inline(party.role.clone(), customer.clone());
            }
        }
        let decision = decide(&policies, &store, &request).unwrap();
        let id = &decision.transaction;
        assert_eq!(decision.outcome, expected.outcome, "{id}");
        let rules = |d: &interdict::Decision| -> Vec<(String, String)> {
            d.reasons
                .iter()
                .map(|r| (r.rule.to_string(), r.message.clone()))
                .collect()
        };
        assert_eq!(rules(&decision), rules(expected), "{id}");
        assert_eq!(decision.summary, expected.summary, "{id}");
    }
    use Outcome::{Allow, Block, Review};
    let outcomes: Vec<Outcome> = expected.iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes, [Review, Block, Block, Allow, Allow]);
}

#[test]
fn a_party_the_store_does_not_hold_is_an_error_naming_it() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let store = Store::new(Facts::load(crate::at("examples/silverstar.yaml")).unwrap());
    let request: Request = serde_json::from_str(
        r#"{"id": "pay-9", "kind": "payment", "date": "2024-03-01",
            "parties": [{"role": "originator", "entity": "acme"},
                        {"role": "beneficiary", "entity": "nobody"}]}"#,
    )
    .unwrap();
    let error = decide(&policies, &store, &request).unwrap_err();
    assert_eq!(error.field, "parties[1]");
    let message = interdict::Error::from(error).to_string();
    assert!(
        message.starts_with(
            "request `pay-9`, parties[1]: names entity `nobody`, which is not in the store"
        ),
        "{message}"
    );
    assert!(message.contains("describe the party inline"), "{message}");
}

#[test]
fn a_request_attribute_of_the_wrong_declared_type_is_an_error_naming_it() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let store = Store::new(Facts::load(crate::at("examples/silverstar.yaml")).unwrap());
    let request: Request = serde_json::from_str(
        r#"{"id": "pay-10", "kind": "payment", "date": "2024-03-01",
            "attributes": {"beneficiary_bank_country": "DE"},
            "parties": [{"role": "originator", "entity": "acme"},
                        {"role": "contractor", "kind": "person", "name": "Jon Smith",
                         "attributes": {"refused_video": "no"}}]}"#,
    )
    .unwrap();
    let error = decide(&policies, &store, &request).unwrap_err();
    assert_eq!(error.field, "parties[1]");
    assert!(
        error
            .message
            .starts_with("attribute `refused_video` is \"no\", not true or false"),
        "{error}"
    );
}

#[test]
fn a_party_must_be_a_store_id_or_an_inline_entity_not_both() {
    let parse = |party: &str| {
        serde_json::from_str::<Request>(&format!(
            r#"{{"id": "p", "kind": "payment", "date": "2024-03-01", "parties": [{party}]}}"#
        ))
    };
    let both = parse(r#"{"role": "payee", "entity": "acme", "name": "Acme"}"#).unwrap_err();
    assert!(both.to_string().contains("give either `entity`"), "{both}");
    let neither = parse(r#"{"role": "payee", "country": "RU"}"#).unwrap_err();
    assert!(
        neither.to_string().contains("its `name` and `kind`"),
        "{neither}"
    );
    let unknown = parse(r#"{"role": "payee", "entity": "acme", "colour": "red"}"#).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `colour`"),
        "{unknown}"
    );
    let inline = parse(r#"{"role": "payee", "kind": "person", "name": "Song Hwa Jong", "birth_date": "1970-02-05"}"#)
        .unwrap();
    // Written back, a request reads the same.
    let again: Request = serde_json::from_str(&serde_json::to_string(&inline).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&inline).unwrap()
    );
}

#[test]
fn two_inline_parties_need_ids_of_their_own() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let store = Store::new(Facts::load(crate::at("examples/silverstar.yaml")).unwrap());
    let party = |name: &str| {
        RequestParty::inline(
            "intermediary",
            interdict::facts::EntityRecord::new(
                "",
                interdict::facts::EntityKind::Organization,
                name,
            ),
        )
    };
    let request = Request::new("pay-3", "payment", "2024-03-01".parse().unwrap())
        .with_party(party("First Bank"))
        .with_party(party("Second Bank"));
    let error = decide(&policies, &store, &request).unwrap_err();
    assert_eq!(error.field, "parties[1]");
    assert!(error.message.contains("`inline:intermediary`"), "{error}");
    // A store id used for an inline party would make the evidence name two entities alike.
    let taken = Request::new("pay-4", "payment", "2024-03-01".parse().unwrap()).with_party(
        RequestParty::inline(
            "payee",
            interdict::facts::EntityRecord::new(
                "acme",
                interdict::facts::EntityKind::Organization,
                "Acme",
            ),
        ),
    );
    let error = decide(&policies, &store, &taken).unwrap_err();
    assert!(error.message.contains("is a store entity's id"), "{error}");
}

/// A decision started on one store finishes on it after a newer store is put in place.
#[test]
fn a_replaced_store_serves_the_decisions_already_under_way() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let document = FactsDocument::read(crate::at("examples/silverstar.yaml")).unwrap();
    let shared = Shared::new(Store::new(
        Facts::from_document("before", document.clone()).unwrap(),
    ));
    let in_flight = shared.load();
    // The delisting of Volasys Silver Star, as a new store.
    let mut delisted = document.clone();
    delisted.designations.retain(|d| d.entity != "volasys");
    let old = shared.replace(Store::new(Facts::from_document("after", delisted).unwrap()));
    assert_eq!(old.digest(), in_flight.digest());
    let payment = Request::new("tx-1001", "payment", "2024-03-01".parse().unwrap())
        .with_party(RequestParty::stored("originator", "acme"))
        .with_party(RequestParty::stored("beneficiary", "volasys"));
    let before = decide(&policies, &in_flight, &payment).unwrap();
    let after = decide(&policies, &shared.load(), &payment).unwrap();
    assert_eq!(before.outcome, Outcome::Block);
    assert_ne!(after.outcome, Outcome::Block);
    assert_eq!(&*before.facts_digest, in_flight.digest());
    assert_eq!(&*after.facts_digest, shared.load().digest());
    assert_ne!(before.facts_digest, after.facts_digest);
}

#[test]
fn a_party_record_names_its_entity_as_a_request_party_does() {
    // The facts file's party record and the request's stored party are the same JSON.
    let record = PartyRecord {
        role: "payee".into(),
        entity: "acme".into(),
    };
    let party: RequestParty =
        serde_json::from_value(serde_json::to_value(&record).unwrap()).unwrap();
    assert!(matches!(party.entity, PartyEntity::Stored(ref id) if id == "acme"));
}

/// The README's "As a library" example, as written there.
#[test]
fn the_readme_library_example_decides_a_new_payment() -> Result<(), Box<dyn std::error::Error>> {
    use interdict::facts::{EntityKind, EntityRecord};
    use interdict::{Sources, lists::Release};
    let root = crate::root();
    let policies = PolicySet::load(&[root.join("policies/")])?;
    let mut excerpt: Release = format!(
        "ofac={}",
        root.join("tests/fixtures/lists/ofac_identity").display()
    )
    .parse()?;
    excerpt.accept_small = true; // a five-entry excerpt of the SDN list, knowingly
    let store = Sources::new(root.join("examples/silverstar.yaml"))
        .with_list(excerpt)
        .load_store(DEFAULT_THRESHOLD)?;
    let payee = EntityRecord::new("cust-1", EntityKind::Organization, "Volasys Silverstar")
        .with_country("RU");
    let payment = Request::new("pay-77", "payment", "2024-03-01".parse()?)
        .with_amount(9_500.0, "USD")
        .with_party(RequestParty::stored("originator", "acme"))
        .with_party(RequestParty::inline("beneficiary", payee));
    let decision = decide(&policies, &store, &payment)?;
    // A name, kind and country alone make a possible match: review, never a block (OFAC FAQ 5).
    assert_eq!(decision.outcome, Outcome::Review);
    let memo = explain::memo(&decision);
    assert!(memo.contains("Volasys Silverstar"), "{memo}");
    assert!(memo.contains("possibly matches an SDN entry"), "{memo}");
    assert!(memo.contains("SDN 24978"), "{memo}");
    assert_eq!(&*decision.facts_digest, store.digest());
    Ok(())
}

/// A store of the lists alone, with no facts file, as a screening service or the Python binding
/// loads one: the listed entities, under the name `lists`; `load` and `read` build the same facts.
#[test]
fn sources_of_the_lists_alone_load_the_listed_entities() -> Result<(), Box<dyn std::error::Error>> {
    use interdict::{Sources, lists::Release};
    let mut excerpt: Release = format!(
        "ofac={}",
        crate::at("tests/fixtures/lists/ofac_identity").display()
    )
    .parse()?;
    excerpt.accept_small = true;
    let facts = Sources::lists_only().with_list(excerpt.clone()).load()?;
    assert_eq!(facts.name(), "lists");
    assert_eq!(facts.entity_count(), 5);
    assert!(facts.transactions().is_empty());
    let read = Sources::lists_only().with_list(excerpt).read()?;
    assert_eq!(read.facts.digest(), facts.digest());
    Ok(())
}

/// The README's "As a library" example is, line for line, the crate documentation's example that
/// `cargo test --doc` compiles and runs: the two cannot drift apart.
#[test]
fn the_readme_library_example_is_the_crate_doc_example() {
    let readme = std::fs::read_to_string(crate::at("README.md")).unwrap();
    let section = &readme[readme.find("## As a library").unwrap()..];
    let start = section.find("```rust\n").unwrap() + "```rust\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let lib = std::fs::read_to_string(crate::at("src/lib.rs")).unwrap();
    let doc: String = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| format!("{}\n", line.strip_prefix(' ').unwrap_or(line)))
        .collect();
    assert!(block.lines().count() >= 10, "{block}");
    assert!(
        doc.contains(block),
        "the README's example is not in src/lib.rs:\n{block}"
    );
}

/// A decision read back from its JSON is the decision: a system that stores decisions as JSON
/// can reload them, evidence, verdicts, name matches and counterfactuals included.
#[test]
fn decisions_read_back_from_json_are_equal() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let mut decisions = policies.decide_all(&facts, None);
    for decision in &mut decisions {
        policies.what_would_change(decision);
    }
    let merged = payments_with_list();
    let screened = Facts::from_document("payments+ofac", merged).unwrap();
    let screening = Screening::new(&screened, DEFAULT_THRESHOLD);
    decisions.extend(policies.decide_all_with(
        &screened,
        interdict::eval::DecideOptions {
            as_of: None,
            screening: Some(&screening),
            ..Default::default()
        },
    ));
    assert!(
        decisions
            .iter()
            .any(|d| d.reasons.iter().any(|r| !r.counterfactuals.is_empty()))
    );
    for decision in &decisions {
        let json = serde_json::to_string(decision).unwrap();
        let read: interdict::Decision = serde_json::from_str(&json).unwrap();
        assert_eq!(&read, decision, "{}", decision.transaction);
    }
}

/// A store, the policies and a shared store are shared by every thread of a payment switch.
#[test]
fn store_policies_and_requests_cross_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Store>();
    shareable::<PolicySet>();
    shareable::<Shared<Store>>();
    shareable::<Request>();
    shareable::<interdict::Error>();
}

/// A store written from code with the records' constructors, not a facts file: a company 60 %
/// owned by a designated one is blocked under the 50 % rule (OFAC guidance of 13 August 2014),
/// and the memo names the owner and its list entry.
#[test]
fn a_store_built_from_record_constructors_decides_as_a_facts_file_does() {
    use interdict::facts::{
        DesignationRecord, EntityKind, EntityRecord, RelationKind, RelationRecord,
        TransactionRecord,
    };
    let day = |text: &str| text.parse().unwrap();
    let document = FactsDocument {
        entities: vec![
            EntityRecord::new("owner", EntityKind::Organization, "Volasys Silver Star")
                .with_country("RU"),
            EntityRecord::new("held", EntityKind::Organization, "Silver Star Software OOO")
                .with_country("RU"),
            EntityRecord::new("acme", EntityKind::Organization, "Acme Analytics Inc.")
                .with_country("US"),
        ],
        relations: vec![
            RelationRecord::new(RelationKind::Owns, "owner", "held")
                .with_id("stake-1")
                .with_percent(60.0)
                .with_period(Some(day("2019-02-01")), None),
        ],
        designations: vec![
            DesignationRecord::new("owner", "OFAC-SDN")
                .with_programs(["DPRK3", "DPRK4"])
                .with_listed_on(day("2018-09-13"))
                .with_reference("SDN 24978"),
        ],
        transactions: vec![
            TransactionRecord::new("pay-1", "payment", day("2024-03-01"))
                .with_amount(12_000.0, "USD")
                .with_party("originator", "acme")
                .with_party("beneficiary", "held"),
        ],
        ..FactsDocument::default()
    };
    let policies = PolicySet::load(&[crate::at("policies/ofac_dprk.policy")]).unwrap();
    let store = Store::new(Facts::from_document("built", document.clone()).unwrap());
    let payment = as_request(&document.transactions[0]);
    let decision = decide(&policies, &store, &payment).unwrap();
    assert_eq!(decision.outcome, Outcome::Block);
    let memo = explain::memo(&decision);
    for expected in [
        "Silver Star Software OOO",
        "Volasys Silver Star",
        "SDN 24978",
        "60",
    ] {
        assert!(memo.contains(expected), "{expected} missing from:\n{memo}");
    }
}
