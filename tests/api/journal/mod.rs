//! The request journal (`/sandbox/requests`): what it records, its filters, what it
//! redacts, and its bound.

mod bound;
mod filters;
mod recording;
mod redaction;
