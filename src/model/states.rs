//! ConnectionState values (powens-api.md §6, §11).

pub const ALL: [&str; 12] = [
    "SCARequired",
    "webauthRequired",
    "additionalInformationNeeded",
    "decoupled",
    "validating",
    "actionNeeded",
    "passwordExpired",
    "wrongpass",
    "rateLimiting",
    "websiteUnavailable",
    "bug",
    "notSupported",
];

/// The canonical spelling of a state, if it is one.
pub fn canonical(s: &str) -> Option<&'static str> {
    ALL.iter().copied().find(|x| *x == s)
}
