//! MilkDrop's warp mesh and its per-vertex UV math.
//!
//! The mesh is a grid of `(cols + 1) * (rows + 1)` vertices over the screen
//! (48x36 cells by default). Each frame every vertex gets a texture
//! coordinate into the previous frame from the motion variables (zoom,
//! zoomexp, rot, warp, cx, cy, dx, dy, sx, sy), either the per-frame values
//! or, when the preset has per-vertex code, that code's results for the
//! vertex. The math follows MilkDrop 2's `milkdropfs.cpp` (the warp mesh
//! update in `ComputeGridAlphaValues`/`RenderFrame`), computed in f32 as
//! MilkDrop does.
//!
//! Conventions: vertex row 0 is the top of the screen and texture row 0 is
//! the top of the texture (wgpu's convention), so an identity motion maps
//! every vertex to its own position. MilkDrop's half-texel offset is a
//! Direct3D 9 pixel-centre correction that wgpu does not need.

/// Default mesh size, MilkDrop 2's default.
pub const DEFAULT_MESH: (u32, u32) = (48, 36);

/// MilkDrop's aspect factors for a `width` x `height` image: the longer side
/// is 1 and the shorter side is shorter/longer (`m_fAspectX/Y`).
pub fn aspect(width: u32, height: u32) -> [f32; 2] {
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    let ax = if h > w { w / h } else { 1.0 };
    let ay = if w > h { h / w } else { 1.0 };
    [ax, ay]
}

/// Reverses the order of `column`'s rows of `width` values each.
fn reverse_rows(column: &mut [f64], width: usize) {
    let rows = column.len() / width;
    for r in 0..rows / 2 {
        let (top, bottom) = column.split_at_mut((rows - 1 - r) * width);
        top[r * width..(r + 1) * width].swap_with_slice(&mut bottom[..width]);
    }
}

/// The motion variables for one vertex (or the whole frame).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    pub zoom: f64,
    pub zoomexp: f64,
    pub rot: f64,
    pub warp: f64,
    pub cx: f64,
    pub cy: f64,
    pub dx: f64,
    pub dy: f64,
    pub sx: f64,
    pub sy: f64,
}

impl Default for Motion {
    /// No motion: the previous frame maps onto itself.
    fn default() -> Self {
        Motion {
            zoom: 1.0,
            zoomexp: 1.0,
            rot: 0.0,
            warp: 0.0,
            cx: 0.5,
            cy: 0.5,
            dx: 0.0,
            dy: 0.0,
            sx: 1.0,
            sy: 1.0,
        }
    }
}

impl Motion {
    /// The values in the order of `milk_parser::code::MOTION_VARS`.
    pub fn from_array(v: [f64; 10]) -> Self {
        Motion {
            zoom: v[0],
            zoomexp: v[1],
            rot: v[2],
            warp: v[3],
            cx: v[4],
            cy: v[5],
            dx: v[6],
            dy: v[7],
            sx: v[8],
            sy: v[9],
        }
    }

    /// The values in the order of `milk_parser::code::MOTION_VARS`.
    pub fn to_array(self) -> [f64; 10] {
        [
            self.zoom,
            self.zoomexp,
            self.rot,
            self.warp,
            self.cx,
            self.cy,
            self.dx,
            self.dy,
            self.sx,
            self.sy,
        ]
    }
}

/// The frame-wide terms of MilkDrop's animated warp: `fWarpTime` and the
/// four frequencies `f[0..4]` that drift with it, and `1 / fWarpScale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarpTerms {
    pub time: f32,
    pub scale_inv: f32,
    pub f: [f32; 4],
}

impl WarpTerms {
    /// `time` in seconds; `anim_speed` and `scale` are the preset's
    /// `fWarpAnimSpeed` and `fWarpScale`.
    pub fn new(time: f64, anim_speed: f64, scale: f64) -> Self {
        let t = (time * anim_speed) as f32;
        let scale = scale as f32;
        WarpTerms {
            time: t,
            scale_inv: 1.0 / scale,
            f: [
                11.68 + 4.0 * (t * 1.413 + 10.0).cos(),
                8.77 + 3.0 * (t * 1.113 + 7.0).cos(),
                10.54 + 3.0 * (t * 1.233 + 3.0).cos(),
                11.49 + 4.0 * (t * 0.933 + 5.0).cos(),
            ],
        }
    }
}

/// The warp mesh for one image size.
#[derive(Debug, Clone)]
pub struct WarpMesh {
    cols: u32,
    rows: u32,
    aspect: [f32; 2],
    /// Clip-space position of each vertex (MilkDrop's `m_verts[n].x/y`, y up).
    clip: Vec<[f32; 2]>,
    /// Per-vertex code inputs `x`, `y`, `rad`, `ang`, one column each.
    inputs: [Vec<f64>; 4],
    /// The same inputs in the order the per-vertex code runs over them
    /// (see [`WarpMesh::code_inputs`]).
    code_inputs: [Vec<f64>; 4],
}

impl WarpMesh {
    /// A mesh of `cols` x `rows` cells (each at least 1) for a `width` x
    /// `height` image.
    pub fn new(cols: u32, rows: u32, width: u32, height: u32) -> Self {
        let (cols, rows) = (cols.max(1), rows.max(1));
        let [ax, ay] = aspect(width, height);
        let n = ((cols + 1) * (rows + 1)) as usize;
        let mut clip = Vec::with_capacity(n);
        let mut inputs: [Vec<f64>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
        for j in 0..=rows {
            for i in 0..=cols {
                let vx = i as f32 / cols as f32 * 2.0 - 1.0;
                let vy = 1.0 - j as f32 / rows as f32 * 2.0;
                clip.push([vx, vy]);
                let rad = ((vx * ax) * (vx * ax) + (vy * ay) * (vy * ay)).sqrt();
                let ang = if 2 * i == cols && 2 * j == rows {
                    0.0
                } else {
                    (vy * ay).atan2(vx * ax)
                };
                inputs[0].push(f64::from(vx * 0.5 * ax + 0.5));
                inputs[1].push(f64::from(vy * -0.5 * ay + 0.5));
                inputs[2].push(f64::from(rad));
                inputs[3].push(f64::from(ang));
            }
        }
        let code_inputs = inputs.clone().map(|mut column| {
            reverse_rows(&mut column, cols as usize + 1);
            column
        });
        WarpMesh {
            cols,
            rows,
            aspect: [ax, ay],
            clip,
            inputs,
            code_inputs,
        }
    }

    pub fn cols(&self) -> u32 {
        self.cols
    }

    pub fn rows(&self) -> u32 {
        self.rows
    }

    pub fn aspect(&self) -> [f32; 2] {
        self.aspect
    }

    pub fn vertex_count(&self) -> usize {
        self.clip.len()
    }

    /// Clip-space positions, row 0 at the top.
    pub fn clip_positions(&self) -> &[[f32; 2]] {
        &self.clip
    }

    /// A warp shader's `uv_orig` at clip position `pos`: where the vertex
    /// is on the screen, 0..1 with y down, without the aspect correction
    /// of the per-vertex `x`/`y` (MilkDrop 2's `tu_orig = x*0.5 + 0.5`,
    /// `tv_orig = -y*0.5 + 0.5`).
    pub fn uv_orig([x, y]: [f32; 2]) -> [f32; 2] {
        [x * 0.5 + 0.5, -y * 0.5 + 0.5]
    }

    /// Per-vertex code inputs `x`, `y`, `rad`, `ang` (MilkDrop's values:
    /// `x`, `y` in 0..1 with `y = 0` at the top, `rad` 0 at the centre and
    /// 1 at the middle of the longer side, `ang` counter-clockwise).
    pub fn inputs(&self) -> &[Vec<f64>; 4] {
        &self.inputs
    }

    /// [`WarpMesh::inputs`] in the order MilkDrop 2 runs the per-vertex
    /// code: the bottom row first (its `m_verts` row 0 is clip `y = -1`,
    /// the per-vertex `y = 1`), each row left to right; butterchurn walks
    /// its mesh the same way. The order is visible wherever the code
    /// carries a value from one vertex to the next (an accumulator, the
    /// `rand()` stream, `megabuf`), so the code must see it.
    /// [`WarpMesh::from_code_order`] puts a column of results back into
    /// the mesh's order.
    pub fn code_inputs(&self) -> &[Vec<f64>; 4] {
        &self.code_inputs
    }

    /// Reorders `column`, one value per vertex in the per-vertex code's
    /// order ([`WarpMesh::code_inputs`]), into the mesh's order (row 0 at
    /// the top). Its own inverse.
    pub fn from_code_order(&self, column: &mut [f64]) {
        reverse_rows(column, self.cols as usize + 1);
    }

    /// Triangle list indices over the grid: each cell split along the
    /// diagonal from its top-left to its bottom-right corner, as MilkDrop
    /// 2's `m_indices_list` splits it (triangles `v, v+1, v+W` and `v+1,
    /// v+W, v+W+1` over `m_verts`, whose row 0 is the bottom of the
    /// picture) and butterchurn's warp mesh. The diagonal shows wherever
    /// the warp differs from one vertex to the next: per-vertex code with
    /// `rand()` or other fields far from affine over a cell.
    pub fn indices(&self) -> Vec<u32> {
        let w = self.cols + 1;
        let mut out = Vec::with_capacity((self.cols * self.rows * 6) as usize);
        for j in 0..self.rows {
            for i in 0..self.cols {
                let a = j * w + i;
                out.extend_from_slice(&[a, a + 1, a + w + 1, a, a + w + 1, a + w]);
            }
        }
        out
    }

    /// The vertices on `ang`'s seam that warp shaders see twice: the
    /// middle row's vertices left of the centre, where `atan2` gives `+pi`
    /// while the row below them is near `-pi`. MilkDrop 2's
    /// `WarpedBlit_Shaders` draws the mesh in two halves and sets their
    /// `ang` to `-pi` for the lower half and `+pi` for the upper one, so no
    /// triangle runs through 0 across the seam; a warp shader's copies of
    /// these vertices (after [`WarpMesh::vertex_count`] ones, in this order)
    /// carry the `-pi`. Empty for an odd number of rows, whose middle falls
    /// between two rows.
    pub fn ang_seam(&self) -> Vec<u32> {
        if !self.rows.is_multiple_of(2) {
            return Vec::new();
        }
        let row = self.rows / 2 * (self.cols + 1);
        (0..self.cols / 2).map(|i| row + i).collect()
    }

    /// [`WarpMesh::indices`] for warp shaders: the cells just below the
    /// middle row take the seam's copies ([`WarpMesh::ang_seam`]) in place
    /// of its vertices.
    pub fn shader_indices(&self) -> Vec<u32> {
        let mut out = self.indices();
        let seam = self.ang_seam();
        let (Some(&first), Some(&last)) = (seam.first(), seam.last()) else {
            return out;
        };
        let copies = self.vertex_count() as u32;
        // Cell row rows / 2 lies between the middle row and the next one
        // down; each cell is 6 indices.
        let cells = (self.rows / 2 * self.cols * 6) as usize
            ..((self.rows / 2 + 1) * self.cols * 6) as usize;
        for v in &mut out[cells] {
            if (first..=last).contains(v) {
                *v = copies + (*v - first);
            }
        }
        out
    }

    /// The texture coordinate vertex `n` samples the previous frame at.
    pub fn warp_uv(&self, n: usize, m: &Motion, terms: &WarpTerms) -> [f32; 2] {
        let [vx, vy] = self.clip[n];
        let [ax, ay] = self.aspect;
        let rad = self.inputs[2][n] as f32;
        let zoom = m.zoom as f32;
        let zoomexp = m.zoomexp as f32;
        let (cx, cy) = (m.cx as f32, m.cy as f32);
        let (sx, sy) = (m.sx as f32, m.sy as f32);
        let warp = m.warp as f32;
        let rot = m.rot as f32;

        let zoom2 = zoom.powf(zoomexp.powf(rad * 2.0 - 1.0));
        let zoom2_inv = 1.0 / zoom2;
        let mut u = vx * ax * 0.5 * zoom2_inv + 0.5;
        // `vy` is up; MilkDrop's texture v grows downwards.
        let mut v = -vy * ay * 0.5 * zoom2_inv + 0.5;

        // Stretch.
        u = (u - cx) / sx + cx;
        v = (v - cy) / sy + cy;

        // Animated warp.
        let (t, s, f) = (terms.time, terms.scale_inv, terms.f);
        u += warp * 0.0035 * (t * 0.333 + s * (vx * f[0] - vy * f[3])).sin();
        v += warp * 0.0035 * (t * 0.375 - s * (vx * f[2] + vy * f[1])).cos();
        u += warp * 0.0035 * (t * 0.753 - s * (vx * f[1] - vy * f[2])).cos();
        v += warp * 0.0035 * (t * 0.825 + s * (vx * f[0] + vy * f[3])).sin();

        // Rotation about (cx, cy).
        let (u2, v2) = (u - cx, v - cy);
        let (sin_r, cos_r) = rot.sin_cos();
        u = u2 * cos_r - v2 * sin_r + cx;
        v = u2 * sin_r + v2 * cos_r + cy;

        // Translation.
        u -= m.dx as f32;
        v -= m.dy as f32;

        // Undo the aspect correction.
        u = (u - 0.5) / ax + 0.5;
        v = (v - 0.5) / ay + 0.5;
        [u, v]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn still() -> WarpTerms {
        WarpTerms::new(0.0, 1.0, 1.0)
    }

    #[test]
    fn aspect_factors() {
        assert_eq!(aspect(64, 48), [1.0, 0.75]);
        assert_eq!(aspect(48, 64), [0.75, 1.0]);
        assert_eq!(aspect(10, 10), [1.0, 1.0]);
    }

    #[test]
    fn identity_motion_maps_each_vertex_to_itself() {
        let mesh = WarpMesh::new(8, 6, 64, 48);
        for n in 0..mesh.vertex_count() {
            let [u, v] = mesh.warp_uv(n, &Motion::default(), &still());
            let [vx, vy] = mesh.clip_positions()[n];
            assert!((u - (vx * 0.5 + 0.5)).abs() < 1e-6, "u at {n}");
            assert!((v - (0.5 - vy * 0.5)).abs() < 1e-6, "v at {n}");
        }
    }

    #[test]
    fn inputs_follow_milkdrop() {
        let mesh = WarpMesh::new(4, 4, 100, 100);
        let [x, y, rad, ang] = mesh.inputs();
        // Vertex 0 is the top-left corner: x = 0, y = 0 (top), rad = sqrt 2,
        // ang = atan2(1, -1).
        assert_eq!((x[0], y[0]), (0.0, 0.0));
        assert!((rad[0] - 2f64.sqrt()).abs() < 1e-6);
        assert!((ang[0] - 1f64.atan2(-1.0)).abs() < 1e-6);
        // The centre vertex.
        let c = 2 * 5 + 2;
        assert_eq!((x[c], y[c], rad[c], ang[c]), (0.5, 0.5, 0.0, 0.0));
    }

    #[test]
    fn per_vertex_code_starts_at_the_bottom_left() {
        let mesh = WarpMesh::new(4, 3, 100, 100);
        let [x, y, rad, ang] = mesh.code_inputs();
        // MilkDrop 2's first vertex is m_verts[0] = (-1, -1): x 0, y 1.
        assert_eq!((x[0], y[0]), (0.0, 1.0));
        assert_eq!((x[4], y[4]), (1.0, 1.0));
        assert!(x[5] == 0.0 && (y[5] - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!((x[19], y[19]), (1.0, 0.0));
        assert!((rad[0] - 2f64.sqrt()).abs() < 1e-6);
        assert!((ang[0] - (-1f64).atan2(-1.0)).abs() < 1e-6);
        // Back in the mesh's order, the code's columns are the inputs.
        for (code, mesh_order) in mesh.code_inputs().iter().zip(mesh.inputs()) {
            let mut column = code.clone();
            mesh.from_code_order(&mut column);
            assert_eq!(&column, mesh_order);
        }
    }

    #[test]
    fn zoom_samples_closer_to_the_centre() {
        let mesh = WarpMesh::new(4, 4, 64, 64);
        let m = Motion {
            zoom: 1.25,
            ..Motion::default()
        };
        // Top-left corner samples 1/1.25 of the way from the centre.
        let [u, v] = mesh.warp_uv(0, &m, &still());
        assert!((u - (0.5 - 0.5 / 1.25)).abs() < 1e-6);
        assert!((v - (0.5 - 0.5 / 1.25)).abs() < 1e-6);
    }

    #[test]
    fn zoomexp_shapes_zoom_by_radius() {
        let mesh = WarpMesh::new(4, 4, 64, 64);
        let m = Motion {
            zoom: 2.0,
            zoomexp: 2.0,
            ..Motion::default()
        };
        // On the edge midpoint rad = 1: zoom^(2^1) = 4.
        let n = 2 * 5; // row 2 (middle), column 0 (left edge)
        let [u, _] = mesh.warp_uv(n, &m, &still());
        assert!((u - (0.5 - 0.5 / 4.0)).abs() < 1e-6, "u = {u}");
    }

    #[test]
    fn rotation_dx_dy_and_stretch() {
        let mesh = WarpMesh::new(2, 2, 64, 64);
        let right_mid = 3 + 2; // row 1, column 2: (1, 0) in clip space
        let quarter = Motion {
            rot: std::f64::consts::FRAC_PI_2,
            ..Motion::default()
        };
        let [u, v] = mesh.warp_uv(right_mid, &quarter, &still());
        assert!((u - 0.5).abs() < 1e-6 && (v - 1.0).abs() < 1e-6, "{u},{v}");
        let shift = Motion {
            dx: 0.1,
            dy: -0.2,
            ..Motion::default()
        };
        let [u, v] = mesh.warp_uv(right_mid, &shift, &still());
        assert!((u - 0.9).abs() < 1e-6 && (v - 0.7).abs() < 1e-6, "{u},{v}");
        let stretch = Motion {
            sx: 2.0,
            ..Motion::default()
        };
        let [u, _] = mesh.warp_uv(right_mid, &stretch, &still());
        assert!((u - 0.75).abs() < 1e-6, "{u}");
    }

    #[test]
    fn warp_moves_vertices_a_little_and_animates() {
        let mesh = WarpMesh::new(8, 8, 64, 64);
        let m = Motion {
            warp: 1.0,
            ..Motion::default()
        };
        let a = WarpTerms::new(1.0, 1.0, 1.0);
        let b = WarpTerms::new(2.0, 1.0, 1.0);
        let mut moved = 0;
        for n in 0..mesh.vertex_count() {
            let id = mesh.warp_uv(n, &Motion::default(), &a);
            let wa = mesh.warp_uv(n, &m, &a);
            let wb = mesh.warp_uv(n, &m, &b);
            // Two terms of amplitude 0.0035 per axis.
            assert!((wa[0] - id[0]).abs() <= 0.0071 && (wa[1] - id[1]).abs() <= 0.0071);
            if wa != wb {
                moved += 1;
            }
        }
        assert!(moved > mesh.vertex_count() / 2);
    }

    #[test]
    fn indices_cover_the_grid() {
        let mesh = WarpMesh::new(3, 2, 10, 10);
        let idx = mesh.indices();
        assert_eq!(idx.len(), 3 * 2 * 6);
        assert_eq!(*idx.iter().max().unwrap() as usize, mesh.vertex_count() - 1);
    }

    #[test]
    fn the_ang_seam_is_drawn_with_minus_pi_below_the_middle_row() {
        // 4x2 cells: the middle row is vertex row 1; its vertices left of
        // the centre (columns 0 and 1) are the seam.
        let mesh = WarpMesh::new(4, 2, 10, 10);
        let ang = &mesh.inputs()[3];
        assert_eq!(mesh.ang_seam(), [5, 6]);
        for v in mesh.ang_seam() {
            assert!((ang[v as usize] - std::f64::consts::PI).abs() < 1e-6);
        }
        let plain = mesh.indices();
        let shader = mesh.shader_indices();
        let n = mesh.vertex_count() as u32;
        // The upper cells keep the seam's own vertices (+pi, as the row
        // above, near +pi); the lower cells take the copies (-pi, as the
        // row below, near -pi).
        assert_eq!(plain[..24], shader[..24]);
        let lower = &shader[24..];
        assert!(lower.contains(&n) && lower.contains(&(n + 1)));
        assert!(!lower.contains(&5) && !lower.contains(&6));
        // The centre vertex (ang 0) and those right of it are not copied.
        assert!(lower.contains(&7));
        // An odd number of rows has no seam row.
        assert!(WarpMesh::new(4, 3, 10, 10).ang_seam().is_empty());
        assert_eq!(
            WarpMesh::new(4, 3, 10, 10).shader_indices(),
            WarpMesh::new(4, 3, 10, 10).indices()
        );
    }

    #[test]
    fn cells_split_from_top_left_to_bottom_right() {
        let mesh = WarpMesh::new(3, 2, 10, 10);
        let clip = mesh.clip_positions();
        for cell in mesh.indices().chunks(6) {
            // The two corners both triangles share are the diagonal's ends.
            let shared: Vec<u32> = cell[..3]
                .iter()
                .copied()
                .filter(|v| cell[3..].contains(v))
                .collect();
            assert_eq!(shared.len(), 2, "{cell:?}");
            let [a, b] = [clip[shared[0] as usize], clip[shared[1] as usize]];
            let (left, right) = if a[0] < b[0] { (a, b) } else { (b, a) };
            // Clip y points up: the left end is the upper one.
            assert!(
                left[1] > right[1],
                "cell {cell:?} splits {left:?}-{right:?}"
            );
        }
    }
}
