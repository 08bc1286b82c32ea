//! Run-time state of equation code: the variables of one code context, the
//! registers and memory shared by all code of a preset, and their limits.

use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::builtins::Rng;

/// Doubles in one `megabuf`/`gmegabuf` memory.
pub const MEM_SIZE: usize = 8_388_608;
/// Memory is allocated in blocks of this many doubles, on first write.
pub const MEM_BLOCK: usize = 65_536;

/// Number of global registers `reg00`..`reg99`.
pub const REGISTERS: usize = 100;

/// Index of a variable within its [`Context`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub u32);

/// Converts a memory address to an index as MilkDrop 2 does for `megabuf`:
/// `(int)(x + 0.00001)`, `None` when outside the memory.
#[inline]
pub fn mem_index(x: f64) -> Option<usize> {
    let i = (x + 0.00001) as i64;
    if (0..MEM_SIZE as i64).contains(&i) {
        Some(i as usize)
    } else {
        None
    }
}

/// Counts memory blocks allocated by all buffers of one preset, so a preset
/// cannot allocate without bound (writes past the limit are ignored).
#[derive(Debug, Clone)]
pub struct MemoryPool {
    used: Arc<AtomicUsize>,
    max_blocks: usize,
}

impl MemoryPool {
    pub fn new(max_bytes: usize) -> Self {
        MemoryPool {
            used: Arc::new(AtomicUsize::new(0)),
            max_blocks: max_bytes / (MEM_BLOCK * 8),
        }
    }

    /// Bytes currently allocated by buffers of this pool.
    pub fn used_bytes(&self) -> usize {
        self.used.load(Ordering::Relaxed) * MEM_BLOCK * 8
    }

    fn try_take(&self) -> bool {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < self.max_blocks).then_some(n + 1)
            })
            .is_ok()
    }

    fn give_back(&self, blocks: usize) {
        self.used.fetch_sub(blocks, Ordering::Relaxed);
    }
}

/// One `megabuf` (per context) or `gmegabuf` (per preset): 8,388,608
/// doubles that read as 0 until written, allocated block by block.
#[derive(Debug, Default)]
pub struct Memory {
    blocks: Vec<Option<Box<[f64]>>>,
    pool: Option<MemoryPool>,
}

impl Memory {
    #[inline]
    pub fn read(&self, index: usize) -> f64 {
        match self.blocks.get(index / MEM_BLOCK) {
            Some(Some(block)) => block[index % MEM_BLOCK],
            _ => 0.0,
        }
    }

    /// The cell at `index`, allocating its block from `pool` if needed;
    /// `None` when the pool is exhausted.
    #[inline]
    pub fn cell(&mut self, index: usize, pool: &MemoryPool) -> Option<&mut f64> {
        let b = index / MEM_BLOCK;
        if self.blocks.len() <= b {
            self.blocks.resize_with(b + 1, || None);
        }
        if self.blocks[b].is_none() {
            if !pool.try_take() {
                return None;
            }
            if self.pool.is_none() {
                self.pool = Some(pool.clone());
            }
            self.blocks[b] = Some(vec![0.0; MEM_BLOCK].into_boxed_slice());
        }
        self.blocks[b]
            .as_mut()
            .map(|block| &mut block[index % MEM_BLOCK])
    }

    /// Writes `value` at `index` (ignored when the pool is exhausted).
    #[inline]
    pub fn write(&mut self, index: usize, value: f64, pool: &MemoryPool) {
        if let Some(c) = self.cell(index, pool) {
            *c = value;
        }
    }

    /// `freembuf(top)`: frees the whole blocks above `top`.
    pub fn free_above(&mut self, top: usize) {
        let first = top.div_ceil(MEM_BLOCK);
        let mut freed = 0;
        for b in self.blocks.iter_mut().skip(first) {
            if b.take().is_some() {
                freed += 1;
            }
        }
        if let Some(pool) = &self.pool {
            pool.give_back(freed);
        }
    }

    /// Bytes allocated by this buffer.
    pub fn allocated_bytes(&self) -> usize {
        self.blocks.iter().flatten().count() * MEM_BLOCK * 8
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        self.free_above(0);
    }
}

/// The variables of one code context (MilkDrop runs per-frame code, per-vertex
/// code and each custom wave and shape in a context of its own) and its
/// `megabuf`. Names are lowercase; unknown variables start at 0.
#[derive(Debug, Default)]
pub struct Context {
    names: FxHashMap<String, VarId>,
    order: Vec<String>,
    pub(crate) values: Vec<f64>,
    pub(crate) megabuf: Memory,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// A context with room for `n` variables before it reallocates.
    pub fn with_capacity(n: usize) -> Self {
        Context {
            names: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            order: Vec::with_capacity(n),
            values: Vec::with_capacity(n),
            megabuf: Memory::default(),
        }
    }

    /// The variable called `name` (any case), created at 0 if new.
    /// As in MilkDrop 2, only the first 16 characters of a name count.
    pub fn var(&mut self, name: &str) -> VarId {
        if let Some(id) = self.lookup(name) {
            return id;
        }
        let lower = var_key(name);
        let id = VarId(self.order.len() as u32);
        self.names.insert(lower.clone(), id);
        self.order.push(lower);
        self.values.push(0.0);
        id
    }

    /// The variable called `name` if code or the host created it.
    pub fn lookup(&self, name: &str) -> Option<VarId> {
        // Names are ASCII in practice: look them up without allocating.
        let mut buf = [0u8; MAX_NAME_LEN];
        let bytes = name.as_bytes();
        if name.is_ascii() {
            let n = bytes.len().min(MAX_NAME_LEN);
            for (d, s) in buf.iter_mut().zip(&bytes[..n]) {
                *d = s.to_ascii_lowercase();
            }
            let key = std::str::from_utf8(&buf[..n]).expect("ASCII");
            return self.names.get(key).copied();
        }
        self.names.get(&var_key(name)).copied()
    }

    #[inline]
    pub fn get(&self, id: VarId) -> f64 {
        self.values.get(id.0 as usize).copied().unwrap_or(0.0)
    }

    #[inline]
    pub fn set(&mut self, id: VarId, value: f64) {
        if let Some(v) = self.values.get_mut(id.0 as usize) {
            *v = value;
        }
    }

    /// Value of the variable called `name`, 0 if it does not exist.
    pub fn get_named(&self, name: &str) -> f64 {
        self.lookup(name).map_or(0.0, |id| self.get(id))
    }

    /// Every variable with its name, in order of creation.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.order
            .iter()
            .zip(&self.values)
            .map(|(n, v)| (n.as_str(), *v))
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Name of a variable.
    pub fn name(&self, id: VarId) -> &str {
        &self.order[id.0 as usize]
    }

    /// The context's `megabuf`.
    pub fn megabuf(&self) -> &Memory {
        &self.megabuf
    }
}

/// Limits that keep untrusted preset code bounded.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Instructions one run may execute (loops charge their body's size for
    /// every iteration); past it the run stops with
    /// [`RunError::BudgetExceeded`](super::RunError::BudgetExceeded).
    pub instructions: u64,
    /// Bytes all `megabuf`s and the `gmegabuf` of one preset may allocate.
    pub memory_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            instructions: 20_000_000,
            memory_bytes: 256 << 20,
        }
    }
}

/// State shared by all code contexts of one preset: `reg00`..`reg99`,
/// `gmegabuf` (also `gmem[]`), the random generator and the memory pool.
#[derive(Debug)]
pub struct Globals {
    pub regs: [f64; REGISTERS],
    pub(crate) gmegabuf: Memory,
    pub(crate) rng: Rng,
    /// `rand()` scripts by code block, the running block's in `rng`.
    rand_scripts: Vec<std::collections::VecDeque<f64>>,
    rand_block: Option<usize>,
    rand_scripted: bool,
    pub(crate) pool: MemoryPool,
    pub(crate) limits: Limits,
}

impl Globals {
    pub fn new(seed: u64, limits: Limits) -> Self {
        Globals {
            regs: [0.0; REGISTERS],
            gmegabuf: Memory::default(),
            rng: Rng::new(seed),
            rand_scripts: Vec::new(),
            rand_block: None,
            rand_scripted: false,
            pool: MemoryPool::new(limits.memory_bytes),
            limits,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Scripts of uniform values in [0, 1) for `rand()`, one per code
    /// block (by the caller's block index), replacing earlier ones: while
    /// a block runs (after [`Globals::select_rand_script`]) its `rand()`
    /// calls draw from its script, then from the seeded generator. For
    /// replaying the numbers another engine drew, block by block, so a
    /// block one engine runs and the other skips shifts nothing.
    pub fn set_rand_scripts(&mut self, scripts: impl IntoIterator<Item = (usize, Vec<f64>)>) {
        self.rand_scripts.clear();
        self.rand_block = None;
        self.rng.set_script(std::iter::empty());
        for (block, values) in scripts {
            if self.rand_scripts.len() <= block {
                self.rand_scripts.resize_with(block + 1, Default::default);
            }
            self.rand_scripts[block] = values.into_iter().map(super::builtins::unit).collect();
        }
        self.rand_scripted = true;
    }

    /// Whether `rand()` scripts are set ([`Globals::set_rand_scripts`], not
    /// cleared since).
    pub fn rand_scripted(&self) -> bool {
        self.rand_scripted
    }

    /// Ends script mode: `rand()` draws from the seeded generator only.
    pub fn clear_rand_scripts(&mut self) {
        self.rand_scripts.clear();
        self.rand_block = None;
        self.rng.set_script(std::iter::empty());
        self.rand_scripted = false;
    }

    /// The code block about to run, for its `rand()` script (nothing to do
    /// without scripts).
    pub fn select_rand_script(&mut self, block: usize) {
        if !self.rand_scripted || self.rand_block == Some(block) {
            return;
        }
        if let Some(prev) = self.rand_block
            && let Some(slot) = self.rand_scripts.get_mut(prev)
        {
            *slot = self.rng.take_script();
        }
        let next = self
            .rand_scripts
            .get_mut(block)
            .map(std::mem::take)
            .unwrap_or_default();
        self.rng.put_script(next);
        self.rand_block = Some(block);
    }

    /// How the scripts fared: values not used, and `rand()` calls that
    /// found their block's script used up (they drew from the generator).
    pub fn rand_script_balance(&self) -> (usize, usize) {
        if !self.rand_scripted {
            return (0, 0);
        }
        let left = self.rng.script_left()
            + self
                .rand_scripts
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != self.rand_block)
                .map(|(_, q)| q.len())
                .sum::<usize>();
        (left, self.rng.past_script())
    }

    pub fn gmegabuf(&self) -> &Memory {
        &self.gmegabuf
    }

    /// Bytes allocated by all memories of this preset.
    pub fn memory_used(&self) -> usize {
        self.pool.used_bytes()
    }
}

impl Default for Globals {
    fn default() -> Self {
        Globals::new(0, Limits::default())
    }
}

/// Longest significant variable name (MilkDrop 2's `NSEEL_MAX_VARIABLE_NAMELEN`).
pub const MAX_NAME_LEN: usize = 16;

/// The key a variable name is stored under: lowercase, first 16 characters.
pub fn var_key(name: &str) -> String {
    name.chars()
        .take(MAX_NAME_LEN)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Register number for names `reg00`..`reg99`.
pub fn register_index(name: &str) -> Option<usize> {
    let digits = name.strip_prefix("reg")?;
    if digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

impl Context {
    /// Makes sure slots up to `n` exist (a program compiled against a larger
    /// context may run here; extra slots get placeholder names).
    pub(crate) fn ensure_len(&mut self, n: usize) {
        while self.order.len() < n {
            let name = format!("__slot{}", self.order.len());
            self.var(&name);
        }
    }
}
