//! Times parsing and compiling a preset collection separately.
fn main() {
    let dir = std::env::args().nth(1).expect("dir");
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if p.extension().is_some_and(|e| e == "milk") {
            files.push(std::fs::read(&p).unwrap());
        }
    }
    let t = std::time::Instant::now();
    let presets: Vec<_> = files.iter().filter_map(|b| milk_parser::Preset::from_bytes(b).ok()).collect();
    let parse = t.elapsed();
    let t = std::time::Instant::now();
    let mut n = 0;
    for p in &presets {
        n += milk_parser::PresetCode::compile(p, Default::default()).errors.len();
    }
    let compile = t.elapsed();
    let t = std::time::Instant::now();
    for _ in &presets {
        let _ = milk_parser::code::frame_context(&Default::default());
    }
    println!("{} files, parse {:?}, compile {:?} ({n} errors), frame_context alone {:?}", files.len(), parse, compile, t.elapsed());
}
