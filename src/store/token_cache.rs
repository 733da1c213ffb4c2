//! Bearer tokens resolved from memory. A token's answer only changes when a row of `tokens`,
//! `auth_codes` or `users` is updated or deleted (revocation, renewal with
//! `revoke_previous`, a used single-access code, a user made permanent or deleted, the
//! purge of expired users, a reset, a scenario load) or when the sandbox clock passes one of
//! its expiry dates. The dates are kept with the entry and compared with the clock on every
//! hit, as the SQL does; the changes are caught in one place, SQLite's update hook on the
//! writer connection (installed by `Db::connect`), so no write path can forget them.
//!
//! Exactness against races: the hook fires inside the writing transaction, before its
//! commit. It empties the cache and marks it unsettled; while unsettled nothing is added.
//! When the writer connection goes back to the pool (after its commit or rollback) the
//! cache settles into a new epoch, and an answer read from the database is only kept if no
//! epoch began since the read started, so an answer read before the commit never lands in
//! the cache after it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The SHA-256 digest of a bearer token.
pub type Key = [u8; 32];

/// More entries than this and the cache starts again from empty (a cleared cache only costs
/// lookups).
const MAX_ENTRIES: usize = 100_000;

/// The tables whose updates and deletes can change what a token resolves to.
pub const WATCHED: [&str; 3] = ["tokens", "auth_codes", "users"];

#[derive(Debug, Clone)]
struct Entry<T> {
    resolved: T,
    /// The earliest expiry date (`YYYY-MM-DD HH:MM:SS`, the stored format) of the token or
    /// code and of its user; `None` when neither expires.
    valid_until: Option<String>,
}

#[derive(Debug)]
struct Inner<T> {
    entries: HashMap<Key, Entry<T>>,
    epoch: u64,
    unsettled: bool,
}

/// What a token resolves to (`T`), by the token's digest.
#[derive(Debug)]
pub struct TokenCache<T>(Arc<Mutex<Inner<T>>>);

impl<T> Clone for TokenCache<T> {
    fn clone(&self) -> Self {
        TokenCache(self.0.clone())
    }
}

impl<T> Default for TokenCache<T> {
    fn default() -> Self {
        TokenCache(Arc::new(Mutex::new(Inner {
            entries: HashMap::new(),
            epoch: 0,
            unsettled: false,
        })))
    }
}

/// The epoch a database read started in; see [`TokenCache::insert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epoch(u64);

impl<T: Clone> TokenCache<T> {
    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        // A panic while holding the lock cannot leave the map half-changed in a way that
        // matters: at worst an entry is missing.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached answer for `key` if it still holds at `now` (the stored date format).
    pub fn get(&self, key: &Key, now: &str) -> Option<T> {
        let mut inner = self.lock();
        let entry = inner.entries.get(key)?;
        if entry.valid_until.as_deref().is_none_or(|u| u > now) {
            return Some(entry.resolved.clone());
        }
        // Expired at `now`; the database decides (the clock may be moved back later).
        inner.entries.remove(key);
        None
    }

    /// Call before reading the database; hand the result to [`TokenCache::insert`].
    pub fn epoch(&self) -> Epoch {
        Epoch(self.lock().epoch)
    }

    /// Keeps an answer read from the database since `since`, unless a change began since.
    /// `expiries` are the expiry dates of the token or code and of its user, if any.
    pub fn insert(&self, key: Key, resolved: T, expiries: &[&Option<String>], since: Epoch) {
        let mut inner = self.lock();
        if inner.unsettled || inner.epoch != since.0 {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        let valid_until = expiries.iter().copied().flatten().min().cloned();
        inner.entries.insert(
            key,
            Entry {
                resolved,
                valid_until,
            },
        );
    }

    /// A watched row is being updated or deleted (inside a transaction not yet committed).
    pub fn changing(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.unsettled = true;
    }

    /// The writer connection is back in the pool: its transaction is over.
    pub fn settle(&self) {
        let mut inner = self.lock();
        if inner.unsettled {
            inner.unsettled = false;
            inner.epoch += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use crate::store::token_cache::{Epoch, Key, TokenCache};

    /// A user id, and the expiry dates of a token and of its user.
    fn resolved(token: Option<&str>, user: Option<&str>) -> (i64, [Option<String>; 2]) {
        (1, [token.map(String::from), user.map(String::from)])
    }

    fn insert(c: &TokenCache<i64>, (id, [t, u]): (i64, [Option<String>; 2]), since: Epoch) {
        c.insert(KEY, id, &[&t, &u], since);
    }

    const KEY: Key = [7; 32];

    #[test]
    fn an_entry_holds_until_the_earliest_of_its_expiry_dates() {
        let c = TokenCache::default();
        let e = c.epoch();
        insert(
            &c,
            resolved(Some("2026-01-01 10:00:00"), Some("2026-01-01 09:30:00")),
            e,
        );
        assert!(c.get(&KEY, "2026-01-01 09:29:59").is_some());
        assert!(c.get(&KEY, "2026-01-01 09:30:00").is_none());
        // Once expired the entry is gone: the database answers from then on.
        assert!(c.get(&KEY, "2026-01-01 09:00:00").is_none());
    }

    #[test]
    fn a_token_without_expiry_holds_at_any_time() {
        let c = TokenCache::default();
        insert(&c, resolved(None, None), c.epoch());
        assert!(c.get(&KEY, "9999-12-31 23:59:59").is_some());
    }

    #[test]
    fn a_change_empties_the_cache_and_refuses_answers_read_before_it_settled() {
        let c = TokenCache::default();
        insert(&c, resolved(None, None), c.epoch());
        let before = c.epoch();
        c.changing();
        assert!(c.get(&KEY, "2026-01-01 00:00:00").is_none());
        // Read during the change: refused while unsettled...
        insert(&c, resolved(None, None), before);
        assert!(c.is_empty());
        c.settle();
        // ...and after it settled, since its epoch is gone.
        insert(&c, resolved(None, None), before);
        assert!(c.is_empty());
        insert(&c, resolved(None, None), c.epoch());
        assert_eq!(c.len(), 1);
    }
}
