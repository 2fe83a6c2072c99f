//! Importers of real sanctions lists into the entity store.
