//! Text that every decision under a policy set repeats: a rule's id, policy, jurisdiction, title,
//! citations and location. A decision holds a counted reference to the set's one copy, so a
//! reason costs no allocation for them (a fired rule used to copy nine strings into its reason,
//! and drop them with it: about a tenth of a decision's instructions on the peers workload).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string shared by reference count; it reads, compares, orders, hashes, prints and
/// serialises exactly as the `String` it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SharedText(Arc<str>);

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// So maps keyed by shared text are looked up by `&str`.
impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> SharedText {
        SharedText(Arc::from(text))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> SharedText {
        SharedText(Arc::from(text))
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedText> for str {
    fn eq(&self, other: &SharedText) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<SharedText> for String {
    fn eq(&self, other: &SharedText) -> bool {
        **self == *other.0
    }
}

/// As the string: `"designated_party"`, so debug output and snapshots read as they did.
impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedText, D::Error> {
        String::deserialize(deserializer).map(SharedText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::SharedText;

    #[test]
    fn reads_compares_and_serialises_as_its_string() {
        let shared = SharedText::from("designated_party");
        assert_eq!(shared, "designated_party");
        assert_eq!("designated_party", shared);
        assert_eq!(shared, String::from("designated_party"));
        assert_eq!(format!("{shared:?}"), format!("{:?}", "designated_party"));
        assert_eq!(shared.to_string(), "designated_party");
        let json = serde_json::to_string(&shared).unwrap_or_default();
        assert_eq!(json, "\"designated_party\"");
        let back: Result<SharedText, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(shared.clone()));
    }

    #[test]
    fn keys_a_map_in_string_order_and_are_found_by_str() {
        let verdicts: std::collections::BTreeMap<SharedText, u8> =
            [(SharedText::from("US"), 1), (SharedText::from("EU"), 2)].into();
        assert_eq!(verdicts.get("US"), Some(&1));
        let order: Vec<&str> = verdicts.keys().map(SharedText::as_str).collect();
        assert_eq!(order, ["EU", "US"]);
    }

    #[test]
    fn a_clone_shares_the_text() {
        let shared = SharedText::from("31 CFR 510.201");
        let clone = shared.clone();
        assert!(std::ptr::eq(shared.as_str(), clone.as_str()));
    }
}
