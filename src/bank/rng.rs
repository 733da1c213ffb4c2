//! The keyed PRNG behind every generated value: the same key gives the same stream, whatever
//! the order in which the sandbox asks for data.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

pub struct Gen(ChaCha8Rng);

impl Gen {
    /// A stream keyed by the given parts (sandbox seed first, by convention).
    pub fn new(parts: &[&dyn std::fmt::Display]) -> Gen {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p.to_string().as_bytes());
            h.update([0x1f]);
        }
        Gen(ChaCha8Rng::from_seed(h.finalize().into()))
    }

    pub fn range(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        self.0.gen_range(lo..=hi_inclusive)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.0.gen_bool(p.clamp(0.0, 1.0))
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.gen_range(0..items.len())]
    }

    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.0.gen_range(0..10u8)))
            .collect()
    }

    /// An amount in cents between the bounds, as a 2-decimal Decimal.
    pub fn money(&mut self, lo_cents: i64, hi_cents: i64) -> Decimal {
        Decimal::new(self.range(lo_cents, hi_cents), 2)
    }

    /// A Poisson-ish count with the given mean (sum of Bernoulli draws), cheap and bounded.
    pub fn count(&mut self, mean: f64) -> u32 {
        let slots = (mean * 3.0).ceil().max(1.0) as u32;
        let p = (mean / slots as f64).min(1.0);
        (0..slots).filter(|_| self.0.gen_bool(p)).count() as u32
    }
}
