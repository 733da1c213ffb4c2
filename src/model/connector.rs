//! The Connector and ConnectorSource objects as they are served, built from the seed's
//! entries ([`catalogue::Connector`]) with what is computed at request time: whether the
//! connector is hidden, its auth mechanisms, and the expansions the client asked for.

use crate::model::catalogue::{self, ConnectorField, Country, Stability};
use crate::model::expand;
use crate::model::format::DateTime;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// A connector; `sources`, `fields`, `countries` and `urls` only with `expand`.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Connector {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub hidden: bool,
    pub charged: bool,
    pub code: Option<String>,
    pub beta: bool,
    pub color: Option<String>,
    pub slug: Option<String>,
    /// Always null in the sandbox: syncs follow the sandbox clock's schedule.
    pub sync_periodicity: Option<f64>,
    pub months_to_fetch: Option<i64>,
    /// That of the first source by priority.
    pub auth_mechanism: Option<String>,
    pub available_auth_mechanisms: Vec<String>,
    pub transfer_mechanism: Option<String>,
    pub siret: Option<String>,
    pub restricted: bool,
    pub capabilities: Vec<String>,
    pub account_types: Vec<String>,
    pub account_usages: Option<Vec<String>>,
    pub products: Vec<String>,
    pub stability: Stability,
    pub categories: Vec<Value>,
    #[serde(flatten)]
    #[schema(inline)]
    pub expanded: Expansions,
}

/// A connector's source (a way of reaching the bank: a PSD2 API, a scraper...).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ConnectorSource {
    pub id: i64,
    pub id_connector: i64,
    pub name: String,
    pub auth_mechanism: String,
    pub available_auth_mechanisms: Vec<String>,
    #[schema(value_type = Option<DateTime>)]
    pub disabled: Option<String>,
    pub priority: i64,
    pub account_types: Vec<String>,
    pub capabilities: Vec<String>,
    pub stability: Stability,
}

/// The expansions a client asked for, in the order it asked: their keys follow the
/// connector's own fields in that order (a map would sort them, a struct fix them).
#[derive(Clone, Debug, Default)]
pub struct Expansions(Vec<Expansion>);

#[derive(Clone, Debug)]
pub enum Expansion {
    Sources(Vec<ConnectorSource>),
    Fields(Vec<ConnectorField>),
    Countries(Vec<Country>),
    Urls(Option<Vec<String>>),
}

impl Expansion {
    fn key(&self) -> &'static str {
        match self {
            Expansion::Sources(_) => "sources",
            Expansion::Fields(_) => "fields",
            Expansion::Countries(_) => "countries",
            Expansion::Urls(_) => "urls",
        }
    }
}

/// What `expand` may name on a connector.
pub const EXPANDS: [&str; 4] = ["sources", "fields", "countries", "urls"];

impl Expansions {
    /// One entry per expansion named in `expands` (repeats and unknown names ignored).
    pub fn of(c: &catalogue::Connector, expands: &[String]) -> Expansions {
        let mut out: Vec<Expansion> = Vec::new();
        for item in expands {
            let e = match expand::base(item) {
                "sources" => Expansion::Sources(sources_by_priority(c)),
                "fields" => Expansion::Fields(c.fields.clone()),
                "countries" => Expansion::Countries(c.countries.clone()),
                "urls" => Expansion::Urls(c.urls.clone()),
                _ => continue,
            };
            match out.iter_mut().find(|o| o.key() == e.key()) {
                Some(o) => *o = e,
                None => out.push(e),
            }
        }
        Expansions(out)
    }
}

impl Serialize for Expansions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for e in &self.0 {
            match e {
                Expansion::Sources(v) => map.serialize_entry(e.key(), v)?,
                Expansion::Fields(v) => map.serialize_entry(e.key(), v)?,
                Expansion::Countries(v) => map.serialize_entry(e.key(), v)?,
                Expansion::Urls(v) => map.serialize_entry(e.key(), v)?,
            }
        }
        map.end()
    }
}

impl PartialSchema for Expansions {
    fn schema() -> RefOr<Schema> {
        let array = |items: RefOr<Schema>| ArrayBuilder::new().items(items).build();
        ObjectBuilder::new()
            .property("sources", array(ConnectorSource::schema()))
            .property("fields", array(ConnectorField::schema()))
            .property("countries", array(Country::schema()))
            .property("urls", <Option<Vec<String>>>::schema())
            .into()
    }
}

impl ToSchema for Expansions {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((ConnectorSource::name().into(), ConnectorSource::schema()));
        ConnectorSource::schemas(schemas);
        schemas.push((ConnectorField::name().into(), ConnectorField::schema()));
        ConnectorField::schemas(schemas);
        schemas.push((Country::name().into(), Country::schema()));
    }
}

fn sources_by_priority(c: &catalogue::Connector) -> Vec<ConnectorSource> {
    let mut sources: Vec<&catalogue::ConnectorSource> = c.sources.iter().collect();
    sources.sort_by_key(|s| s.priority);
    sources
        .into_iter()
        .map(|s| ConnectorSource::new(c, s))
        .collect()
}

impl ConnectorSource {
    pub fn new(c: &catalogue::Connector, s: &catalogue::ConnectorSource) -> ConnectorSource {
        ConnectorSource {
            id: s.id,
            id_connector: c.id,
            name: s.name.clone(),
            auth_mechanism: s.auth_mechanism.clone(),
            available_auth_mechanisms: s.available_auth_mechanisms.clone(),
            disabled: s.disabled.clone(),
            priority: s.priority,
            account_types: s.account_types.clone(),
            capabilities: c.capabilities.clone(),
            stability: c.stability.clone(),
        }
    }

    /// Every source of `c`, first by priority first.
    pub fn all_of(c: &catalogue::Connector) -> Vec<ConnectorSource> {
        sources_by_priority(c)
    }
}

impl Connector {
    /// `c` as served; `hidden` is the current setting, which the config token may change.
    pub fn new(c: &catalogue::Connector, hidden: bool, expands: &[String]) -> Connector {
        // Every mechanism of every source, each once, in the order the sources list them.
        let mut mechanisms: Vec<String> = Vec::new();
        for s in &c.sources {
            for m in &s.available_auth_mechanisms {
                if !mechanisms.contains(m) {
                    mechanisms.push(m.clone());
                }
            }
        }
        let main_source = c.sources.iter().min_by_key(|s| s.priority);
        Connector {
            id: c.id,
            uuid: c.uuid.clone(),
            name: c.name.clone(),
            hidden,
            charged: c.charged,
            code: c.code.clone(),
            beta: c.beta,
            color: c.color.clone(),
            slug: c.slug.clone(),
            sync_periodicity: None,
            months_to_fetch: c.months_to_fetch,
            auth_mechanism: main_source.map(|s| s.auth_mechanism.clone()),
            available_auth_mechanisms: mechanisms,
            transfer_mechanism: None,
            siret: c.siret.clone(),
            restricted: c.restricted,
            capabilities: c.capabilities.clone(),
            account_types: c.account_types.clone(),
            account_usages: c.account_usages.clone(),
            products: c.products.clone(),
            stability: c.stability.clone(),
            categories: Vec::new(),
            expanded: Expansions::of(c, expands),
        }
    }
}

/// `GET /connectors`.
#[derive(Serialize, ToSchema)]
pub struct ConnectorsList {
    pub connectors: Vec<Connector>,
    pub total: usize,
}

/// `GET /banks`: connectors with the `bank` capability.
#[derive(Serialize, ToSchema)]
pub struct BanksList {
    pub banks: Vec<Connector>,
    pub total: usize,
}

/// `GET /providers`: connectors with the `document` capability.
#[derive(Serialize, ToSchema)]
pub struct ProvidersList {
    pub providers: Vec<Connector>,
    pub total: usize,
}

/// `PUT /connectors/{ids}` with several ids.
#[derive(Serialize, ToSchema)]
pub struct ConnectorsUpdated {
    pub connectors: Vec<Connector>,
}

/// One connector, or `{connectors}` when the path names several.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ConnectorOrList {
    One(Box<Connector>),
    Several(ConnectorsUpdated),
}

/// `GET /connectors/{key}/sources`.
#[derive(Serialize, ToSchema)]
pub struct ConnectorSourcesList {
    pub sources: Vec<ConnectorSource>,
    pub total: usize,
}

/// `GET /connectors/{key}/fields`.
#[derive(Serialize, ToSchema)]
pub struct ConnectorFieldsList {
    pub fields: Vec<ConnectorField>,
    pub total: usize,
}

/// `PUT /connectors/{key}` (config token). The handler reads it field by field from JSON or
/// a form, so this type only describes it.
#[derive(Deserialize, ToSchema)]
pub struct ConnectorSettings {
    pub hidden: Option<bool>,
}

/// `PATCH /connectors` (config token): settings by connector uuid (or id).
#[derive(Deserialize, ToSchema)]
pub struct ConnectorsPatch(pub BTreeMap<String, ConnectorSettings>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions_keep_the_order_the_client_asked_for() {
        // The built-in seed read directly: the model stands below the catalogue that loads it.
        let connectors: Vec<catalogue::Connector> =
            serde_json::from_str(include_str!("../../seed/connectors.json")).unwrap();
        let c = &connectors[0];
        let ask = |items: &[&str]| {
            let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
            let v = serde_json::to_value(Connector::new(c, false, &items)).unwrap();
            let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            keys[keys.len() - items.len().min(2)..].to_vec()
        };
        assert_eq!(ask(&["urls", "sources"]), ["urls", "sources"]);
        assert_eq!(ask(&["sources", "urls"]), ["sources", "urls"]);
    }
}
