//! The User object and the domain-wide list.

use crate::model::format::DateTime;
use serde::Serialize;
use utoipa::ToSchema;

/// A user, decoded straight from its row.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub signin: DateTime,
    #[schema(example = "sharedAccess")]
    pub platform: String,
}

/// `GET /users`: `users` is null when there are none, as observed live.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsersList {
    pub users: Option<Vec<User>>,
    pub total: i64,
}

impl UsersList {
    pub fn new(users: Vec<User>, total: i64) -> UsersList {
        UsersList {
            users: (!users.is_empty()).then_some(users),
            total,
        }
    }
}
