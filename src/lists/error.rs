//! Why a list file could not be imported.
//!
//! Every error names the file and, where the file was read at all, the line (or record) at fault,
//! says what is wrong and what to do about it: an analyst fed a truncated download or a file saved
//! in the wrong encoding must be able to fix it without reading the importer's code.

use std::path::Path;

/// What sort of damage a [`ListError::Malformed`] reports, for callers that react differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Damage {
    /// The bytes are not UTF-8 text.
    Encoding,
    /// A CSV row is mis-quoted, has the wrong number of fields or a stray end byte.
    Csv,
    /// The file stops before its last record is complete.
    Truncated,
    /// The XML is not well formed, or is not a UN consolidated list.
    Xml,
    /// A line is not a JSON object, or not a FollowTheMoney entity.
    Json,
    /// A field that must hold a number or id holds something else.
    Value,
}

/// Why a list could not be imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    /// The file or folder could not be read.
    #[error("cannot read `{path}`: {source}; check the path and that the file is readable")]
    Read {
        /// The path given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// An OFAC folder without its main file.
    #[error(
        "`{folder}` holds no `sdn.csv`; point at the folder with OFAC's delimited files \
         (sdn.csv and optionally alt.csv, add.csv, sdn_comments.csv)"
    )]
    MissingSdn {
        /// The folder given.
        folder: String,
    },
    /// The file was read but its content is damaged at a known place.
    #[error("{file}:{line}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// 1-based line of the damage.
        line: u64,
        /// The sort of damage.
        damage: Damage,
        /// What is wrong and what to do.
        message: String,
    },
    /// The publication date given with `@DATE` is not the one the file states.
    #[error(
        "`{file}` states it was published on {stated}, but {given} was given with `@{given}`; \
         drop `@{given}` or give `@{stated}`"
    )]
    DateContradiction {
        /// The file that states a date.
        file: String,
        /// The date in the file.
        stated: crate::date::Date,
        /// The date given on the command line.
        given: crate::date::Date,
    },
    /// A release to be bounded by earlier releases, without a publication date.
    #[error("`{path}` needs its publication date (@YYYY-MM-DD) to be bounded by earlier releases")]
    UnboundedRelease {
        /// The path given.
        path: String,
    },
    /// An earlier release given to bound listing dates, without a publication date.
    #[error(
        "the earlier release `{path}` has no publication date; give it as KIND=PATH@YYYY-MM-DD"
    )]
    UndatedRelease {
        /// The path given.
        path: String,
    },
    /// A list with fewer entries than any real release of its kind.
    #[error(
        "`{path}` holds {entities} entries, and a real {list} holds at least {minimum}: the file \
         is probably a broken or cut download, and screening against it would miss designated \
         parties; download it again, or pass --accept-small-lists to use it knowingly (an excerpt)"
    )]
    Implausible {
        /// The file or folder given.
        path: String,
        /// The list, as the import report names it.
        list: String,
        /// The entries imported.
        entities: usize,
        /// The fewest a real release holds ([`ListKind::minimum_entries`](super::ListKind::minimum_entries)).
        minimum: usize,
    },
    /// A list kind that is not one of the importers.
    #[error("`{text}` is not a list kind; use `ofac`, `ofac-cons`, `un`, `ftm`, `eu` or `uk`")]
    UnknownKind {
        /// What was given.
        text: String,
    },
}

impl ListError {
    /// The file at fault, when the error is about one file.
    pub fn file(&self) -> Option<&str> {
        match self {
            ListError::Read { path, .. }
            | ListError::Implausible { path, .. }
            | ListError::UnboundedRelease { path } => Some(path),
            ListError::Malformed { file, .. } => Some(file),
            ListError::DateContradiction { file, .. } => Some(file),
            ListError::MissingSdn { .. }
            | ListError::UnknownKind { .. }
            | ListError::UndatedRelease { .. } => None,
        }
    }

    /// The 1-based line of the damage, when the file was read.
    pub fn line(&self) -> Option<u64> {
        match self {
            ListError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The sort of damage, for a malformed file.
    pub fn damage(&self) -> Option<Damage> {
        match self {
            ListError::Malformed { damage, .. } => Some(*damage),
            _ => None,
        }
    }

    /// A read error for `path`.
    pub(crate) fn read(path: &Path, source: std::io::Error) -> ListError {
        ListError::Read {
            path: path.display().to_string(),
            source,
        }
    }

    /// A damaged-file error.
    pub(crate) fn malformed(
        file: &str,
        line: u64,
        damage: Damage,
        message: impl Into<String>,
    ) -> ListError {
        ListError::Malformed {
            file: file.to_owned(),
            line,
            damage,
            message: message.into(),
        }
    }
}
