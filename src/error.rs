//! One error type for the whole service. Every failure a client can see is turned into the
//! Powens error body `{code, description, message?, request_id}` here, and nowhere else.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: missing, unknown, revoked or expired token.
    #[error("unauthorized")]
    Unauthorized,
    /// 403: a valid token that may not do this (e.g. a user token on `GET /users`).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 400 `missingParameter`, naming the parameter.
    #[error("missing parameter {0}")]
    MissingParameter(String),
    /// 400 `invalidValue`, with a description naming the parameter.
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// 404 for unknown resources, other users' resources and unknown routes.
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409 or 400 with a Powens business code (`noAccount`, `wrongpass`, ...).
    #[error("{code}: {description}")]
    Business {
        status: StatusCode,
        code: &'static str,
        description: String,
        message: Option<String>,
    },
    /// 413: request body over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 503: the store refuses writes (read-only or full disk) or is busy past its timeout.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug of ours. Details are logged once, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The error body of every failure: `{code, description, message?, request_id}`.
#[derive(Serialize, ToSchema)]
pub struct ServiceError {
    /// `invalidValue`, `missingParameter`, `unauthorized`, `forbidden`, `notFound`,
    /// `methodNotAllowed`, `noAccount`, `wrongpass`, `websiteUnavailable`, `bug`...
    #[schema(example = "invalidValue")]
    pub code: String,
    pub description: String,
    /// A message from the bank for the end user, untranslated, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn invalid(param: &str, why: impl std::fmt::Display) -> Self {
        ApiError::InvalidValue(format!("Invalid value for parameter '{param}': {why}."))
    }

    pub fn missing(param: &str) -> Self {
        ApiError::MissingParameter(param.to_string())
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(what.to_string())
    }

    pub fn business(
        status: StatusCode,
        code: &'static str,
        description: impl Into<String>,
    ) -> Self {
        ApiError::Business {
            status,
            code,
            description: description.into(),
            message: None,
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::MissingParameter(_) | ApiError::InvalidValue(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Business { status, .. } => *status,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ServiceError {
        let (code, description, message) = match self {
            ApiError::Unauthorized => (
                "unauthorized".to_string(),
                "You don't have the required authorization parameter to access this endpoint."
                    .to_string(),
                None,
            ),
            ApiError::Forbidden(d) => ("forbidden".into(), d.clone(), None),
            ApiError::MissingParameter(p) => (
                "missingParameter".into(),
                format!("Missing required parameter '{p}'."),
                None,
            ),
            ApiError::InvalidValue(d) => ("invalidValue".into(), d.clone(), None),
            // No public source shows Powens' 404 body; `notFound` is our choice.
            ApiError::NotFound(what) => ("notFound".into(), format!("{what} not found."), None),
            ApiError::MethodNotAllowed => (
                "methodNotAllowed".into(),
                "This HTTP method is not allowed on this endpoint.".into(),
                None,
            ),
            ApiError::Business {
                code,
                description,
                message,
                ..
            } => (code.to_string(), description.clone(), message.clone()),
            ApiError::PayloadTooLarge => (
                "invalidValue".into(),
                "The request body is too large.".into(),
                None,
            ),
            ApiError::Unavailable(_) => (
                "websiteUnavailable".into(),
                "The service is temporarily unavailable, retry later.".into(),
                None,
            ),
            ApiError::Internal(_) => ("bug".into(), "An internal error occurred.".into(), None),
        };
        ServiceError {
            code,
            description,
            message,
            request_id: crate::request_id::current(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(e) => tracing::error!(error = %e, "internal error"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "store unavailable"),
            _ => {}
        }
        (self.status(), Json(self.body())).into_response()
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        // A full disk, a read-only file or a lock held past the busy timeout is a fault of
        // the environment, not a bug: answer 503 so clients retry.
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message().to_ascii_lowercase();
            if msg.contains("locked")
                || msg.contains("busy")
                || msg.contains("readonly")
                || msg.contains("read-only")
                || msg.contains("disk is full")
                || msg.contains("disk i/o")
            {
                return ApiError::Unavailable(db.message().to_string());
            }
        }
        if matches!(e, sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) {
            return ApiError::Unavailable(e.to_string());
        }
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}
