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
use crate::sync::states::{self, Pending, Scenario, Step};
use chrono::NaiveDateTime;

/// The outcome of logging in to one source now. May start an SCA challenge (setting
/// `c.pending`) or renew consent (updating `source`) when the PSU is present.
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
        // No consent was ever given in the bank's own pages.
        return Outcome::fail(
            "webauthRequired",
            "Veuillez vous authentifier auprès de votre banque.",
        );
    }
    let expire = source
        .access_expire
        .as_deref()
        .and_then(format::parse_datetime);
    if is_psd2(source) && states::consent_expired(expire, now) {
        if webauth {
            return Outcome::fail(
                "webauthRequired",
                "Votre consentement a expiré : authentifiez-vous auprès de votre banque.",
            );
        }
        if !opts.psu_requested {
            return Outcome::fail(
                "SCARequired",
                "Votre consentement a expiré : une authentification forte est requise.",
            );
        }
        // The PSU is here: the SCA challenge starts. Its form follows the login's scenario;
        // by default the sandbox bank approves at once and consent is renewed.
        let challenge: Vec<Step> = match states::scenario(&credentials(c)) {
            Scenario::Steps(steps, _) => steps
                .into_iter()
                .filter(|s| matches!(s, Step::Otp | Step::Decoupled))
                .collect(),
            _ => vec![],
        };
        if let Some((first, rest)) = challenge.split_first() {
            let mut p = Pending::enter(
                connector,
                *first,
                rest.to_vec(),
                now,
                decoupled_delay(connector, c),
            );
            p.source = Some(source.id);
            p.renews_consent = true;
            let out = Outcome::Fail {
                state: p.step.state(),
                message: p.error_message.clone(),
                fields: p.fields.clone(),
            };
            resume::set_pending(c, Some(p));
            return out;
        }
        source.access_expire = Some(format::datetime(states::consent_until(now)));
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
