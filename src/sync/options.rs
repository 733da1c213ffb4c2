//! How a sync runs.

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The PSU is present (may answer an SCA); false for background refreshes.
    pub psu_requested: bool,
}
