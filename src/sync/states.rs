//! The connection state machine: what the PSU still has to do (a "pending" step), how each
//! step is entered and resumed, scenario selection (the test connector's `openapiwebsite`
//! values and the magic passwords of every credentials connector), and the PSD2 consent
//! clock. Pure functions of their inputs and `now`, so the rules are unit-tested at exact
//! boundaries.

use crate::model::catalogue::{Connector, ConnectorField};
use crate::sync::outcome::{credential_fields, value};
use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Map, Value};

/// PSD2 consent lasts 180 days.
pub const CONSENT_DAYS: i64 = 180;
/// The one-time code the sandbox bank accepts.
pub const OTP: &str = "123456";
/// How long a bank-side failure chosen by magic credentials lasts.
pub const MAGIC_OUTAGE_HOURS: i64 = 6;
/// `shortDecoupled`: validated in the app after a few seconds.
pub const SHORT_DECOUPLED_SECS: i64 = 3;

pub use crate::store::connection_columns::{Pending, Step};

impl Step {
    pub fn state(self) -> &'static str {
        match self {
            Step::Sca => "SCARequired",
            Step::Otp => "additionalInformationNeeded",
            Step::Decoupled => "decoupled",
            Step::Validating => "validating",
            Step::Webauth => "webauthRequired",
            Step::Credentials => "wrongpass",
            Step::PasswordExpired => "passwordExpired",
            Step::Action => "actionNeeded",
            Step::Unsupported => "notSupported",
        }
    }

    pub fn for_state(state: &str) -> Option<Step> {
        Some(match state {
            "SCARequired" => Step::Sca,
            "additionalInformationNeeded" => Step::Otp,
            "decoupled" => Step::Decoupled,
            "validating" => Step::Validating,
            "webauthRequired" => Step::Webauth,
            "wrongpass" => Step::Credentials,
            "passwordExpired" => Step::PasswordExpired,
            "actionNeeded" => Step::Action,
            "notSupported" => Step::Unsupported,
            _ => return None,
        })
    }

    pub fn default_message(self) -> Option<&'static str> {
        match self {
            Step::Sca => Some("Une authentification forte est requise par votre banque."),
            Step::Otp => Some("Saisissez le code reçu par SMS."),
            Step::Decoupled => Some("Validez l'opération dans l'application de votre banque."),
            Step::Validating => None,
            // The sync writes the connection's webauth URL instead.
            Step::Webauth => None,
            Step::Credentials => Some("Identifiant ou mot de passe incorrect."),
            Step::PasswordExpired => Some("Votre mot de passe a expiré. Changez-le sur le site de votre banque puis saisissez le nouveau."),
            Step::Action => Some("Veuillez accepter les nouvelles conditions générales d'utilisation sur le site de votre banque."),
            Step::Unsupported => Some("Ce type de compte n'est pas pris en charge par cette source."),
        }
    }
}

pub fn otp_field() -> ConnectorField {
    ConnectorField {
        name: "otp".into(),
        label: "Code d'autorisation".into(),
        description: Some("Code reçu par SMS".into()),
        kind: "text".into(),
        required: true,
        regex: Some("^[0-9]{6}$".into()),
        values: None,
        auth_mechanisms: vec!["credentials".into()],
        connector_sources: vec![],
    }
}

impl Pending {
    /// Enters `step` (and its follow-ups), with the fields and deadlines it needs.
    pub fn enter(
        connector: &Connector,
        step: Step,
        then: Vec<Step>,
        now: NaiveDateTime,
        decoupled_secs: i64,
    ) -> Pending {
        let fields = match step {
            Step::Otp => Some(vec![otp_field()]),
            Step::Credentials | Step::PasswordExpired => Some(credential_fields(connector)),
            _ => None,
        };
        Pending {
            step,
            source: None,
            error_message: step.default_message().map(str::to_owned),
            fields,
            then,
            validate_at: matches!(step, Step::Decoupled | Step::Validating)
                .then(|| now + TimeDelta::seconds(decoupled_secs)),
            renews_consent: matches!(
                step,
                Step::Sca | Step::Otp | Step::Decoupled | Step::Webauth
            ),
        }
    }

    /// Moves to the next step of the chain, or None when the chain is complete.
    pub fn advance(
        self,
        connector: &Connector,
        now: NaiveDateTime,
        decoupled_secs: i64,
    ) -> Option<Pending> {
        let mut rest = self.then.clone();
        if rest.is_empty() {
            return None;
        }
        let next = rest.remove(0);
        let mut p = Pending::enter(connector, next, rest, now, decoupled_secs);
        p.source = self.source;
        p.renews_consent |= self.renews_consent;
        Some(p)
    }
}

/// What a login with these credentials runs into at the bank.
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    Ok,
    /// A chain of steps the PSU must go through.
    Steps(Vec<Step>, /* decoupled seconds */ Option<i64>),
    /// Refused credentials.
    Wrongpass,
    /// A bank-side failure that lasts a while: rateLimiting, websiteUnavailable, bug.
    Outage(&'static str),
}

/// The test connector's `openapiwebsite` values (powens-api.md §14), and the magic passwords
/// that reach every state from any credentials form (README). Words work where the field has
/// no format; the six-digit codes pass the demo banks' `^[0-9]{6}$`.
pub fn scenario(credentials: &Map<String, Value>) -> Scenario {
    let website =
        value(credentials, "openapiwebsite").or(value(credentials, "directaccesswebsite"));
    let password = value(credentials, "password");
    let key = match website {
        Some(w) if w != "par" && w != "pro" => w,
        _ => password.unwrap_or(""),
    };
    match key {
        "SCARequired" | "111111" => Scenario::Steps(vec![Step::Sca], None),
        "SCARequiredAndOTP" | "112233" => Scenario::Steps(vec![Step::Sca, Step::Otp], None),
        "SCARequiredAndDecoupled" | "113355" => {
            Scenario::Steps(vec![Step::Sca, Step::Decoupled], None)
        }
        "additionalInformationNeeded" | "otp" | "222222" => Scenario::Steps(vec![Step::Otp], None),
        "decoupled" | "333333" => Scenario::Steps(vec![Step::Decoupled], None),
        "shortDecoupled" | "334455" => {
            Scenario::Steps(vec![Step::Decoupled], Some(SHORT_DECOUPLED_SECS))
        }
        "actionNeeded" | "444444" => Scenario::Steps(vec![Step::Action], None),
        "passwordExpired" | "555555" => Scenario::Steps(vec![Step::PasswordExpired], None),
        "wrongpass" | "666666" => Scenario::Wrongpass,
        "websiteUnavailable" | "777777" => Scenario::Outage("websiteUnavailable"),
        "rateLimiting" | "888888" => Scenario::Outage("rateLimiting"),
        "bug" | "999999" => Scenario::Outage("bug"),
        "notSupported" | "000000" => Scenario::Steps(vec![Step::Unsupported], None),
        "webauthRequired" | "121212" => Scenario::Steps(vec![Step::Webauth], None),
        _ => Scenario::Ok,
    }
}

/// Consent is valid strictly before `access_expire`: at the exact instant it has expired.
pub fn consent_expired(access_expire: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    access_expire.is_some_and(|t| now >= t)
}

pub fn consent_until(now: NaiveDateTime) -> NaiveDateTime {
    now + TimeDelta::days(CONSENT_DAYS)
}

/// The SCA form of the login's scenario (its OTP or decoupled steps); empty when the
/// sandbox bank asks for nothing more than the SCA itself.
pub fn sca_challenge(credentials: &Map<String, Value>) -> Vec<Step> {
    match scenario(credentials) {
        Scenario::Steps(steps, _) => steps
            .into_iter()
            .filter(|s| matches!(s, Step::Otp | Step::Decoupled))
            .collect(),
        _ => vec![],
    }
}

/// What a PSD2 consent means for one sync of its source.
#[derive(Debug, Clone, PartialEq)]
pub enum Consent {
    /// Valid at `now`.
    Valid,
    /// Expired: the sync stops in this state and nothing is started (no PSU present, a
    /// webauth source, or another step already waits for the PSU).
    Lapsed(&'static str),
    /// Expired with the PSU present: this chain of steps starts, and only its completion
    /// renews consent. A sync never renews consent by itself.
    Challenge(Vec<Step>),
}

/// The consent rule: strictly before `access_expire` the source syncs; from then on a
/// webauth source needs the bank's pages, and any other source needs an SCA, which starts
/// only when the PSU is present (`can_start`) in the form of the login's scenario.
pub fn consent_rule(
    access_expire: Option<NaiveDateTime>,
    now: NaiveDateTime,
    webauth: bool,
    can_start: bool,
    credentials: &Map<String, Value>,
) -> Consent {
    if !consent_expired(access_expire, now) {
        return Consent::Valid;
    }
    if webauth {
        return Consent::Lapsed("webauthRequired");
    }
    if !can_start {
        return Consent::Lapsed("SCARequired");
    }
    let steps = sca_challenge(credentials);
    Consent::Challenge(if steps.is_empty() {
        vec![Step::Sca]
    } else {
        steps
    })
}

#[cfg(test)]
mod tests {
    use crate::model::format::parse_datetime;
    use crate::sync::states::*;

    #[test]
    fn consent_holds_until_the_last_second_of_180_days() {
        let given = parse_datetime("2026-01-01 10:00:00").unwrap();
        let expire = consent_until(given);
        assert_eq!(expire, parse_datetime("2026-06-30 10:00:00").unwrap());
        assert!(!consent_expired(
            Some(expire),
            expire - TimeDelta::seconds(1)
        ));
        assert!(consent_expired(Some(expire), expire));
        assert!(!consent_expired(None, expire));
    }

    #[test]
    fn an_expired_consent_is_never_renewed_by_a_sync_only_challenged() {
        let given = parse_datetime("2026-01-01 10:00:00").unwrap();
        let expire = Some(consent_until(given));
        let before = parse_datetime("2026-06-30 09:59:59").unwrap();
        let at = parse_datetime("2026-06-30 10:00:00").unwrap();
        let later = parse_datetime("2026-07-01 10:00:00").unwrap();
        let plain = Map::new();
        let mut otp = Map::new();
        otp.insert("openapiwebsite".into(), "SCARequiredAndOTP".into());
        let mut decoupled = Map::new();
        decoupled.insert("password".into(), "333333".into());

        assert_eq!(
            consent_rule(expire, before, false, true, &plain),
            Consent::Valid
        );
        assert_eq!(
            consent_rule(None, later, false, true, &plain),
            Consent::Valid
        );
        assert_eq!(
            consent_rule(expire, at, false, true, &plain),
            Consent::Challenge(vec![Step::Sca])
        );
        assert_eq!(
            consent_rule(expire, later, false, false, &plain),
            Consent::Lapsed("SCARequired")
        );
        assert_eq!(
            consent_rule(expire, later, true, true, &plain),
            Consent::Lapsed("webauthRequired")
        );
        assert_eq!(
            consent_rule(expire, later, false, true, &otp),
            Consent::Challenge(vec![Step::Otp])
        );
        assert_eq!(
            consent_rule(expire, later, false, true, &decoupled),
            Consent::Challenge(vec![Step::Decoupled])
        );
    }

    #[test]
    fn test_connector_values_and_magic_passwords_pick_the_same_scenarios() {
        let creds = |k: &str, v: &str| -> Map<String, Value> {
            let mut m = Map::new();
            m.insert(k.into(), Value::String(v.into()));
            m
        };
        assert_eq!(
            scenario(&creds("openapiwebsite", "SCARequiredAndOTP")),
            Scenario::Steps(vec![Step::Sca, Step::Otp], None)
        );
        assert_eq!(
            scenario(&creds("password", "112233")),
            Scenario::Steps(vec![Step::Sca, Step::Otp], None)
        );
        assert_eq!(scenario(&creds("openapiwebsite", "par")), Scenario::Ok);
        assert_eq!(
            scenario(&creds("password", "wrongpass")),
            Scenario::Wrongpass
        );
        assert_eq!(
            scenario(&creds("openapiwebsite", "bug")),
            Scenario::Outage("bug")
        );
        assert_eq!(scenario(&creds("password", "hunter2")), Scenario::Ok);
    }
}
