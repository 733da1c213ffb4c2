//! The MarketOrder object of brokerage accounts and its list envelope.

use crate::model::format::DateTime;
use crate::model::money::Money;
use serde::Serialize;
use utoipa::ToSchema;

/// An id and name pair: `order_direction` (`BUY`, `SALE`) and `order_type` (`MARKET`,
/// `LIMIT`, `TRIGGER`, `UNKNOWN`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderKind {
    pub id: i64,
    #[schema(example = "BUY")]
    pub name: String,
}

impl OrderKind {
    pub fn direction(name: &str) -> OrderKind {
        let id = match name {
            "BUY" => 1,
            "SALE" => 2,
            _ => 0,
        };
        OrderKind {
            id,
            name: name.to_string(),
        }
    }

    pub fn order_type(name: &str) -> OrderKind {
        let id = match name {
            "MARKET" => 1,
            "LIMIT" => 2,
            "TRIGGER" => 3,
            _ => 0,
        };
        OrderKind {
            id,
            name: name.to_string(),
        }
    }
}

// Fields are declared in the order the reference lists them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MarketOrder {
    pub id: i64,
    pub id_account: i64,
    /// The order number at the broker.
    pub number: String,
    pub label: String,
    pub code: Option<String>,
    pub stock_symbol: Option<String>,
    pub order_direction: OrderKind,
    pub order_type: OrderKind,
    pub stock_market: Option<String>,
    /// `Pending` until executed, then `Executed`.
    #[schema(example = "Executed")]
    pub state: String,
    /// `CASH`, `DEFERRED` or `UNKNOWN`.
    #[schema(example = "CASH")]
    pub payment_method: String,
    pub date: Option<DateTime>,
    pub execution_date: Option<DateTime>,
    pub validity_date: Option<DateTime>,
    pub quantity: Option<Money>,
    /// Total amount traded: quantity times the execution price.
    pub amount: Option<Money>,
    /// Limit or trigger price (`LIMIT` and `TRIGGER` orders only).
    pub ordervalue: Option<Money>,
    /// Unit price at execution.
    pub unitprice: Option<Money>,
    /// Current unit price.
    pub unitvalue: Option<Money>,
    pub deleted: Option<DateTime>,
    pub last_update: DateTime,
}

/// `GET /users/{user}/marketorders` and its aliases.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MarketOrdersList {
    pub marketorders: Vec<MarketOrder>,
    pub total: i64,
}
