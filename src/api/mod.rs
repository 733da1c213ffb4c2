//! The `/2.0` surface. One route table: every path the API answers is listed here.

pub mod accounts;
pub mod amortizations;
pub mod auth;
pub mod balances;
pub mod categories;
pub mod connection_update;
pub mod connections;
pub mod connectors;
pub mod documents;
pub mod extract;
pub mod investments;
pub mod market_orders;
pub mod pockets;
pub mod principal;
pub mod reference;
pub mod sources;
pub mod subscriptions;
pub mod transaction_query;
pub mod transactions;
pub mod users;
pub mod wealth_scope;
pub mod webauth;
pub mod webhooks_auth;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Each `routes!` group is one path; the path and its methods come from the handlers'
/// `#[utoipa::path]`, which name the full path (`/2.0/...`), so this table is merged into
/// the application rather than nested.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // Authentication (§2)
        .routes(routes!(auth::init))
        .routes(routes!(auth::code))
        .routes(routes!(auth::access))
        .routes(routes!(auth::renew))
        .routes(routes!(auth::revoke))
        // Webauth (§12.2)
        .routes(routes!(webauth::url))
        .routes(routes!(webauth::start))
        // Users (§2)
        .routes(routes!(users::list))
        .routes(routes!(users::get, users::delete))
        // Connections, sources, logs (§6)
        .routes(routes!(connections::list, connections::create))
        .routes(routes!(
            connections::get,
            connection_update::update,
            connections::sync_now,
            connections::delete
        ))
        .routes(routes!(sources::list))
        .routes(routes!(sources::get, sources::update))
        .routes(routes!(sources::logs))
        // Bank accounts (§7)
        .routes(routes!(accounts::list))
        .routes(routes!(accounts::get, accounts::update))
        .routes(routes!(accounts::list_in_connection))
        .routes(routes!(
            accounts::get_in_connection,
            accounts::update_in_connection
        ))
        // Transactions (§8)
        .routes(routes!(transactions::list))
        .routes(routes!(transactions::get, transactions::update))
        .routes(routes!(transactions::list_in_account))
        .routes(routes!(transactions::get_in_account))
        .routes(routes!(transactions::list_in_connection))
        .routes(routes!(transactions::list_in_connection_account))
        // Categories (wealth and documents reference §2)
        .routes(routes!(categories::bank_categories))
        .routes(routes!(categories::full))
        .routes(routes!(categories::of_user))
        .routes(routes!(categories::of_account))
        .routes(routes!(categories::of_connection_account))
        // Balances (wealth and documents reference §3)
        .routes(routes!(balances::of_account))
        .routes(routes!(balances::of_connection_account))
        // Wealth: investments, pockets, market orders (wealth reference §4 to §6)
        .routes(routes!(investments::list))
        .routes(routes!(investments::list_in_account))
        .routes(routes!(investments::list_in_connection))
        .routes(routes!(investments::list_in_connection_account))
        .routes(routes!(investments::get))
        .routes(routes!(investments::get_in_user))
        .routes(routes!(investments::history))
        .routes(routes!(investments::history_in_user))
        .routes(routes!(pockets::list))
        .routes(routes!(pockets::list_in_investment))
        .routes(routes!(pockets::list_in_account))
        .routes(routes!(pockets::list_in_connection))
        .routes(routes!(pockets::get))
        .routes(routes!(pockets::get_in_user))
        .routes(routes!(market_orders::list))
        .routes(routes!(market_orders::list_in_account))
        .routes(routes!(market_orders::list_in_connection))
        .routes(routes!(market_orders::get))
        .routes(routes!(market_orders::get_in_user))
        // Loan amortizations (wealth reference §7)
        .routes(routes!(amortizations::list))
        .routes(routes!(amortizations::list_in_account))
        .routes(routes!(amortizations::list_in_connection))
        // Catalogue (§5, §9, §10)
        .routes(routes!(connectors::list, connectors::patch))
        .routes(routes!(connectors::get, connectors::update))
        .routes(routes!(connectors::sources))
        .routes(routes!(connectors::source))
        .routes(routes!(connectors::fields))
        .routes(routes!(connectors::list_banks))
        .routes(routes!(connectors::get_bank))
        .routes(routes!(connectors::list_providers))
        .routes(routes!(connectors::get_provider))
        .routes(routes!(reference::account_types))
        .routes(routes!(reference::account_type))
        .routes(routes!(reference::currencies))
        .routes(routes!(reference::currency))
        // Webhook auth providers (§13, config token)
        .routes(routes!(webhooks_auth::list, webhooks_auth::create))
        .routes(routes!(webhooks_auth::delete))
        // Subscriptions, documents, document types (Bill product)
        .merge(documents::routes())
}
