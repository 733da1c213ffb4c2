//! Powens JSON shapes and wire formats.

pub mod catalogue;
pub mod expand;
pub mod format;
