//! Counters for `GET /metrics`, in the Prometheus text format: decisions by outcome, the
//! latency of decision calls, errors by code, reloads, and the digests in use. Plain atomics:
//! recording a decision takes no lock.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use interdict::{Decision, Outcome};

use crate::Engine;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    allow: AtomicU64,
    review: AtomicU64,
    block: AtomicU64,
    /// Calls to `/v1/decisions` that took at most each bucket's bound.
    buckets: [AtomicU64; BUCKETS.len()],
    calls: AtomicU64,
    micros: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    reloads: AtomicU64,
    failed_reloads: AtomicU64,
}

impl Metrics {
    /// Counts one call's decisions and its latency.
    pub fn decided(&self, decisions: &[Decision], took: Duration) {
        for decision in decisions {
            let counter = match decision.outcome {
                Outcome::Block => &self.block,
                Outcome::Review => &self.review,
                _ => &self.allow,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let seconds = took.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.calls.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Counts an error response.
    pub fn failed(&self, code: &'static str) {
        let mut errors = self
            .errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *errors.entry(code).or_default() += 1;
    }

    /// Counts a reload.
    pub fn reloaded(&self, succeeded: bool) {
        let counter = if succeeded {
            &self.reloads
        } else {
            &self.failed_reloads
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in the Prometheus text exposition format.
    pub fn render(&self, engine: &Engine) -> String {
        let mut out = String::new();
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        out.push_str("# HELP interdict_decisions_total Decisions taken, by outcome.\n");
        out.push_str("# TYPE interdict_decisions_total counter\n");
        for (outcome, counter) in [
            ("allow", &self.allow),
            ("review", &self.review),
            ("block", &self.block),
        ] {
            let _ = writeln!(
                out,
                "interdict_decisions_total{{outcome=\"{outcome}\"}} {}",
                load(counter)
            );
        }
        out.push_str(
            "# HELP interdict_decision_call_seconds Time to answer a call to /v1/decisions.\n",
        );
        out.push_str("# TYPE interdict_decision_call_seconds histogram\n");
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "interdict_decision_call_seconds_bucket{{le=\"{bound}\"}} {}",
                load(bucket)
            );
        }
        let calls = load(&self.calls);
        let _ = writeln!(
            out,
            "interdict_decision_call_seconds_bucket{{le=\"+Inf\"}} {calls}"
        );
        let seconds = load(&self.micros) as f64 / 1e6;
        let _ = writeln!(out, "interdict_decision_call_seconds_sum {seconds}");
        let _ = writeln!(out, "interdict_decision_call_seconds_count {calls}");
        out.push_str("# HELP interdict_errors_total Error responses, by code.\n");
        out.push_str("# TYPE interdict_errors_total counter\n");
        let errors = self
            .errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for (code, count) in errors {
            let _ = writeln!(out, "interdict_errors_total{{code=\"{code}\"}} {count}");
        }
        out.push_str("# HELP interdict_reloads_total Reloads of policies and store, by result.\n");
        out.push_str("# TYPE interdict_reloads_total counter\n");
        let _ = writeln!(
            out,
            "interdict_reloads_total{{result=\"ok\"}} {}",
            load(&self.reloads)
        );
        let _ = writeln!(
            out,
            "interdict_reloads_total{{result=\"failed\"}} {}",
            load(&self.failed_reloads)
        );
        out.push_str("# HELP interdict_engine_info The policy and store digests in use.\n");
        out.push_str("# TYPE interdict_engine_info gauge\n");
        let _ = writeln!(
            out,
            "interdict_engine_info{{policy_digest=\"{}\",store_digest=\"{}\"}} 1",
            engine.policies.digest(),
            engine.store.digest()
        );
        out.push_str("# HELP interdict_store_entities Entities in the store in use.\n");
        out.push_str("# TYPE interdict_store_entities gauge\n");
        let _ = writeln!(
            out,
            "interdict_store_entities {}",
            engine.store.facts().entity_count()
        );
        out
    }
}
