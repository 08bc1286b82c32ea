//! The `.milk` writer: MilkDrop 2's layout (`CState::Export`), exact numbers.

use super::code::CodeBlock;
use super::{BlockId, Preset};

pub(crate) fn to_milk(p: &Preset) -> String {
    let mut out = String::with_capacity(16 * 1024);
    push_int(&mut out, "MILKDROP_PRESET_VERSION", p.version);
    if p.version >= 200 {
        push_int(&mut out, "PSVERSION", p.ps_version);
        push_int(&mut out, "PSVERSION_WARP", p.ps_version_warp);
        push_int(&mut out, "PSVERSION_COMP", p.ps_version_comp);
    }
    out.push_str("[preset00]\n");
    p.base.write_fields(&mut out, "");

    for (k, wave) in p.waves.iter().enumerate() {
        wave.params
            .write_fields(&mut out, &format!("wavecode_{k}_"));
        write_block(&mut out, BlockId::WaveInit(k), &wave.init);
        write_block(&mut out, BlockId::WavePerFrame(k), &wave.per_frame);
        write_block(&mut out, BlockId::WavePerPoint(k), &wave.per_point);
    }
    for (k, shape) in p.shapes.iter().enumerate() {
        shape
            .params
            .write_fields(&mut out, &format!("shapecode_{k}_"));
        if let Some(image) = &shape.image {
            out.push_str(&format!("shapecode_{k}_image="));
            out.push_str(image);
            out.push('\n');
        }
        write_block(&mut out, BlockId::ShapeInit(k), &shape.init);
        write_block(&mut out, BlockId::ShapePerFrame(k), &shape.per_frame);
    }
    write_block(&mut out, BlockId::PerFrameInit, &p.per_frame_init);
    write_block(&mut out, BlockId::PerFrame, &p.per_frame);
    write_block(&mut out, BlockId::PerPixel, &p.per_pixel);
    if let Some(b) = &p.warp_shader {
        write_block(&mut out, BlockId::WarpShader, b);
    }
    if let Some(b) = &p.comp_shader {
        write_block(&mut out, BlockId::CompShader, b);
    }
    for u in &p.unknown {
        out.push_str(&u.key);
        out.push('=');
        out.push_str(&u.value);
        out.push('\n');
    }
    out
}

fn push_int(out: &mut String, key: &str, v: i32) {
    out.push_str(key);
    out.push('=');
    out.push_str(&v.to_string());
    out.push('\n');
}

/// Lines `prefix1=`... numbered from 1. Shader lines get their backtick;
/// other lines get one only when their text starts with a backtick (the
/// reader removes one from every code line).
fn write_block(out: &mut String, id: BlockId, block: &CodeBlock) {
    if block.lines.is_empty() && block.text.is_empty() {
        return;
    }
    for (i, line) in block.line_texts().enumerate() {
        out.push_str(&id.line_key(i as u32 + 1));
        out.push('=');
        if id.is_shader() || line.starts_with('`') {
            out.push('`');
        }
        out.push_str(line);
        out.push('\n');
    }
}
