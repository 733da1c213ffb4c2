//! Transaction categories: the two-level tree of the catalogue (`seed/categories.json`), the
//! legacy Category object the category lists serve, and the `{code, parent_code}` pair the
//! current API puts on a transaction under `expand=categories`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A category as the catalogue writes it and the category lists serve it (the legacy
/// Category object: a top-level category is its own parent).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: i64,
    /// A top-level category points to itself.
    pub id_parent_category: i64,
    pub name: String,
    /// The label `expand=categories` names it by.
    #[schema(example = "groceries")]
    pub code: String,
    /// Hex, without `#`.
    #[schema(example = "f1c40f")]
    pub color: String,
    /// `true` for income, `false` for expenses, `null` for both.
    pub income: Option<bool>,
    /// Accepts transactions of the opposite sign (refunds).
    pub refundable: bool,
}

/// A transaction's category as the current API names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TransactionCategory {
    #[schema(example = "groceries")]
    pub code: String,
    /// Null for a top-level category.
    #[schema(example = "food")]
    pub parent_code: Option<String>,
}

/// `GET /users/{user}/categories` and its account aliases: the categories the user's
/// transactions are in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoriesList {
    pub categories: Vec<Category>,
    pub total: i64,
}

/// `GET /users/{user}/categories/full`: the whole tree. The key is spelt as Powens spells it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FullCategoriesList {
    pub categorys: Vec<Category>,
    pub total: i64,
}

/// `GET /banks/categories`, as live servers answer it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BankCategoriesList {
    pub bank_category: Vec<Category>,
    pub total: i64,
}
