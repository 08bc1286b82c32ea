//! Counts why per-vertex programs of a preset collection are not batched.
use std::collections::BTreeMap;
fn main() {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let dir = std::env::args().nth(1).expect("dir");
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(preset) = milk_parser::Preset::from_bytes(&std::fs::read(&p).unwrap()) else {
            continue;
        };
        let code = milk_parser::PresetCode::compile(&preset, Default::default());
        let progs = code.per_vertex.iter().map(|p| ("per_pixel", p)).chain(
            code.waves
                .iter()
                .filter_map(|w| w.per_point.as_ref().map(|p| ("per_point", p))),
        );
        for (kind, prog) in progs {
            let r = match prog.scalar_reason() {
                None => "batched".to_string(),
                Some(milk_parser::eel::ScalarReason::Carried(n)) => format!("carried {n}"),
                Some(r) => r.to_string(),
            };
            *reasons.entry(format!("{kind}: {r}")).or_default() += 1;
        }
    }
    let mut v: Vec<_> = reasons.into_iter().collect();
    v.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (r, n) in v.iter().take(40) {
        println!("{n:6} {r}");
    }
}
