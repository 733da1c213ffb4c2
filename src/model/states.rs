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

/// The `error_message` of a connection (or source) in `webauthRequired`: where the PSU must
/// go, in the words Powens uses, which apps parse the URL out of.
pub fn webauth_message(url: &str) -> String {
    format!("Redirecting to {url}")
}

/// A connection's or source's state on the wire. Powens adds states over time and tells
/// integrators to treat an unknown one as an error needing no action from them, so a value
/// this build does not know is kept as written (`Other`) instead of being refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    SCARequired,
    WebauthRequired,
    AdditionalInformationNeeded,
    Decoupled,
    Validating,
    ActionNeeded,
    PasswordExpired,
    Wrongpass,
    RateLimiting,
    WebsiteUnavailable,
    Bug,
    NotSupported,
    Other(String),
}

impl ConnectionState {
    const KNOWN: [ConnectionState; 12] = [
        ConnectionState::SCARequired,
        ConnectionState::WebauthRequired,
        ConnectionState::AdditionalInformationNeeded,
        ConnectionState::Decoupled,
        ConnectionState::Validating,
        ConnectionState::ActionNeeded,
        ConnectionState::PasswordExpired,
        ConnectionState::Wrongpass,
        ConnectionState::RateLimiting,
        ConnectionState::WebsiteUnavailable,
        ConnectionState::Bug,
        ConnectionState::NotSupported,
    ];

    pub fn parse(s: &str) -> ConnectionState {
        match ALL.iter().position(|x| *x == s) {
            Some(i) => Self::KNOWN[i].clone(),
            None => ConnectionState::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ConnectionState::Other(s) => s,
            known => ALL[Self::KNOWN.iter().position(|k| k == known).unwrap_or(0)],
        }
    }

    /// The PSU has something to do (the API answers 202 with these).
    pub fn is_interactive(&self) -> bool {
        matches!(
            self,
            ConnectionState::SCARequired
                | ConnectionState::WebauthRequired
                | ConnectionState::AdditionalInformationNeeded
                | ConnectionState::Decoupled
                | ConnectionState::Validating
        )
    }
}

impl From<&str> for ConnectionState {
    fn from(s: &str) -> ConnectionState {
        ConnectionState::parse(s)
    }
}

impl utoipa::PartialSchema for ConnectionState {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "One of the documented ConnectionState values; treat an unknown one as an error.",
            ))
            .examples([serde_json::json!("SCARequired")])
            .into()
    }
}

impl utoipa::ToSchema for ConnectionState {}

impl serde::Serialize for ConnectionState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl sqlx::Type<sqlx::Sqlite> for ConnectionState {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for ConnectionState {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let s = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
        Ok(ConnectionState::parse(s))
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for ConnectionState {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<sqlx::Sqlite>>::encode(self.as_str().to_string(), buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_state_round_trips_and_an_unknown_one_is_kept() {
        for s in ALL {
            assert_eq!(ConnectionState::parse(s).as_str(), s);
            assert!(!matches!(
                ConnectionState::parse(s),
                ConnectionState::Other(_)
            ));
        }
        let future = ConnectionState::parse("someNewState");
        assert_eq!(future, ConnectionState::Other("someNewState".into()));
        assert_eq!(serde_json::to_string(&future).unwrap(), "\"someNewState\"");
    }

    #[test]
    fn the_webauth_message_ends_with_the_url_apps_parse_out_of_it() {
        let m = webauth_message("https://sandbox.example.com/bank/webauth/7/ab12");
        assert_eq!(
            m.strip_prefix("Redirecting to "),
            Some("https://sandbox.example.com/bank/webauth/7/ab12")
        );
    }
}
