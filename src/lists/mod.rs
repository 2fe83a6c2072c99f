//! Importers of real sanctions lists into the entity store.
//!
//! Each importer reads one published format and returns an [`Import`]: a [`FactsDocument`] of
//! entities, designations and relations, and an [`ImportReport`] that says what was read and what
//! could not be used. The caller merges list documents with its own facts ([`merge`]) and loads the
//! result with [`Facts::from_document`](crate::Facts::from_document).
//!
//! | importer | reads | entity ids | designation list |
//! |---|---|---|---|
//! | [`ofac`] | OFAC's delimited `sdn.csv` (+ `alt.csv`, `add.csv`, `sdn_comments.csv`) | `ofac-24978` | `OFAC-SDN`, ref `SDN 24978` |
//! | [`un`] | the UN Security Council consolidated list XML | `un-KPe.001` | `UN`, ref `KPe.001` |
//! | [`eu`] | the EU consolidated financial sanctions list XML (FSF) | `eu-EU.36.64` | `EU`, ref `EU.36.64` |
//! | [`uk`] | OFSI's consolidated list CSV (`ConList.csv`, 2022 format) | `uk-11122` (Group ID) | `UK`, ref the Group ID |
//! | [`ftm`] | OpenSanctions FollowTheMoney JSON lines | `ftm-<id>` | from the sanctioning authority (`EU`, `UK`, ...) |
//!
//! Ids are namespaced by list and stable across imports of the same data, so a user's facts can
//! name `ofac-24978` in a relation. Lists describe people and companies in many fields; whatever
//! the facts format has no field for goes into `attributes` under these keys (lists where a list
//! can hold several values):
//!
//! - `dob`: dates of birth, ISO where the list gives a day (`1970-02-05`), else as written;
//! - `identifiers`: `Passport 927220230 (Korea, North)`, `Unified Social Credit Code (USCC) ...`,
//!   `Digital Currency Address - XBT ...`; the bare values of some also in `passports`, `uscc`,
//!   `swift_bic`, `imo`, `mmsi` and `digital_currency_addresses`, for exact matching;
//! - `addresses`, `nationalities`, `citizenships`, `place_of_birth`, `gender`, `titles`/`title`,
//!   `positions`, `weak_aliases` (low-quality aliases, not in `aliases` so screening does not use
//!   them by default), `sanctions_information`, `remarks` (OFAC's text, whole), `comments` (UN);
//! - UK: `countries` (the address country column), `regimes` (the regime as OFSI writes it) and
//!   `uk_designated` (the day the UK Sanctions List designated the entry).

mod common;
pub mod countries;
mod csv;
mod error;
pub mod eu;
pub mod ftm;
mod identity;
mod merge;
pub mod ofac;
mod remarks;
pub mod report;
pub mod snapshot;
pub mod uk;
pub mod un;
mod xml;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub(crate) use countries::code as country_code;
pub use error::{Damage, ListError};
pub use merge::{Clash, MergeError, merge};
pub use report::{Counts, ImportReport, Issue, IssueKind};
pub use snapshot::{Release, Snapshot, import_release};

use crate::facts::FactsDocument;

/// What one importer produced: the records and the report on them.
#[derive(Debug, Clone)]
pub struct Import {
    /// Entities, designations and relations, ready to merge and load.
    pub document: FactsDocument,
    /// What was read and what could not be used.
    pub report: ImportReport,
}

/// The list formats there is an importer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ListKind {
    /// OFAC's SDN list, delimited files in one folder (`ofac`).
    Ofac,
    /// OFAC's consolidated non-SDN list, `cons_prim.csv` and side files in one folder
    /// (`ofac-cons`).
    OfacCons,
    /// The UN Security Council consolidated list XML (`un`).
    Un,
    /// OpenSanctions FollowTheMoney JSON lines (`ftm`).
    Ftm,
    /// The EU consolidated financial sanctions list XML (`eu`).
    Eu,
    /// OFSI's UK consolidated list of financial sanctions targets, CSV (`uk`).
    Uk,
}

impl ListKind {
    /// The fewest entries a real release of the list has held: OFAC's SDN list has had thousands
    /// since the 1990s, the UN, EU and UK lists several hundred to thousands; the non-SDN lists
    /// and OpenSanctions datasets can be small, so only an empty one is refused. Fewer means a
    /// broken or cut download, unless the user accepts an excerpt knowingly.
    pub fn minimum_entries(self) -> usize {
        match self {
            ListKind::Ofac | ListKind::Eu | ListKind::Uk => 1_000,
            ListKind::Un => 300,
            ListKind::OfacCons | ListKind::Ftm => 1,
        }
    }

    /// The word used on the command line.
    pub fn keyword(self) -> &'static str {
        match self {
            ListKind::Ofac => "ofac",
            ListKind::OfacCons => "ofac-cons",
            ListKind::Un => "un",
            ListKind::Ftm => "ftm",
            ListKind::Eu => "eu",
            ListKind::Uk => "uk",
        }
    }
}

impl FromStr for ListKind {
    type Err = ListError;

    /// Reads `ofac`, `ofac-cons`, `un`, `ftm`, `eu` or `uk`, ignoring case.
    fn from_str(text: &str) -> Result<ListKind, ListError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ofac" => Ok(ListKind::Ofac),
            "ofac-cons" => Ok(ListKind::OfacCons),
            "un" => Ok(ListKind::Un),
            "ftm" => Ok(ListKind::Ftm),
            "eu" => Ok(ListKind::Eu),
            "uk" => Ok(ListKind::Uk),
            _ => Err(ListError::UnknownKind {
                text: text.to_owned(),
            }),
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// Imports the list at `path` with the importer for `kind`: a folder for OFAC, a file otherwise.
pub fn import(kind: ListKind, path: &Path) -> Result<Import, ListError> {
    match kind {
        ListKind::Ofac => ofac::import(path),
        ListKind::OfacCons => ofac::import_consolidated(path),
        ListKind::Un => un::import(path),
        ListKind::Ftm => ftm::import(path),
        ListKind::Eu => eu::import(path),
        ListKind::Uk => uk::import(path),
    }
}
