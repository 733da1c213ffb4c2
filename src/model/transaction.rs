//! The Transaction object: the documented fields plus those the real API always sends.

use crate::catalogue::Catalogue;
use crate::model::money;
use crate::store::transactions::Transaction;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

/// Powens' single default category id, as observed on every uncategorised transaction.
const DEFAULT_CATEGORY: i64 = 9998;

pub fn transaction_json(t: &Transaction, cat: &Catalogue) -> Value {
    let value = Decimal::from_str(&t.value).unwrap_or_default();
    let counterparty: Value = t
        .counterparty
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Value::Null);
    json!({
        "id": t.id,
        "id_account": t.id_account,
        "webid": t.webid,
        "application_date": t.application_date,
        "date": t.date,
        "datetime": t.rdatetime,
        "vdate": t.vdate,
        "vdatetime": null,
        "rdate": t.rdate,
        "rdatetime": t.rdatetime,
        "bdate": t.date,
        "bdatetime": null,
        "value": money::num(value),
        "gross_value": null,
        "formatted_value": money::formatted(value, cat.currency(&t.currency)),
        "type": t.kind,
        "original_wording": t.original_wording,
        "simplified_wording": t.simplified_wording,
        "stemmed_wording": t.stemmed_wording,
        "wording": t.wording.as_deref().unwrap_or(&t.simplified_wording),
        "id_category": DEFAULT_CATEGORY,
        "state": "parsed",
        "date_scraped": t.date_scraped,
        "coming": t.coming,
        "active": t.active,
        "id_cluster": null,
        "comment": t.comment,
        "last_update": t.last_update,
        "deleted": t.deleted,
        "original_value": null,
        "original_gross_value": null,
        "original_currency": null,
        "commission": null,
        "commission_currency": null,
        "country": null,
        "card": t.card,
        "counterparty": counterparty,
        "documents_count": 0,
        "informations": {},
        "details": null,
    })
}
