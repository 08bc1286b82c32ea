//! Order statistics of frame times.

/// The `p`th percentile (0..=100) of `values` by nearest rank on the sorted
/// values (sorts `values`); 0 when empty. NaNs sort last.
pub fn percentile(values: &mut [f32], p: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f32::total_cmp);
    let rank = (p.clamp(0.0, 100.0) / 100.0 * (values.len() - 1) as f32).round() as usize;
    values[rank.min(values.len() - 1)]
}

/// Median, 95th percentile, mean, min and max of a series.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub median: f32,
    pub p95: f32,
    pub mean: f32,
    pub min: f32,
    pub max: f32,
}

impl Summary {
    pub fn of(values: &[f32]) -> Self {
        if values.is_empty() {
            return Summary::default();
        }
        let mut v = values.to_vec();
        let median = percentile(&mut v, 50.0);
        let p95 = percentile(&mut v, 95.0);
        Summary {
            median,
            p95,
            mean: v.iter().sum::<f32>() / v.len() as f32,
            min: v[0],
            max: v[v.len() - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<f32> = (1..=101).rev().map(|i| i as f32).collect();
        assert_eq!(percentile(&mut v, 50.0), 51.0);
        assert_eq!(percentile(&mut v, 95.0), 96.0);
        assert_eq!(percentile(&mut v, 0.0), 1.0);
        assert_eq!(percentile(&mut v, 100.0), 101.0);
        assert_eq!(percentile(&mut [], 50.0), 0.0);
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!((s.min, s.max, s.mean), (1.0, 4.0, 2.5));
        assert_eq!(s.median, 3.0, "rank round(1.5) = 2");
    }
}
