//! The rules about a connection's sources: which kind each is, which one a pending step
//! applies to and which one serves an account type.

use crate::model::catalogue::{Connector, ConnectorSource};
use crate::store::connections::Source;
use crate::sync::states::Pending;

fn connector_source<'a>(connector: &'a Connector, s: &Source) -> Option<&'a ConnectorSource> {
    connector
        .sources
        .iter()
        .find(|cs| cs.id == s.id_connector_source)
}

/// A source the PSU can only authorise in the bank's own pages.
pub fn webauth_only(connector: &Connector, s: &Source) -> bool {
    connector_source(connector, s).is_some_and(|cs| {
        !cs.available_auth_mechanisms
            .iter()
            .any(|m| m == "credentials")
    })
}

/// A PSD2 source: its access rests on a consent that expires.
pub fn is_psd2(s: &Source) -> bool {
    s.name == "openapi"
}

/// The source a pending step applies to: its own, else the first PSD2 one, else the first.
pub fn pending_source(p: &Pending, sources: &[Source]) -> Option<i64> {
    let enabled = || sources.iter().filter(|s| s.disabled.is_none());
    p.source
        .filter(|id| enabled().any(|s| s.id == *id))
        .or_else(|| enabled().find(|s| is_psd2(s)).map(|s| s.id))
        .or_else(|| enabled().next().map(|s| s.id))
}

/// The source that serves accounts of this type: the first enabled one by priority.
pub(crate) fn owner<'a>(
    connector: &Connector,
    sources: &'a [Source],
    kind: &str,
) -> Option<&'a Source> {
    sources.iter().filter(|s| s.disabled.is_none()).find(|s| {
        connector
            .sources
            .iter()
            .find(|cs| cs.id == s.id_connector_source)
            .is_some_and(|cs| cs.account_types.iter().any(|t| t == kind))
    })
}
