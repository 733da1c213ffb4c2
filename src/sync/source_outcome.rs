//! Logging in to one source now: a bank outage, a pending step, a missing or expired consent,
//! or success. The PSU's presence decides whether an expired consent starts an SCA.

use crate::model::catalogue::Connector;
use crate::model::format;
use crate::store::connections::{Connection, Source};
use crate::sync::login::{credentials, decoupled_delay};
use crate::sync::options::Options;
use crate::sync::outcome::Outcome;
use crate::sync::resume;
use crate::sync::sources::{is_psd2, webauth_only};
use crate::sync::states::{self, Consent, Pending, Step};
use chrono::NaiveDateTime;

/// Consent must be given in the bank's pages; the message (the URL to visit) is the sync's.
const WEBAUTH: Outcome = Outcome::Fail {
    state: "webauthRequired",
    message: None,
    fields: None,
};

/// The outcome of logging in to one source now. May start an SCA challenge (setting
/// `c.pending`) when the PSU is present; consent is never renewed here.
pub(crate) fn source_outcome(
    connector: &Connector,
    c: &mut Connection,
    source: &mut Source,
    pending_for: Option<i64>,
    now: NaiveDateTime,
    opts: Options,
) -> Outcome {
    if let Some(o) = &c.bank.outage {
        if o.until.is_none_or(|u| u > now) {
            let state = crate::model::states::canonical(&o.state).unwrap_or("websiteUnavailable");
            return Outcome::Fail {
                state,
                message: o.error_message.clone(),
                fields: None,
            };
        }
    }
    if let (Some(p), true) = (resume::pending(c), pending_for == Some(source.id)) {
        return Outcome::Fail {
            state: p.step.state(),
            message: p.error_message,
            fields: p.fields,
        };
    }
    let webauth = webauth_only(connector, source);
    if webauth && source.access_expire.is_none() {
        // No consent was ever given in the bank's own pages. The sync writes where to give it.
        return WEBAUTH;
    }
    let expire = source
        .access_expire
        .as_deref()
        .and_then(format::parse_datetime);
    if !is_psd2(source) {
        return Outcome::Ok;
    }
    // Only the PSU starts an SCA, and only one step waits at a time.
    let can_start = opts.psu_requested && resume::pending(c).is_none();
    match states::consent_rule(expire, now, webauth, can_start, &credentials(c)) {
        Consent::Valid => {}
        Consent::Lapsed("webauthRequired") => return WEBAUTH,
        Consent::Lapsed(state) => {
            return Outcome::fail(
                state,
                "Votre consentement a expiré : une authentification forte est requise.",
            )
        }
        Consent::Challenge(steps) => {
            // The PSU is here: the SCA starts, in the form of the login's scenario. Only its
            // completion renews consent.
            let (first, rest) = steps.split_first().expect("a non-empty challenge");
            let mut p = Pending::enter(
                connector,
                *first,
                rest.to_vec(),
                now,
                decoupled_delay(connector, c),
            );
            p.source = Some(source.id);
            p.renews_consent = true;
            if *first == Step::Sca {
                p.error_message = Some(
                    "Votre consentement a expiré : validez l'authentification forte demandée par votre banque."
                        .into(),
                );
            }
            let out = Outcome::Fail {
                state: p.step.state(),
                message: p.error_message.clone(),
                fields: p.fields.clone(),
            };
            resume::set_pending(c, Some(p));
            return out;
        }
    }
    Outcome::Ok
}

/// Why the bank cannot take the PSU's consent now (an outage in force), if it cannot.
pub fn bank_failure(c: &Connection, now: NaiveDateTime) -> Option<String> {
    let o = c.bank.outage.as_ref()?;
    o.until.is_none_or(|u| u > now).then(|| {
        o.error_message
            .clone()
            .unwrap_or_else(|| resume::outage_message(&o.state).into())
    })
}
