//! The committed `include/kefir.h` is what cbindgen makes of the current
//! source (build.rs writes it on developers' machines; in CI it only
//! writes `OUT_DIR/kefir.h`, so a stale committed header fails here).

#[test]
fn committed_header_is_up_to_date() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/kefir.h"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/kefir.h");
    let committed = std::fs::read_to_string(path).expect("include/kefir.h");
    assert!(
        committed == generated,
        "include/kefir.h is stale: build crates/capi outside CI (cargo build -p kefir-capi) and commit the header"
    );
}
