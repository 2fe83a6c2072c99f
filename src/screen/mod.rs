//! Name screening against the loaded lists.
