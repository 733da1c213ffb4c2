//! The catalogue in memory: loaded from the built-in `seed/` files (or `--seed-dir`) at start,
//! validated once, then read without touching the database.

use crate::model::catalogue::{AccountType, ClientApp, Connector, ConnectorSource, Currency};
use crate::model::category::{Category, TransactionCategory};
use crate::model::transaction::DEFAULT_CATEGORY;
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::path::Path;

pub struct Catalogue {
    pub connectors: Vec<Connector>,
    pub account_types: Vec<AccountType>,
    pub currencies: Vec<Currency>,
    pub client_apps: Vec<ClientApp>,
    /// The transaction category tree, roots first then children, by id.
    pub categories: Vec<Category>,
}

/// The category tree; a `--seed-dir` without its own file keeps the built-in one.
const CATEGORIES: (&str, &str) = ("categories.json", include_str!("../seed/categories.json"));

const BUILTIN: [(&str, &str); 4] = [
    ("connectors.json", include_str!("../seed/connectors.json")),
    (
        "account_types.json",
        include_str!("../seed/account_types.json"),
    ),
    ("currencies.json", include_str!("../seed/currencies.json")),
    ("client_apps.json", include_str!("../seed/client_apps.json")),
];

fn parse<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("seed file {name}: {e}"))
}

impl Catalogue {
    /// Loads the four catalogue files from `dir`, or the built-in ones.
    pub fn load(dir: Option<&Path>) -> Result<Catalogue, String> {
        let read = |i: usize| -> Result<String, String> {
            let (name, builtin) = BUILTIN[i];
            match dir {
                None => Ok(builtin.to_string()),
                Some(d) => std::fs::read_to_string(d.join(name))
                    .map_err(|e| format!("seed file {}: {e}", d.join(name).display())),
            }
        };
        let cat = Catalogue {
            connectors: parse(BUILTIN[0].0, &read(0)?)?,
            account_types: parse(BUILTIN[1].0, &read(1)?)?,
            currencies: parse(BUILTIN[2].0, &read(2)?)?,
            client_apps: parse(BUILTIN[3].0, &read(3)?)?,
            categories: match dir.map(|d| d.join(CATEGORIES.0)).filter(|p| p.exists()) {
                None => parse(CATEGORIES.0, CATEGORIES.1)?,
                Some(p) => parse(
                    CATEGORIES.0,
                    &std::fs::read_to_string(&p)
                        .map_err(|e| format!("seed file {}: {e}", p.display()))?,
                )?,
            },
        };
        cat.validate()?;
        Ok(cat)
    }

    fn validate(&self) -> Result<(), String> {
        let mut category_ids = HashSet::new();
        for c in &self.categories {
            if !category_ids.insert(c.id) {
                return Err(format!("category id {} is not unique", c.id));
            }
            match self.category(c.id_parent_category) {
                Some(p) if p.id_parent_category == p.id => {}
                _ => return Err(format!("category {}: its parent is not a root", c.id)),
            }
        }
        if !self.categories.is_empty() && self.category(DEFAULT_CATEGORY).is_none() {
            return Err(format!("the categories lack {DEFAULT_CATEGORY}"));
        }
        let mut ids = HashSet::new();
        let mut source_ids = HashSet::new();
        for c in &self.connectors {
            if !ids.insert(c.id) {
                return Err(format!("connector id {} is not unique", c.id));
            }
            for s in &c.sources {
                if !source_ids.insert(s.id) {
                    return Err(format!("source id {} is not unique", s.id));
                }
            }
            for f in &c.fields {
                if let Some(re) = &f.regex {
                    regex::Regex::new(re)
                        .map_err(|e| format!("connector {} field {}: {e}", c.id, f.name))?;
                }
            }
            for t in &c.account_types {
                if self.account_type_by_name(t).is_none() {
                    return Err(format!("connector {}: unknown account type {t}", c.id));
                }
            }
        }
        Ok(())
    }

    /// By uuid, or by the deprecated integer id.
    pub fn connector(&self, key: &str) -> Option<&Connector> {
        match key.parse::<i64>() {
            Ok(id) => self.connector_by_id(id),
            Err(_) => self
                .connectors
                .iter()
                .find(|c| c.uuid.eq_ignore_ascii_case(key)),
        }
    }

    pub fn connector_by_id(&self, id: i64) -> Option<&Connector> {
        self.connectors.iter().find(|c| c.id == id)
    }

    pub fn source(&self, id: i64) -> Option<(&Connector, &ConnectorSource)> {
        self.connectors
            .iter()
            .find_map(|c| c.sources.iter().find(|s| s.id == id).map(|s| (c, s)))
    }

    pub fn account_type_by_name(&self, name: &str) -> Option<&AccountType> {
        self.account_types.iter().find(|t| t.name == name)
    }

    pub fn currency(&self, id: &str) -> Option<&Currency> {
        self.currencies.iter().find(|c| c.id == id)
    }

    pub fn category(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn category_by_code(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The `{code, parent_code}` of category `id` (a root has no parent code).
    pub fn transaction_category(&self, id: i64) -> Option<TransactionCategory> {
        let c = self.category(id)?;
        let parent = (c.id_parent_category != c.id)
            .then(|| self.category(c.id_parent_category))
            .flatten();
        Some(TransactionCategory {
            code: c.code.clone(),
            parent_code: parent.map(|p| p.code.clone()),
        })
    }

    /// The client applications the sandbox serves: the configured pair takes the place of the
    /// catalogue's first (default) application, keeping its redirect rules, and wins over any
    /// other catalogue application with the same client_id, which is then left out.
    pub fn effective_client_apps(&self, client_id: &str, client_secret: &str) -> Vec<ClientApp> {
        let mut apps = self.client_apps.iter();
        let default = apps.next().map(|d| ClientApp {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            ..d.clone()
        });
        default
            .into_iter()
            .chain(apps.filter(|a| a.client_id != client_id).cloned())
            .collect()
    }

    /// The name of the catalogue application (other than the default) that the configured
    /// client_id replaces, for the start banner.
    pub fn replaced_client_app(&self, client_id: &str) -> Option<&str> {
        self.client_apps
            .iter()
            .skip(1)
            .find(|a| a.client_id == client_id)
            .map(|a| a.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_category_tree_is_two_levels_under_self_parented_roots() {
        let cat = Catalogue::load(None).unwrap();
        let groceries = cat.category_by_code("groceries").unwrap();
        let food = cat.category(groceries.id_parent_category).unwrap();
        assert_eq!(food.id, food.id_parent_category);
        let tc = cat.transaction_category(groceries.id).unwrap();
        assert_eq!(tc.parent_code.as_deref(), Some(food.code.as_str()));
        assert_eq!(cat.transaction_category(food.id).unwrap().parent_code, None);
    }

    fn app(id: &str, secret: &str, name: &str) -> ClientApp {
        ClientApp {
            client_id: id.into(),
            client_secret: secret.into(),
            name: name.into(),
            redirect_uris: vec![],
        }
    }

    fn two_apps() -> Catalogue {
        let mut strict = app("87654321", "strict", "Strict");
        strict.redirect_uris = vec!["https://app.example.com/callback".into()];
        Catalogue {
            connectors: vec![],
            account_types: vec![],
            currencies: vec![],
            client_apps: vec![app("12345678", "default", "Default"), strict],
            categories: vec![],
        }
    }

    #[test]
    fn the_configured_pair_replaces_the_default_application() {
        let apps = two_apps().effective_client_apps("11112222", "mine");
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].client_id, "11112222");
        assert_eq!(apps[0].client_secret, "mine");
        assert_eq!(apps[0].name, "Default");
        assert_eq!(apps[1].client_id, "87654321");
        assert_eq!(apps[1].client_secret, "strict");
    }

    #[test]
    fn the_configured_pair_wins_over_a_catalogue_application_with_its_id() {
        let cat = two_apps();
        let apps = cat.effective_client_apps("87654321", "another");
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].client_secret, "another");
        assert!(apps[0].redirect_uris.is_empty());
        assert_eq!(cat.replaced_client_app("87654321"), Some("Strict"));
        assert_eq!(cat.replaced_client_app("12345678"), None);
    }
}
