//! Lists as dated, digested snapshots.
//!
//! A decision replayed years later must say which version of each list decided it. Each import is
//! therefore a [`Snapshot`]: the kind, the publisher, the publication date (from the file where it
//! states one, such as the UN list's `dateGenerated`; otherwise the `@DATE` the user gave), and a
//! digest of the files read. Every designation imported carries the snapshot as its `source`, and
//! where the list gives no listing date (OFAC's delimited files), `listed_by` is the snapshot's
//! date: before that day the listing is unknown, not "always".
//!
//! Several releases of one list bound the unknown dates further ([`bound_by_releases`]): an entry
//! first seen in the release of 2024-05-03 and absent from that of 2021-07-01 was listed after the
//! one and by the other.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Import, ListError, ListKind, ofac};
use crate::date::Date;
pub use crate::facts::records::ListSnapshot as Snapshot;
use crate::facts::{FactSource, FactsDocument};

/// One file of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotFile {
    /// The file name, without its folder.
    pub name: String,
    /// `sha256:` of its bytes.
    pub digest: String,
}

/// A list named for import: `KIND=PATH[,SIDE][@DATE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The importer.
    pub kind: ListKind,
    /// A folder for OFAC, a file otherwise.
    pub path: PathBuf,
    /// For OFAC: a later release's folder whose alias, address and comment files replace the
    /// first folder's (`ofac=2024-05,2025-12`).
    pub side: Option<PathBuf>,
    /// The publication date the user vouches for.
    pub date: Option<Date>,
    /// Use the list even when it holds fewer entries than any real release of its kind
    /// ([`ListKind::minimum_entries`]): the user knows it is an excerpt.
    pub accept_small: bool,
}

impl std::str::FromStr for Release {
    type Err = String;

    /// Reads `ofac=data/ofac/2024-05@2024-05-03`, `un=list.xml`, `ofac=A,B@DATE`.
    fn from_str(text: &str) -> Result<Release, String> {
        let (kind, rest) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not KIND=PATH, e.g. ofac=data/ofac/2024-05"))?;
        let kind = kind.parse::<ListKind>().map_err(|e| e.to_string())?;
        let (path, date) = match rest.rsplit_once('@') {
            Some((path, date)) => {
                let date = date
                    .parse::<Date>()
                    .map_err(|e| format!("after `@` in `{text}`: {e}"))?;
                (path, Some(date))
            }
            None => (rest, None),
        };
        let (path, side) = match (kind, path.split_once(',')) {
            (ListKind::Ofac, Some((main, side))) => (main, Some(PathBuf::from(side))),
            _ => (path, None),
        };
        Ok(Release {
            kind,
            path: PathBuf::from(path),
            side,
            date,
            accept_small: false,
        })
    }
}

/// Imports a release and stamps it as a snapshot: checks a stated date against `@DATE`, digests
/// the files, and gives every designation and relation its source (and `listed_by` where the
/// list has no listing date).
pub fn import_release(release: &Release) -> Result<(Import, Snapshot), ListError> {
    let (import, snapshot, _) = import_release_files(release)?;
    Ok((import, snapshot))
}

/// [`import_release`], with the digest of each file read.
pub fn import_release_files(
    release: &Release,
) -> Result<(Import, Snapshot, Vec<SnapshotFile>), ListError> {
    let mut import = import_raw(release)?;
    if !release.accept_small {
        plausible(release, &import)?;
    }
    let published = match (import.report.published, release.date) {
        (Some(stated), Some(given)) if stated != given => {
            return Err(ListError::DateContradiction {
                file: release.path.display().to_string(),
                stated,
                given,
            });
        }
        (Some(stated), _) => Some((stated, "file")),
        (None, Some(given)) => Some((given, "user")),
        (None, None) => None,
    };
    let files = import
        .report
        .sources
        .iter()
        .map(|path| digest_file(Path::new(path)))
        .collect::<Result<Vec<_>, _>>()?;
    let snapshot = Snapshot {
        kind: release.kind.keyword().to_owned(),
        list: import.report.list.clone(),
        publisher: publisher(release.kind).to_owned(),
        published: published.map(|(date, _)| date),
        published_from: published.map(|(_, from)| from.to_owned()),
        digest: combined_digest(&files),
    };
    stamp(&mut import.document, &snapshot);
    import.document.snapshots.push(snapshot.clone());
    Ok((import, snapshot, files))
}

/// Refuses a list with fewer entries than any real release of its kind: a zero-byte or cut
/// download would otherwise screen against nothing and let every payment through.
fn plausible(release: &Release, import: &Import) -> Result<(), ListError> {
    let minimum = release.kind.minimum_entries();
    let entities = import.report.counts.entities;
    if entities >= minimum {
        return Ok(());
    }
    Err(ListError::Implausible {
        path: release.path.display().to_string(),
        list: import.report.list.clone(),
        entities,
        minimum,
    })
}

/// The importer's own output, with OFAC side files taken from a later release when named.
fn import_raw(release: &Release) -> Result<Import, ListError> {
    match (release.kind, &release.side) {
        (ListKind::Ofac, Some(side)) => {
            let mut files = ofac::OfacFiles::in_folder(&release.path)?;
            let from_side = |name: &str| Some(side.join(name)).filter(|p| p.is_file());
            files.alt = from_side("alt.csv").or(files.alt);
            files.add = from_side("add.csv").or(files.add);
            files.comments = from_side("sdn_comments.csv").or(files.comments);
            ofac::import_files(&files)
        }
        _ => super::import(release.kind, &release.path),
    }
}

fn publisher(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Ofac => "OFAC (US Treasury)",
        ListKind::OfacCons => "OFAC (US Treasury), consolidated non-SDN lists",
        ListKind::Un => "UN Security Council",
        ListKind::Ftm => "OpenSanctions",
        ListKind::Eu => "European Union (Council; FSF)",
        ListKind::Uk => "HM Treasury (OFSI)",
    }
}

fn digest_file(path: &Path) -> Result<SnapshotFile, ListError> {
    let bytes = std::fs::read(path).map_err(|e| ListError::read(path, e))?;
    Ok(SnapshotFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        digest: format!("sha256:{:x}", Sha256::digest(&bytes)),
    })
}

fn combined_digest(files: &[SnapshotFile]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.digest.as_bytes());
        hasher.update([b'\n']);
    }
    format!("sha256:{:x}", hasher.finalize())
}

/// Gives each designation and relation of the list its source, and `listed_by` the snapshot's
/// date where the list gives no listing date.
fn stamp(document: &mut FactsDocument, snapshot: &Snapshot) {
    let source = |entry: Option<&str>| FactSource {
        publisher: snapshot.publisher.clone(),
        document: Some(match (snapshot.published, entry) {
            (Some(date), Some(entry)) => format!("{} of {date}, entry {entry}", snapshot.list),
            (None, Some(entry)) => format!("{} (undated), entry {entry}", snapshot.list),
            (Some(date), None) => format!("{} of {date}", snapshot.list),
            (None, None) => format!("{} (undated)", snapshot.list),
        }),
        published: snapshot.published,
        ..FactSource::default()
    };
    for designation in &mut document.designations {
        if designation.source.is_none() {
            designation.source = Some(source(designation.reference.as_deref()));
        }
        if designation.listed_on.is_none() && designation.listed_by.is_none() {
            designation.listed_by = snapshot.published;
        }
    }
    for relation in &mut document.relations {
        if relation.source.is_none() {
            relation.source = Some(source(None));
        }
    }
}

/// What [`bound_by_releases`] did, for the import report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Entries without a listing date, by the release date they were first seen in.
    pub first_seen: BTreeMap<Date, usize>,
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .first_seen
            .iter()
            .map(|(date, count)| {
                format!(
                    "{} first seen in the release of {date}",
                    super::common::thousands(*count)
                )
            })
            .collect();
        write!(
            f,
            "  listing dates bounded by the first release holding each entry: {}",
            parts.join(", ")
        )
    }
}

/// Bounds the unknown listing dates of `document` (a snapshot published on `latest`) by earlier
/// releases of the same list: for each designation without `listed_on`, `listed_by` becomes the
/// date of the earliest release whose references include it, and `unlisted_on` the date of the
/// release before that (which did not). It assumes an entry stays listed from the release it first
/// appears in on, which holds for lists that keep their references, such as OFAC's ent_num.
pub fn bound_by_releases(
    document: &mut FactsDocument,
    latest: Date,
    earlier: &[(Date, HashSet<String>)],
) -> Bounds {
    let mut releases: Vec<&(Date, HashSet<String>)> =
        earlier.iter().filter(|(date, _)| *date < latest).collect();
    releases.sort_by_key(|(date, _)| *date);
    let mut bounds = Bounds::default();
    for designation in &mut document.designations {
        if designation.listed_on.is_some() {
            continue;
        }
        let Some(reference) = designation.reference.as_deref() else {
            continue;
        };
        let first = releases
            .iter()
            .position(|(_, references)| references.contains(reference));
        let (by, after) = match first {
            Some(position) => (
                releases.get(position).map(|(date, _)| *date),
                position
                    .checked_sub(1)
                    .and_then(|p| releases.get(p))
                    .map(|(date, _)| *date),
            ),
            None => (Some(latest), releases.last().map(|(date, _)| *date)),
        };
        designation.listed_by = by;
        designation.unlisted_on = after;
        if let Some(by) = by {
            *bounds.first_seen.entry(by).or_default() += 1;
        }
    }
    bounds
}

/// The designation references of an earlier release, to pass to [`bound_by_releases`].
pub fn release_references(release: &Release) -> Result<(Date, HashSet<String>), ListError> {
    let (import, snapshot) = import_release(release)?;
    let date = snapshot
        .published
        .ok_or_else(|| ListError::UndatedRelease {
            path: release.path.display().to_string(),
        })?;
    let references = import
        .document
        .designations
        .into_iter()
        .filter_map(|d| d.reference)
        .collect();
    Ok((date, references))
}

/// The publication date and entry references of each earlier release, by kind: what
/// [`import_bounded`] bounds a later release's listing dates with.
pub type EarlierReleases = Vec<(ListKind, (Date, HashSet<String>))>;

/// Imports `release`, bounding its unknown listing dates by the `earlier` releases of its kind
/// (an entry absent from a dated release was not listed on that date); the bounds applied, when
/// there were earlier releases of its kind.
pub fn import_bounded(
    release: &Release,
    earlier: &EarlierReleases,
) -> Result<(Import, Option<Bounds>), ListError> {
    let (mut imported, snapshot) = import_release(release)?;
    let releases: Vec<_> = earlier
        .iter()
        .filter(|(kind, _)| *kind == release.kind)
        .map(|(_, dated)| dated.clone())
        .collect();
    if releases.is_empty() {
        return Ok((imported, None));
    }
    let latest = snapshot
        .published
        .ok_or_else(|| ListError::UnboundedRelease {
            path: release.path.display().to_string(),
        })?;
    let bounds = bound_by_releases(&mut imported.document, latest, &releases);
    Ok((imported, Some(bounds)))
}
