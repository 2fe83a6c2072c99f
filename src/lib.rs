//! Interdict is a sanctions-compliance policy engine: compliance teams write rules in a small
//! policy language, and the engine applies them to the facts of a payment, invoice or contract,
//! returning **block**, **review** or **allow** with an explanation a lawyer can sign.
//!
//! ```
//! use interdict::{Facts, PolicySet, Source, explain};
//!
//! let policy = r#"
//!     policy ofac_dprk "OFAC — North Korea" { jurisdiction US  cite "31 CFR Part 510" }
//!     let dprk_programs = {"DPRK", "DPRK2", "DPRK3", "DPRK4"}
//!     rule designated_party: block
//!       when some p in transaction.parties: p is designated under dprk_programs
//!       because "{p.name} is designated: {p.designations}"
//!       cite "31 CFR 510.201"
//! "#;
//! let facts = r#"
//! entities:
//!   - {id: volasys, kind: organization, name: "Volasys Silver Star", country: RU}
//!   - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}
//! designations:
//!   - {entity: volasys, list: OFAC-SDN, programs: [DPRK3, DPRK4], listed_on: 2018-09-13, ref: "SDN 24978"}
//! transactions:
//!   - id: tx-1
//!     kind: payment
//!     date: 2024-03-01
//!     parties: [{role: originator, entity: acme}, {role: beneficiary, entity: volasys}]
//! "#;
//! let policies = PolicySet::from_sources([Source::new("dprk.policy", policy)])?;
//! let facts = Facts::from_text("facts.yaml", facts)?;
//! let decision = policies.decide(&facts, &facts.transactions()[0], None);
//! assert_eq!(decision.outcome, interdict::Outcome::Block);
//! println!("{}", explain::memo(&decision));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A payment switch loads the policies and the store once, then decides each new payment as it
//! comes, its counterparty named by store id or described inline and screened on the spot (the
//! README's "As a library", run from the repository's root): see [`store`] ([`Store`],
//! [`Request`], [`decide`], [`Shared`]).
//!
//! ```
//! use interdict::facts::{EntityKind, EntityRecord};
//! use interdict::{PolicySet, Request, RequestParty, Sources, decide, explain, lists::Release};
//!
//! let policies = PolicySet::load(&["policies/"])?;                  // parse, check, compile once
//! let mut excerpt: Release = "ofac=tests/fixtures/lists/ofac_identity".parse()?;
//! excerpt.accept_small = true;                                      // a five-entry excerpt, knowingly
//! let store = Sources::new("examples/silverstar.yaml")              // load, index, screen once
//!     .with_list(excerpt)
//!     .load_store(interdict::screen::DEFAULT_THRESHOLD)?;
//! let payee = EntityRecord::new("cust-1", EntityKind::Organization, "Volasys Silverstar").with_country("RU");
//! let payment = Request::new("pay-77", "payment", "2024-03-01".parse()?)
//!     .with_amount(9_500.0, "USD")
//!     .with_party(RequestParty::stored("originator", "acme"))
//!     .with_party(RequestParty::inline("beneficiary", payee));
//! println!("{}", explain::memo(&decide(&policies, &store, &payment)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The pipeline, one module per stage: policy text is parsed, checked (names and types) and
//! compiled into a shareable [`PolicySet`] (the parser, syntax tree, checker and plan are
//! internal); [`facts`] is the shared data model (entities, relations, designations, lists);
//! [`eval`] decides; [`explain`] writes memos and JSON. Every stage's error converts into
//! [`Error`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The policy parser is generated for pest without its `std` feature (see `src/syntax/mod.rs`),
// and that code names `alloc` from the crate root.
extern crate alloc;

pub(crate) mod ast;
#[cfg(feature = "audit")]
pub mod audit;
pub(crate) mod check;
pub(crate) mod compile;
pub(crate) mod country_names;
pub mod date;
pub mod diagnostic;
pub(crate) mod encoding;
pub mod error;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod format;
pub mod lists;
pub(crate) mod number;
pub(crate) mod plan;
pub mod programs;
pub mod record;
pub mod report;
pub mod screen;
pub mod shared_text;
pub mod source;
pub mod store;
pub(crate) mod syntax;
pub mod testing;
mod yaml;

pub use check::PolicyInfo;
pub use compile::{POLICY_EXTENSION, PolicyError, PolicySet, RuleSummary};
pub use date::Date;
pub use error::Error;
pub use eval::{Decision, Evidence, Outcome, Reason};
pub use facts::{Facts, FactsError};
pub use shared_text::SharedText;
pub use source::Source;
pub use store::{PartyEntity, Request, RequestError, RequestParty, Shared, Sources, Store, decide};
