//! The Bill product's objects: Subscription, Document and DocumentType, their list envelopes,
//! the bodies that update them and the webhook payloads made of them.

use crate::model::currency::AccountCurrency;
use crate::model::format::{Date, DateTime, DATE};
use crate::model::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A contract at a provider (or a bank account's statements) whose documents are fetched.
// Fields are declared in the order of the reference.
// Named apart from the control plane's webhook subscriptions in the document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = BillSubscription)]
pub struct Subscription {
    pub id: i64,
    pub id_connection: Option<i64>,
    pub id_user: Option<i64>,
    pub id_source: Option<i64>,
    /// Contract or subscription number.
    pub number: Option<String>,
    pub label: String,
    /// Name of the holder.
    pub subscriber: Option<String>,
    /// Valid until.
    pub validity: Option<Date>,
    /// Next renewal.
    pub renewdate: Option<Date>,
    /// Last successful sync.
    pub last_update: Option<DateTime>,
    /// No longer found at the provider.
    pub deleted: Option<DateTime>,
    /// Disabled (the discovery time until the PSU consents); not synced.
    pub disabled: Option<DateTime>,
    /// Error code of the last sync.
    pub error: Option<String>,
}

/// `GET /users/{user}/subscriptions`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = BillSubscriptionsList)]
pub struct SubscriptionsList {
    pub subscriptions: Vec<Subscription>,
    pub total: i64,
}

/// `POST /users/{user}/subscriptions/{id}`: `{"disabled": false}` is the PSU's consent.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, ToSchema)]
#[schema(as = BillSubscriptionUpdateRequest)]
pub struct SubscriptionUpdateRequest {
    pub disabled: Option<bool>,
}

/// A document's date: a Date written as a DateTime at midnight (`YYYY-MM-DD 00:00:00`), as
/// the reference's object has it; the update body takes a Date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ToSchema)]
#[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2} 00:00:00$", example = "2026-01-01 00:00:00")]
pub struct DocumentDate(pub NaiveDate);

impl Serialize for DocumentDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{} 00:00:00", self.0.format(DATE)))
    }
}

/// A document (a bill, a statement...) with the URL of its file.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Document {
    pub id: i64,
    pub id_user: i64,
    pub id_subscription: Option<i64>,
    /// See `GET /documenttypes`.
    pub id_type: Option<i64>,
    pub id_file: Option<i64>,
    /// Always null: the sandbox renders no thumbnail.
    pub id_thumbnail: Option<i64>,
    pub name: Option<String>,
    pub date: Option<DocumentDate>,
    /// When the sandbox stored the document.
    pub timestamp: DateTime,
    /// Always null: the sandbox renders no thumbnail.
    pub thumb_url: Option<String>,
    /// The file (a PDF), downloaded with the user's token.
    pub url: Option<String>,
    pub duedate: Option<Date>,
    pub total_amount: Option<Money>,
    pub untaxed_amount: Option<Money>,
    pub vat: Option<Money>,
    /// An income (`true`) or an outflow.
    pub income: Option<bool>,
    pub readonly: bool,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub last_update: Option<DateTime>,
    pub has_file_on_website: bool,
    pub currency: Option<AccountCurrency>,
}

/// `GET /users/{user}/documents`: the documents, with the bounds of their dates.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentsList {
    pub documents: Vec<Document>,
    /// Bounds of all the documents in scope (null when there is none).
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    /// Bounds of this page (null when it is empty).
    pub result_min_date: Option<Date>,
    pub result_max_date: Option<Date>,
    pub total: i64,
}

/// `POST /documents/{id}`: the fields a user may change.
#[derive(Debug, Clone, Default, PartialEq, ToSchema)]
pub struct DocumentUpdateRequest {
    pub id_type: Option<i64>,
    pub date: Option<Date>,
    pub duedate: Option<Date>,
    pub total_amount: Option<Money>,
    pub untaxed_amount: Option<Money>,
    pub vat: Option<Money>,
    pub income: Option<bool>,
    pub name: Option<String>,
}

/// A document type; `attacheable` types can be attached to transactions and carry amounts.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentType {
    pub id: i64,
    pub name: &'static str,
    pub attacheable: bool,
}

/// `GET /documenttypes`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentTypesList {
    pub documenttypes: Vec<DocumentType>,
    pub total: i64,
}

/// The document types of the reference, in its order, with fixed ids.
pub const DOCUMENT_TYPES: &[(i64, &str, bool)] = &[
    (1, "zimage", false),
    (2, "pdf", false),
    (3, "odt", false),
    (4, "bill", true),
    (5, "RIB", false),
    (6, "statement", false),
    (7, "contract", false),
    (8, "notice", false),
    (9, "report", false),
    (10, "other", false),
    (11, "income_tax", false),
    (12, "kiid", false),
    (13, "certificate", false),
    (14, "identity", false),
    (15, "payslip", true),
    (16, "exchange_statement", false),
    (17, "bill_debit_advice", true),
];

/// The `bill` document type.
pub const BILL: i64 = 4;
/// The `statement` document type.
pub const STATEMENT: i64 = 6;

pub fn document_types() -> DocumentTypesList {
    let documenttypes: Vec<DocumentType> = DOCUMENT_TYPES
        .iter()
        .map(|&(id, name, attacheable)| DocumentType {
            id,
            name,
            attacheable,
        })
        .collect();
    DocumentTypesList {
        total: documenttypes.len() as i64,
        documenttypes,
    }
}

/// The id of the document type named `name`.
pub fn document_type_id(name: &str) -> Option<i64> {
    DOCUMENT_TYPES
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(id, _, _)| *id)
}

/// SUBSCRIPTION_FOUND: a new subscription (disabled until the PSU consents).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SubscriptionFoundPayload {
    pub id: i64,
    pub id_user: i64,
    pub id_connection: i64,
}

/// SUBSCRIPTION_SYNCED, and a subscription of CONNECTION_SYNCED: the subscription with the
/// documents this sync found.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SyncedSubscription {
    #[serde(flatten)]
    pub subscription: Subscription,
    pub documents: Vec<Document>,
}

/// `POST /sandbox/connections/{id}/bank/documents`: what the provider now shows.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentsInjected {
    pub injected: i64,
    /// The subscription's key at the provider.
    pub subscription: String,
}
