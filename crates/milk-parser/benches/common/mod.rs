//! Shared helpers of the milk-parser benchmarks: the preset corpus and
//! short criterion settings (the benchmark machine is small and shared).

#![allow(dead_code)]

use std::time::Duration;

use criterion::Criterion;

/// Short runs: 1 s warm-up, 3 s measurement (command-line flags still win).
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}
