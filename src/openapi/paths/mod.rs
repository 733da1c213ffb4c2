//! The routes still documented apart from their handlers: the webview pages.

pub mod ops;
