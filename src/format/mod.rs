//! The canonical layout of policy files.
