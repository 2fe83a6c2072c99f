//! One error type for library users: every stage's error converts into [`Error`], whose
//! `Display` is the message a person needs (for policies, each problem rendered with its file,
//! line, column and caret, not a count).

use crate::compile::PolicyError;
use crate::date::DateError;
use crate::facts::FactsError;
use crate::lists::{ListError, MergeError};
use crate::screen::DispositionError;
use crate::store::RequestError;

/// Anything that stops Interdict from deciding: policies that do not check, facts or lists that
/// do not load, a request whose parties the store does not hold.
///
/// ```
/// use interdict::{PolicySet, Source};
///
/// let error = interdict::Error::from(
///     PolicySet::from_sources([Source::new("p.policy", "rule r: block when")]).unwrap_err(),
/// );
/// assert_eq!(error.code(), "invalid_policies");
/// assert_eq!(error.exit_code(), 1);
/// assert!(error.to_string().starts_with("p.policy:1:"), "{error}");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policies could not be read or do not check.
    #[error("{}", render_policy(.0))]
    Policy(#[from] PolicyError),
    /// The facts could not be read or do not fit together.
    #[error("{}", render_facts(.0))]
    Facts(#[from] FactsError),
    /// A sanctions list could not be imported.
    #[error(transparent)]
    List(#[from] ListError),
    /// Documents merged into one store clash.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A register of screening dispositions could not be used.
    #[error(transparent)]
    Disposition(#[from] DispositionError),
    /// A request cannot be decided against the store.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A text is not a date.
    #[error(transparent)]
    Date(#[from] DateError),
}

impl Error {
    /// A stable, machine-readable name for the kind of error, as the HTTP service reports it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Policy(PolicyError::Invalid { .. }) => "invalid_policies",
            Error::Policy(_) => "unreadable_policies",
            Error::Facts(_) => "invalid_facts",
            Error::List(_) => "invalid_list",
            Error::Merge(_) => "conflicting_documents",
            Error::Disposition(_) => "invalid_dispositions",
            Error::Request(_) => "invalid_request",
            Error::Date(_) => "invalid_date",
        }
    }

    /// The exit code the `interdict` command ends with on this error: 1 for policies that do
    /// not check, 2 for input that cannot be read or used.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Policy(PolicyError::Invalid { .. }) => 1,
            _ => 2,
        }
    }
}

/// The facts problems rendered in full, as the command line prints them ([`FactsError::render`]:
/// every problem, not the first three), without the trailing newline.
fn render_facts(error: &FactsError) -> String {
    without_prefix(&error.render())
}

/// The policy problems rendered in full, without the trailing newline.
fn render_policy(error: &PolicyError) -> String {
    without_prefix(&error.render())
}

/// A rendering without its trailing newline, nor the `error: ` the command line starts a lone
/// message with (a caller adds its own).
fn without_prefix(rendered: &str) -> String {
    let rendered = rendered.trim_end();
    rendered
        .strip_prefix("error: ")
        .unwrap_or(rendered)
        .to_owned()
}
