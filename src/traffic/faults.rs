//! Fault rules: which requests they match, and the seeded draws that decide whether a
//! matching request is faulted, so the same seed and requests give the same faults.

use crate::model::fault::{Fault, FaultAction, FaultMatch};
use chrono::NaiveDateTime;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;
use std::time::Duration;

/// A rule as `POST /sandbox/faults` validated it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFault {
    pub matches: FaultMatch,
    pub action: FaultAction,
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    pub latency_ms: Option<[u64; 2]>,
    pub times: Option<u64>,
    pub probability: Option<f64>,
}

/// What is known of a request when faults are decided.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub route: Option<&'a str>,
    pub id_user: Option<i64>,
    pub id_connection: Option<i64>,
}

/// What the matching rules do to one request.
#[derive(Debug, Default, PartialEq)]
pub struct Decision {
    /// Waited before anything else (the sum of the latency rules that hit).
    pub latency: Duration,
    /// The latency rule that hit last, when one did.
    pub latency_rule: Option<u64>,
    /// The first status or drop rule that hit: (rule id, action, status, retry_after).
    pub outcome: Option<(u64, FaultAction, Option<u16>, Option<u64>)>,
}

struct Rule {
    fault: Fault,
    rng: ChaCha8Rng,
}

pub struct Faults {
    seed: u64,
    inner: Mutex<Rules>,
}

#[derive(Default)]
struct Rules {
    next_id: u64,
    rules: Vec<Rule>,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults {
            seed,
            inner: Mutex::new(Rules::default()),
        }
    }

    pub fn add(&self, new: NewFault, now: NaiveDateTime) -> Fault {
        let mut r = self.inner.lock().expect("faults lock");
        r.next_id += 1;
        let id = r.next_id;
        let fault = Fault {
            id,
            matches: new.matches,
            action: new.action,
            status: new.status,
            retry_after: new.retry_after,
            latency_ms: new.latency_ms,
            times: new.times,
            probability: new.probability,
            matched: 0,
            hits: 0,
            active: true,
            created: now.into(),
        };
        // One generator per rule, keyed by the sandbox seed and the rule's id.
        let rng = ChaCha8Rng::seed_from_u64(self.seed ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.rules.push(Rule {
            fault: fault.clone(),
            rng,
        });
        fault
    }

    pub fn list(&self) -> Vec<Fault> {
        let r = self.inner.lock().expect("faults lock");
        r.rules.iter().map(|r| r.fault.clone()).collect()
    }

    /// Removes one rule; false when there is none with this id.
    pub fn remove(&self, id: u64) -> bool {
        let mut r = self.inner.lock().expect("faults lock");
        let before = r.rules.len();
        r.rules.retain(|r| r.fault.id != id);
        r.rules.len() != before
    }

    /// Removes every rule; ids keep increasing.
    pub fn clear(&self) {
        self.inner.lock().expect("faults lock").rules.clear();
    }

    /// Whether an active rule matches on the user (which then has to be resolved).
    pub fn needs_user(&self) -> bool {
        let r = self.inner.lock().expect("faults lock");
        r.rules
            .iter()
            .any(|r| r.fault.active && r.fault.matches.id_user.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.inner.lock().expect("faults lock").rules.is_empty()
    }

    /// Counts and draws for one request, rules in id order: every latency rule that hits
    /// adds its wait; the first status or drop rule that hits decides the answer, and the
    /// rules after it are not consulted.
    pub fn decide(&self, facts: &Facts) -> Decision {
        let mut r = self.inner.lock().expect("faults lock");
        let mut decision = Decision::default();
        for rule in r.rules.iter_mut() {
            let f = &mut rule.fault;
            if !f.active || !matches(&f.matches, facts) {
                continue;
            }
            f.matched += 1;
            if let Some(p) = f.probability {
                if rule.rng.gen::<f64>() >= p {
                    continue;
                }
            }
            f.hits += 1;
            if f.times.is_some_and(|n| f.hits >= n) {
                f.active = false;
            }
            match f.action {
                FaultAction::Latency => {
                    let [min, max] = f.latency_ms.unwrap_or([0, 0]);
                    let ms = if max > min {
                        rule.rng.gen_range(min..=max)
                    } else {
                        min
                    };
                    decision.latency += Duration::from_millis(ms);
                    decision.latency_rule = Some(f.id);
                }
                action => {
                    decision.outcome = Some((f.id, action, f.status, f.retry_after));
                    break;
                }
            }
        }
        decision
    }
}

/// Whether every given field of `m` matches the request.
pub fn matches(m: &FaultMatch, facts: &Facts) -> bool {
    m.method
        .as_ref()
        .is_none_or(|x| x.eq_ignore_ascii_case(facts.method))
        && m.path.as_ref().is_none_or(|g| glob(g, facts.path))
        && m.route
            .as_ref()
            .is_none_or(|r| Some(r.as_str()) == facts.route)
        && m.id_user.is_none_or(|u| facts.id_user == Some(u))
        && m.id_connection
            .is_none_or(|c| facts.id_connection == Some(c))
}

/// `*` matches any run of characters but `/`, `**` any run at all; the rest literally.
pub fn glob(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p {
            [] => s.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| go(rest, &s[i..])),
            [b'*', rest @ ..] => {
                let seg = s.iter().position(|&c| c == b'/').unwrap_or(s.len());
                (0..=seg).any(|i| go(rest, &s[i..]))
            }
            [c, rest @ ..] => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(action: FaultAction) -> NewFault {
        NewFault {
            matches: FaultMatch::default(),
            action,
            status: Some(500),
            retry_after: None,
            latency_ms: None,
            times: None,
            probability: None,
        }
    }

    fn now() -> NaiveDateTime {
        crate::model::format::parse_datetime("2026-01-01 00:00:00").unwrap()
    }

    fn facts(path: &str) -> Facts<'_> {
        Facts {
            method: "GET",
            path,
            ..Facts::default()
        }
    }

    #[test]
    fn globs_match_one_segment_or_any_depth() {
        assert!(glob("/2.0/users/*/accounts", "/2.0/users/me/accounts"));
        assert!(!glob("/2.0/users/*/accounts", "/2.0/users/me/x/accounts"));
        assert!(glob("/2.0/**", "/2.0/users/me/accounts"));
        assert!(glob("/2.0/users/*", "/2.0/users/"));
        assert!(!glob("/2.0/users", "/2.0/users/me"));
    }

    #[test]
    fn times_spends_the_rule_then_it_stops_matching() {
        let f = Faults::new(42);
        let mut n = new(FaultAction::Status);
        n.times = Some(2);
        f.add(n, now());
        let hits: Vec<bool> = (0..4)
            .map(|_| f.decide(&facts("/2.0/x")).outcome.is_some())
            .collect();
        assert_eq!(hits, [true, true, false, false]);
        let listed = &f.list()[0];
        assert_eq!((listed.hits, listed.matched, listed.active), (2, 2, false));
    }

    #[test]
    fn probability_draws_repeat_for_the_same_seed_and_rule() {
        let pattern = |seed| {
            let f = Faults::new(seed);
            let mut n = new(FaultAction::Drop);
            n.probability = Some(0.5);
            f.add(n, now());
            (0..32)
                .map(|_| f.decide(&facts("/2.0/x")).outcome.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(pattern(7), pattern(7));
        assert_ne!(pattern(7), pattern(8));
        let hits = pattern(7).into_iter().filter(|h| *h).count();
        assert!((6..=26).contains(&hits), "{hits} of 32");
    }

    #[test]
    fn latency_adds_up_and_the_first_status_rule_wins() {
        let f = Faults::new(1);
        let mut l = new(FaultAction::Latency);
        l.latency_ms = Some([10, 10]);
        f.add(l, now());
        let mut s = new(FaultAction::Status);
        s.status = Some(503);
        f.add(s, now());
        f.add(new(FaultAction::Drop), now());
        let d = f.decide(&facts("/2.0/x"));
        assert_eq!(d.latency, Duration::from_millis(10));
        assert_eq!(d.outcome, Some((2, FaultAction::Status, Some(503), None)));
        assert_eq!(f.list()[2].matched, 0);
    }
}
