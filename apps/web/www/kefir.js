// Kefir's JS module: a MilkDrop visualizer on a canvas, with an API close to
// butterchurn's. See apps/web/README.md.
//
//   import { Kefir } from './kefir.js';
//   const viz = await Kefir.create(canvas, { audioContext });
//   viz.connectAudio(sourceNode);
//   const report = await viz.loadPreset(milkText, { name: 'x', blendSeconds: 2 });
//   viz.start();
import init, { Core, webgpuAvailable, webgpuOffscreenCheck } from './pkg/kefir_web.js';

let wasmReady = null;

// The largest texture side the engine keeps (milk-engine's MAX_TEXTURE_SIDE).
const MAX_TEXTURE_SIDE = 4096;

/** File names a texture can have: MilkDrop's image extensions, any case. */
export const TEXTURE_NAME = /\.(jpe?g|png|bmp|dib|tga|dds)$/i;

function loadWasm(url) {
  if (!wasmReady) {
    wasmReady = init(url ? { module_or_path: url } : undefined);
  }
  return wasmReady;
}

// A canvas can only ever hold one kind of context: after a failed WebGPU
// attempt the WebGL2 attempt needs a new one, put in the old one's place.
function freshCanvas(old) {
  const canvas = old.cloneNode(false);
  if (old.parentNode) {
    old.parentNode.replaceChild(canvas, old);
  }
  return canvas;
}

const tapModules = new WeakMap();

function loadTap(audioContext) {
  let ready = tapModules.get(audioContext);
  if (!ready) {
    const url = new URL('./kefir-tap.js', import.meta.url);
    ready = audioContext.audioWorklet.addModule(url);
    tapModules.set(audioContext, ready);
  }
  return ready;
}

export class Kefir {
  /**
   * Renders `frames` frames of a preset (its .milk text) on a WebGPU device
   * of its own, with no canvas, and reads frames back: whether WebGPU runs
   * Kefir in this browser. Options: `name`, `width`/`height` (320x180),
   * `frames` (30), `wasmUrl`. Resolves to `{ adapter, backend, frames,
   * report, lit, mean, change, errors }`; rejects without a WebGPU adapter.
   */
  static async checkWebGpu(presetText, options = {}) {
    await loadWasm(options.wasmUrl);
    return webgpuOffscreenCheck(
      options.name ?? 'WebGPU check',
      presetText,
      options.width ?? 320,
      options.height ?? 180,
      options.frames ?? 30,
    );
  }

  /**
   * Creates a visualizer on `canvas`. Options: `audioContext` (for
   * connectAudio), `backend` ('auto' | 'webgpu' | 'webgl2', default 'auto':
   * WebGPU where the browser has an adapter, else WebGL2), `seed`,
   * `width`/`height` (drawing buffer size, default the canvas's),
   * `autoScale` (default false; see setAutoScale), `wasmUrl`. Resolves to a
   * Kefir; `viz.canvas` is the canvas it draws on (a new one if a WebGPU
   * attempt failed).
   */
  static async create(canvas, options = {}) {
    await loadWasm(options.wasmUrl);
    const backend = options.backend ?? 'auto';
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    if (options.width && options.height) {
      canvas.width = options.width;
      canvas.height = options.height;
    }
    let core = null;
    let webgpuError = null;
    if (backend === 'webgpu' || (backend === 'auto' && (await webgpuAvailable()))) {
      try {
        core = await Core.create(canvas, 'webgpu', seed);
      } catch (e) {
        if (backend === 'webgpu') throw e;
        webgpuError = e;
        console.warn('kefir: WebGPU failed, using WebGL2:', e);
        canvas = freshCanvas(canvas);
      }
    }
    if (!core) {
      core = await Core.create(canvas, 'webgl2', seed);
    }
    const viz = new Kefir(core, canvas, options.audioContext ?? null, webgpuError, seed);
    if (options.autoScale) viz.setAutoScale(true, options);
    return viz;
  }

  constructor(core, canvas, audioContext, webgpuError, seed) {
    this.core = core;
    this.seed = seed;
    this.recovering = null;
    this.canvas = canvas;
    // The drawing buffer size asked for (automatic scaling draws at a
    // fraction of it) and the pacing settings, kept for a fallback core.
    this.display = [canvas.width, canvas.height];
    this.pacing = [false, 0, 0];
    this.audioContext = audioContext;
    this.webgpuError = webgpuError;
    // What the page gave the core, to give a new one after a lost device:
    // added presets and textures, timing and the favourites filter (marks,
    // lock and the preset playing are read from the old core).
    this.added = [];
    this.addedTextures = [];
    this.timing = null;
    this.favouritesOnly = false;
    // When the graphics device or context was lost lately (ms).
    this.losses = [];
    this.contextLost = false;
    this.watchContext(canvas);
    this.running = false;
    this.raf = 0;
    this.tap = null;
    this.sources = new Set();
    this.listeners = new Set();
    this.waiting = null;
    this.tick = (now) => {
      if (!this.running) return;
      this.raf = requestAnimationFrame(this.tick);
      this.render(now);
    };
  }

  /** 'WebGPU' or 'WebGL2'. */
  get backend() {
    return this.core.backend;
  }

  /** Renders one frame at `now` ms (start() does this every animation frame). */
  render(now = performance.now()) {
    if (this.core.lost || this.contextLost) {
      if (!this.lostReported) this.recovering ??= this.replaceCore();
      return;
    }
    try {
      this.core.frame(now);
    } catch (e) {
      console.error('kefir: frame failed:', e);
    }
    this.pumpEvents();
  }

  pumpEvents() {
    for (const ev of this.core.takeEvents()) this.emit(ev);
  }

  emit(event) {
    const w = this.waiting;
    if (w && event.kind === 'preset' && event.request === w.request) {
      this.waiting = null;
      w.resolve(event);
    }
    for (const fn of this.listeners) fn(event);
  }

  // loadPreset/selectPreset: the report, or, while the preset is prepared a
  // step per frame (the page keeps drawing the current one), a promise of
  // it that the `preset` event carrying the request number resolves.
  awaitReport(result, name) {
    if (!result || !result.pending) return result;
    this.replaceWaiting();
    const promise = new Promise((resolve) => {
      this.waiting = { request: result.request, name, resolve };
    });
    if (!this.running) {
      // No frames to do the steps: finish it now.
      this.core.settle();
      this.pumpEvents();
    }
    return promise;
  }

  // A request overtaken by another (or by next/previous, or by a lost
  // device) resolves as not loaded, saying `why`.
  replaceWaiting(why = 'replaced by a later request') {
    const w = this.waiting;
    if (!w) return;
    this.waiting = null;
    w.resolve({
      kind: 'preset',
      name: w.name,
      path: null,
      ok: false,
      errors: [{ part: 'file', line: 0, col: 0, message: why }],
      warnings: [],
      warpShader: false,
      compShader: false,
      blend: false,
      prepareMs: 0,
    });
  }

  // A WebGL2 context is lost when the GPU resets (a driver's watchdog
  // stopping a frame that ran too long, often a preset too heavy for the
  // GPU) or the browser reclaims it; wgpu does not notice, and the canvas
  // would stay black.
  watchContext(canvas) {
    canvas.addEventListener('webglcontextlost', () => {
      if (canvas === this.canvas) this.contextLost = true;
    });
  }

  // The browser lost the graphics device: the WebGPU device (some drivers
  // lose it at the first present) or the WebGL2 context. Goes on with
  // WebGL2 on a fresh canvas, keeping the added presets and textures, the
  // marks and settings and the audio; after a lost WebGL2 context the
  // preset that was playing is skipped (it may be what reset the GPU).
  // Emits {kind: 'backend', backend, canvas, message}; a third loss within
  // a minute, or a browser that gives no new context, ends it with
  // {kind: 'lost'}.
  async replaceCore() {
    const old = this.core;
    const lostBackend = old.backend;
    const now = performance.now();
    this.losses = this.losses.filter((t) => now - t < 60000);
    this.losses.push(now);
    if (this.losses.length > 2) {
      this.giveUp(lostBackend, 'lost three times within a minute');
      return;
    }
    const prefs = old.prefsJson();
    const { path, preset } = old.stats();
    const locked = old.locked;
    // After a lost WebGL2 context the preset that was playing is skipped.
    const skip = lostBackend === 'WebGL2' ? path : null;
    const fresh = freshCanvas(this.canvas);
    console.warn(`kefir: the ${lostBackend} ${lostBackend === 'WebGL2' ? 'context' : 'device'} was lost; going on with WebGL2`);
    try {
      const core = await Core.create(fresh, 'webgl2', this.seed, skip);
      core.setPrefsJson(prefs);
      for (const [names, texts] of this.added) core.addPresets(names, texts);
      for (const t of this.addedTextures) core.addTexture(t.name, t.width, t.height, t.rgba);
      if (this.timing) core.setTiming(...this.timing);
      core.setFavouritesOnly(this.favouritesOnly);
      if (path && !skip) core.select(path, 0);
      core.setLocked(locked);
      core.setPacing(...this.pacing);
      core.setSize(...this.display);
      // A load still being prepared went with the old core.
      this.replaceWaiting('the graphics device was lost while it was prepared');
      // The old core is left to the garbage collector: freeing wgpu
      // objects of a lost device is not safe.
      this.core = core;
      this.canvas = fresh;
      this.watchContext(fresh);
      this.contextLost = false;
      this.recovering = null;
      const message = skip
        ? `the WebGL2 context was lost while "${preset}" played: skipped it`
        : `the ${lostBackend} device was lost: going on with ${core.backend}`;
      this.emit({ kind: 'backend', backend: core.backend, canvas: fresh, message });
    } catch (e) {
      this.giveUp(lostBackend, String(e));
    }
  }

  giveUp(backend, error) {
    this.lostReported = true;
    this.stop();
    this.emit({ kind: 'lost', backend, error });
  }

  /** Calls `fn(event)` for preset loads, failures and warnings. */
  onEvent(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.raf = requestAnimationFrame(this.tick);
  }

  stop() {
    this.running = false;
    cancelAnimationFrame(this.raf);
  }

  /**
   * Analyses what `node` (any AudioNode of `audioContext`) plays, gap-free
   * through an AudioWorklet. Several nodes can be connected; the demo
   * signal stops.
   */
  async connectAudio(node) {
    const ctx = this.audioContext ?? node.context;
    this.audioContext = ctx;
    if (!this.tap) {
      await loadTap(ctx);
      this.tap = new AudioWorkletNode(ctx, 'kefir-tap', {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 2,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
      });
      this.tap.port.onmessage = (e) => {
        this.core.pushAudio(e.data, 2, ctx.sampleRate);
      };
    }
    node.connect(this.tap);
    this.sources.add(node);
  }

  /** Stops analysing `node` (all nodes without an argument). */
  disconnectAudio(node) {
    const nodes = node ? [node] : [...this.sources];
    for (const n of nodes) {
      try {
        n.disconnect(this.tap);
      } catch (_) {
        // Not connected.
      }
      this.sources.delete(n);
    }
  }

  /** Plays the built-in (silent) demo signal until audio arrives again. */
  useDemoSignal() {
    this.disconnectAudio();
    this.core.useDemo();
  }

  /**
   * Plays `.milk` text. Options: `name`, `blendSeconds` (default 1.7; 0
   * cuts). Resolves to `{name, ok, errors: [{part, line, col, message}],
   * warnings, warpShader, compShader, blend, prepareMs}`; a preset with
   * errors still plays (broken blocks off, default shaders), one that does
   * not load at all leaves the previous one playing (`ok: false`).
   */
  async loadPreset(text, options = {}) {
    const name = options.name ?? 'preset';
    const blend = options.blendSeconds ?? 1.7;
    return this.awaitReport(this.core.loadPreset(name, text, blend), name);
  }

  /** Adds `[{name, text}]` to the playlist; returns their paths. */
  addPresets(presets) {
    const names = presets.map((p) => p.name);
    const texts = presets.map((p) => p.text);
    this.added.push([names, texts]);
    return this.core.addPresets(names, texts);
  }

  /**
   * Adds a picture (a File or Blob: jpg, png, bmp, gif or webp, decoded by
   * the browser) as a texture for presets loaded from now on: `clouds.png`
   * is what a shader's `sampler_clouds` reads, and `randNN` samplers pick
   * among the added pictures. `options.name` overrides the file's name.
   * Resolves to `{name, width, height}`; rejects with the reason when the
   * browser cannot decode it (MilkDrop's .tga and .dds files: convert them
   * to png) or the name is not an image name.
   */
  async addTexture(blob, options = {}) {
    const name = options.name ?? blob.name ?? 'texture.png';
    if (!TEXTURE_NAME.test(name)) {
      throw new Error(`${name}: a texture needs an image name (NAME.jpg, .png, .bmp, .tga or .dds)`);
    }
    let bitmap;
    try {
      bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    } catch (e) {
      throw new Error(`${name}: this browser cannot decode it (${e.message ?? e}); png or jpg work everywhere`);
    }
    // The engine keeps at most 4096 texels a side; scale larger ones here.
    const scale = Math.min(1, MAX_TEXTURE_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const rgba = new Uint8Array(g.getImageData(0, 0, width, height).data.buffer);
    if (!this.core.addTexture(name, width, height, rgba)) {
      throw new Error(`${name}: not taken as a texture`);
    }
    this.addedTextures.push({ name, width, height, rgba });
    return { name, width, height };
  }

  /** The names of the textures added with addTexture(). */
  textures() {
    return this.core.textures();
  }

  /** Plays a playlist preset by path (from presets()). */
  async selectPreset(path, options = {}) {
    return this.awaitReport(this.core.select(path, options.blendSeconds ?? 1.7), path);
  }

  /** `[{path, name, favourite, broken}]` matching every word of `query`. */
  presets(query = '') {
    return this.core.presets(query);
  }

  nextPreset() {
    this.replaceWaiting();
    this.core.next();
  }

  previousPreset() {
    this.replaceWaiting();
    this.core.previous();
  }

  randomPreset() {
    this.replaceWaiting();
    this.core.random();
  }

  hardCut() {
    this.replaceWaiting();
    this.core.hardCut();
  }

  setLocked(on) {
    this.core.setLocked(on);
  }

  get locked() {
    return this.core.locked;
  }

  toggleFavourite() {
    return this.core.toggleFavourite();
  }

  setFavouritesOnly(on) {
    this.favouritesOnly = Boolean(on);
    this.core.setFavouritesOnly(on);
  }

  neverAgain() {
    this.core.neverAgain();
  }

  /** Favourites and never-again marks as JSON text, and back. */
  prefs() {
    return this.core.prefsJson();
  }

  setPrefs(text) {
    return this.core.setPrefsJson(text);
  }

  /** Seconds between automatic changes (0: off) and their blend. */
  setTiming(presetSeconds, blendSeconds = 2.7) {
    this.timing = [presetSeconds, blendSeconds];
    this.core.setTiming(presetSeconds, blendSeconds);
  }

  /**
   * Drawing buffer size in device pixels (with automatic scaling, the size
   * at scale 1).
   */
  setSize(width, height) {
    const w = Math.max(1, Math.round(width));
    const h = Math.max(1, Math.round(height));
    this.display = [w, h];
    this.core.setSize(w, h);
  }

  /**
   * Automatic render scale: while frames miss the display's refresh
   * (`frameBudgetMs`, default 1000/60), the canvas's drawing buffer shrinks
   * (down to `minScale` of its size each side, default 0.25) and the
   * browser stretches it to the element; a step back up is tried at preset
   * changes while frames keep up. Lowering that does not make frames come
   * faster (a 30 Hz display, a browser's power saving) is undone. The
   * canvas must be sized by CSS: its width/height attributes change.
   * `stats().renderScale` is the scale now; each change is a
   * `renderScale` event.
   */
  setAutoScale(on, { frameBudgetMs = 1000 / 60, minScale = 0.25 } = {}) {
    this.pacing = [Boolean(on), frameBudgetMs, minScale];
    this.core.setPacing(...this.pacing);
  }

  /** `{backend, adapter, fps, frames, preset, path, locked, favourite, ...}`. */
  stats() {
    return this.core.stats();
  }

  /** The last frame's audio levels: `{bass, mid, treb, bassAtt, ..., beat}`. */
  levels() {
    return this.core.levels();
  }
}

export default Kefir;
