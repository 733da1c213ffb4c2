//! The request journal: a bounded ring of the latest requests, newest first on reading.

use crate::model::journal::JournalEntry;
use chrono::NaiveDateTime;
use std::collections::VecDeque;
use std::sync::Mutex;

/// The first bytes of a body the journal keeps.
pub const BODY_LIMIT: usize = 64 * 1024;

pub struct Journal {
    capacity: usize,
    inner: Mutex<Ring>,
}

#[derive(Default)]
struct Ring {
    next_id: u64,
    entries: VecDeque<JournalEntry>,
}

/// `GET /sandbox/requests`'s filters; every given one must match.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub method: Option<String>,
    /// A prefix of the path.
    pub path: Option<String>,
    /// The matched route, exactly.
    pub route: Option<String>,
    pub status: Option<u16>,
    pub id_user: Option<i64>,
    /// Sandbox time (UTC), inclusive.
    pub since: Option<NaiveDateTime>,
    pub limit: Option<usize>,
}

impl Filter {
    pub fn matches(&self, e: &JournalEntry) -> bool {
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&e.method))
            && self.path.as_ref().is_none_or(|p| e.path.starts_with(p))
            && self
                .route
                .as_ref()
                .is_none_or(|r| e.route.as_deref() == Some(r))
            && self.status.is_none_or(|s| e.status == Some(s))
            && self.id_user.is_none_or(|u| e.id_user == Some(u))
            && self.since.is_none_or(|t| e.time.0 >= t)
    }
}

impl Journal {
    /// A journal keeping the latest `capacity` requests; 0 keeps none.
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            inner: Mutex::new(Ring::default()),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Adds an entry (its `id` is given here), dropping the oldest past the capacity.
    pub fn record(&self, mut entry: JournalEntry) {
        if !self.enabled() {
            return;
        }
        let mut ring = self.inner.lock().expect("journal lock");
        ring.next_id += 1;
        entry.id = ring.next_id;
        if ring.entries.len() == self.capacity {
            ring.entries.pop_front();
        }
        ring.entries.push_back(entry);
    }

    /// The matching entries, newest first, at most `limit`, and how many matched.
    pub fn list(&self, filter: &Filter) -> (Vec<JournalEntry>, usize) {
        let ring = self.inner.lock().expect("journal lock");
        let matching = ring.entries.iter().rev().filter(|e| filter.matches(e));
        let total = matching.clone().count();
        let page = matching
            .take(filter.limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        (page, total)
    }

    pub fn get(&self, id: u64) -> Option<JournalEntry> {
        let ring = self.inner.lock().expect("journal lock");
        ring.entries.iter().find(|e| e.id == id).cloned()
    }

    /// Forgets every entry; ids keep increasing.
    pub fn clear(&self) {
        self.inner.lock().expect("journal lock").entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::journal::RecordedMessage;

    fn entry(method: &str, path: &str, status: u16) -> JournalEntry {
        JournalEntry {
            id: 0,
            time: crate::model::format::DateTime::parse("2026-01-01 10:00:00").unwrap(),
            wall_time: String::new(),
            method: method.into(),
            path: path.into(),
            query: None,
            route: None,
            status: Some(status),
            latency_ms: 0.0,
            request_id: None,
            id_user: None,
            fault: None,
            request: RecordedMessage::default(),
            response: RecordedMessage::default(),
        }
    }

    #[test]
    fn the_ring_keeps_the_latest_and_lists_newest_first() {
        let j = Journal::new(2);
        for p in ["/a", "/b", "/c"] {
            j.record(entry("GET", p, 200));
        }
        let (list, total) = j.list(&Filter::default());
        assert_eq!(total, 2);
        let ids: Vec<u64> = list.iter().map(|e| e.id).collect();
        assert_eq!(ids, [3, 2]);
        assert!(j.get(1).is_none());
        j.clear();
        j.record(entry("GET", "/d", 200));
        assert_eq!(j.list(&Filter::default()).0[0].id, 4);
    }

    #[test]
    fn a_journal_of_size_zero_records_nothing() {
        let j = Journal::new(0);
        j.record(entry("GET", "/a", 200));
        assert_eq!(j.list(&Filter::default()).1, 0);
    }

    #[test]
    fn filters_combine() {
        let j = Journal::new(10);
        j.record(entry("GET", "/2.0/users/me", 200));
        j.record(entry("POST", "/2.0/users/me/connections", 400));
        let f = Filter {
            method: Some("post".into()),
            path: Some("/2.0/users".into()),
            ..Filter::default()
        };
        assert_eq!(j.list(&f).1, 1);
        let f = Filter {
            status: Some(200),
            limit: Some(0),
            ..Filter::default()
        };
        let (page, total) = j.list(&f);
        assert_eq!((page.len(), total), (0, 1));
    }
}
