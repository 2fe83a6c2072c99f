//! The one door to YAML.
//!
//! Interdict reads and writes YAML through serde with `serde-saphyr`: maintained, pure Rust, free of
//! panics, and it rejects duplicate keys. `strict_booleans` is on so that `country: NO` stays Norway
//! instead of becoming `false`. Keeping the crate behind this module means a change of YAML library
//! touches one file.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A YAML problem with its position, when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line, if known.
    pub line: Option<u64>,
    /// 1-based column, if known.
    pub column: Option<u64>,
    /// What went wrong, without the position.
    pub message: String,
}

/// The most YAML nodes (mappings, sequences, scalars) one document may hold.
const MAX_NODES: usize = 50_000_000;

/// Parses one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        // A store of a million entities is tens of millions of YAML nodes; the parser's defaults
        // (a quarter of a million) are for configuration files. Aliases, anchors and nesting
        // keep their defaults, which stop alias bombs and stack exhaustion.
        budget: serde_saphyr::budget! {
            max_nodes: MAX_NODES,
            max_events: 2 * MAX_NODES,
            max_total_scalar_bytes: 1 << 30,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let location = error.location();
        YamlError {
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: first_line(&error.to_string()),
        }
    })
}

/// Writes `value` as a YAML document.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

/// The message as an analyst should read it: without the trailing position (callers print it as
/// `file:line:col`) and without advice about the parser's own programming interface.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    let line = line.split(" at line ").next().unwrap_or(line);
    if line.starts_with("budget breached") {
        return format!(
            "the document is larger or more deeply nested than Interdict reads ({line}); split it, or check it for alias bombs"
        );
    }
    if line.starts_with("multiple YAML documents") {
        return String::from(
            "a facts file holds one YAML document; remove the extra `---` separator",
        );
    }
    line.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(line)
        .to_owned()
}
