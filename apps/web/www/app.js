// The page: wires the canvas, audio sources, keys, drops and panels to the
// Kefir module. No rendering or preset logic lives here.
import { Kefir, TEXTURE_NAME } from './kefir.js';

const $ = (id) => document.getElementById(id);
const canvas0 = $('canvas');
const statusEl = $('status');
const PREFS_KEY = 'kefir.prefs';

let audioContext = null;
let mediaSource = null; // MediaElementAudioSourceNode of the <audio> element
let liveStream = null; // MediaStream of the microphone or tab
let statusTimer = 0;

function status(text, seconds = 4) {
  statusEl.textContent = text;
  clearTimeout(statusTimer);
  if (seconds > 0) statusTimer = setTimeout(() => (statusEl.textContent = ''), seconds * 1000);
}

function ctx() {
  if (!audioContext) audioContext = new AudioContext({ latencyHint: 'interactive' });
  if (audioContext.state === 'suspended') audioContext.resume();
  return audioContext;
}

// HiDPI: the drawing buffer follows the canvas's CSS size times the device
// pixel ratio (capped so a 4K screen does not cost 4x).
function deviceSize(canvas) {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const r = canvas.getBoundingClientRect();
  return [Math.max(1, Math.round(r.width * dpr)), Math.max(1, Math.round(r.height * dpr))];
}

const [w0, h0] = deviceSize(canvas0);
let kefir;
try {
  // ?backend=webgl2 (or webgpu) forces one; default: WebGPU where offered.
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'auto';
  // ?autoscale=0: the drawing buffer stays at full size.
  const autoScale = params.get('autoscale') !== '0';
  kefir = await Kefir.create(canvas0, { width: w0, height: h0, backend, autoScale });
} catch (e) {
  status(`Kefir could not start: ${e}`, 0);
  throw e;
}
window.kefir = kefir;
let canvas = kefir.canvas;
canvas.focus();

const saved = localStorage.getItem(PREFS_KEY);
if (saved) kefir.setPrefs(saved);
function savePrefs() {
  localStorage.setItem(PREFS_KEY, kefir.prefs());
}

const resizer = new ResizeObserver(() => {
  const [w, h] = deviceSize(canvas);
  kefir.setSize(w, h);
  // Draw at once at the new size: no stale, stretched frame.
  kefir.render();
});
resizer.observe(canvas);

// Errors in the page; the canvas keeps drawing.
function showReport(report) {
  const lines = [];
  for (const e of report.errors) {
    const at = e.line ? `${report.name}.milk:${e.line}:${e.col}` : `${report.name}`;
    lines.push(`${at}: ${e.part}: ${e.message}`);
  }
  for (const w of report.warnings) lines.push(`${report.name}: warning: ${w.message}`);
  if (!report.ok) lines.unshift(`${report.name}: did not load; the previous preset plays on`);
  if (lines.length) {
    $('errors-text').textContent = lines.join('\n');
    $('errors').hidden = false;
  } else {
    $('errors').hidden = true;
  }
}

kefir.onEvent((ev) => {
  if (ev.kind === 'preset') {
    showReport(ev);
    if (ev.ok) showName(ev.name);
    refreshList();
  } else if (ev.kind === 'warning') {
    status(ev.message);
  } else if (ev.kind === 'backend') {
    // The graphics device was lost and a new core took over on a new canvas.
    resizer.disconnect();
    canvas = ev.canvas;
    resizer.observe(canvas);
    canvas.addEventListener('click', tapNext);
    status(ev.message);
  } else if (ev.kind === 'lost') {
    const other = ev.backend === 'WebGPU' ? ' (or open the page with ?backend=webgl2)' : '';
    status(`the graphics device was lost: reload the page${other}`, 0);
  }
});
$('errors-close').onclick = () => ($('errors').hidden = true);

let nameTimer = 0;
let nameSticky = false;
function showName(name) {
  const el = $('name');
  el.textContent = name;
  el.hidden = false;
  clearTimeout(nameTimer);
  if (!nameSticky) nameTimer = setTimeout(() => (el.hidden = true), 3000);
}

// Audio sources.
function stopLive() {
  if (liveStream) {
    for (const t of liveStream.getTracks()) t.stop();
    liveStream = null;
  }
}

function markSource(id) {
  for (const b of ['btn-demo', 'btn-mic', 'btn-tab']) $(b).classList.toggle('on', b === id);
}

async function useDemo() {
  stopLive();
  $('player').pause();
  kefir.useDemoSignal();
  markSource('btn-demo');
  status('demo signal');
}

async function useStream(stream, label, button) {
  stopLive();
  $('player').pause();
  kefir.disconnectAudio();
  liveStream = stream;
  const node = ctx().createMediaStreamSource(stream);
  await kefir.connectAudio(node);
  markSource(button);
  status(label);
}

async function useMic() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    await useStream(stream, 'microphone', 'btn-mic');
  } catch (e) {
    status(`no microphone: ${e.message ?? e}`);
  }
}

async function useTab() {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    status('this browser cannot share tab or system audio');
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    for (const t of stream.getVideoTracks()) t.stop();
    if (stream.getAudioTracks().length === 0) {
      status('no audio was shared (tick "share audio"; Firefox and Safari do not offer it)');
      return;
    }
    await useStream(stream, 'tab audio', 'btn-tab');
  } catch (e) {
    status(`no tab audio: ${e.message ?? e}`);
  }
}

// Files are streamed through the <audio> element (not decoded up front).
async function playFile(file) {
  stopLive();
  const el = $('player');
  if (el.src) URL.revokeObjectURL(el.src);
  el.src = URL.createObjectURL(file);
  el.hidden = false;
  const ac = ctx();
  if (!mediaSource) {
    mediaSource = ac.createMediaElementSource(el);
    mediaSource.connect(ac.destination);
  }
  kefir.disconnectAudio();
  await kefir.connectAudio(mediaSource);
  markSource(null);
  await el.play().catch((e) => status(`cannot play: ${e.message ?? e}`));
  status(file.name);
}

async function loadMilkFiles(files) {
  const presets = [];
  for (const f of files) presets.push({ name: f.name, text: await f.text() });
  if (!presets.length) return null;
  const paths = kefir.addPresets(presets);
  const report = await kefir.selectPreset(paths[0]);
  status(presets.length === 1 ? `loaded ${presets[0].name}` : `loaded ${presets.length} presets`);
  return report;
}

// Pictures become textures (decoded by the browser); returns what was
// added and what was not, with the reason.
async function addTextures(files) {
  const added = [];
  const failed = [];
  for (const f of files) {
    try {
      added.push((await kefir.addTexture(f)).name);
    } catch (e) {
      failed.push(e.message ?? String(e));
    }
  }
  return { added, failed };
}

async function handleFiles(list) {
  const files = [...list];
  const milk = files.filter((f) => /\.milk$/i.test(f.name));
  const audio = files.find((f) => f.type.startsWith('audio/') || /\.(mp3|ogg|oga|opus|wav|flac|m4a|aac|webm)$/i.test(f.name));
  const pictures = files.filter((f) => TEXTURE_NAME.test(f.name));
  const other = files.filter((f) => !milk.includes(f) && f !== audio && !pictures.includes(f));
  const messages = [];
  // Textures first, so presets dropped with them find them.
  if (pictures.length) {
    const { added, failed } = await addTextures(pictures);
    if (added.length) messages.push(`${added.length} texture${added.length === 1 ? '' : 's'} added`);
    messages.push(...failed);
    // The preset playing may have drawn a stand-in: load it again.
    const path = kefir.stats().path;
    if (added.length && !milk.length && path) await kefir.selectPreset(path, { blendSeconds: 0 });
  }
  if (milk.length) {
    await loadMilkFiles(milk);
    messages.unshift(milk.length === 1 ? `loaded ${milk[0].name}` : `loaded ${milk.length} presets`);
  }
  if (audio) await playFile(audio);
  if (other.length) messages.push(`ignored: ${other.map((f) => f.name).join(', ')}`);
  if (messages.length && (pictures.length || other.length)) status(messages.join('; '), 6);
}

// Folders dropped: walk them for files.
async function entryFiles(entry) {
  if (entry.isFile) return [await new Promise((res, rej) => entry.file(res, rej))];
  if (!entry.isDirectory) return [];
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
    if (!batch.length) break;
    for (const e of batch) out.push(...(await entryFiles(e)));
  }
  return out;
}

let dragDepth = 0;
window.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  $('drop').hidden = false;
});
window.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) {
    dragDepth = 0;
    $('drop').hidden = true;
  }
});
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', async (e) => {
  e.preventDefault();
  dragDepth = 0;
  $('drop').hidden = true;
  const items = [...(e.dataTransfer.items ?? [])];
  const entries = items.map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  let files;
  if (entries.some((en) => en.isDirectory)) {
    files = [];
    for (const en of entries) files.push(...(await entryFiles(en)));
  } else {
    files = [...e.dataTransfer.files];
  }
  await handleFiles(files);
});

// Preset browser.
function refreshList() {
  if ($('browser').hidden) return;
  const current = kefir.stats().path;
  const list = $('list');
  list.textContent = '';
  for (const p of kefir.presets($('search').value)) {
    const li = document.createElement('li');
    li.className = (p.path === current ? 'current ' : '') + (p.broken ? 'broken' : '');
    const star = document.createElement('span');
    star.className = 'star';
    star.textContent = p.favourite ? '\u2605' : '\u2606';
    const name = document.createElement('span');
    name.textContent = p.name;
    li.append(star, name);
    li.onclick = async (ev) => {
      await kefir.selectPreset(p.path);
      if (ev.target === star && !kefir.stats().favourite) {
        kefir.toggleFavourite();
        savePrefs();
      }
      refreshList();
    };
    list.append(li);
  }
}

function toggle(id, on) {
  const el = $(id);
  el.hidden = on === undefined ? !el.hidden : !on;
  if (id === 'browser' && !el.hidden) {
    refreshList();
    $('search').focus();
  }
}

$('search').addEventListener('input', refreshList);
$('fav-only').addEventListener('change', (e) => kefir.setFavouritesOnly(e.target.checked));

function toggleFavourite() {
  const on = kefir.toggleFavourite();
  savePrefs();
  $('btn-fav').innerHTML = on ? '&#9733;' : '&#9734;';
  status(on ? 'favourite' : 'not a favourite');
  refreshList();
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.().catch(() => {});
}

let fpsShown = false;
setInterval(() => {
  const s = kefir.stats();
  if (fpsShown) {
    const scale = s.renderScale < 1 ? ` (scale ${s.renderScale.toFixed(2)})` : '';
    $('fps').textContent = `${s.fps.toFixed(1)} fps · ${s.backend} · ${s.width}x${s.height}${scale}`;
  }
  $('btn-fav').innerHTML = s.favourite ? '&#9733;' : '&#9734;';
}, 500);

// Hotkeys, as in MilkDrop and the desktop app.
window.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement && e.key !== 'Escape') return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const actions = {
    n: () => kefir.nextPreset(),
    ' ': () => kefir.nextPreset(),
    p: () => kefir.previousPreset(),
    Backspace: () => kefir.previousPreset(),
    r: () => kefir.randomPreset(),
    h: () => kefir.hardCut(),
    l: () => {
      kefir.setLocked(!kefir.locked);
      status(kefir.locked ? 'preset locked' : 'preset unlocked');
    },
    '*': toggleFavourite,
    Delete: () => kefir.neverAgain(),
    b: () => toggle('browser'),
    i: () => {
      nameSticky = !nameSticky;
      $('name').hidden = !nameSticky;
      if (nameSticky) $('name').textContent = kefir.stats().preset ?? '';
    },
    F3: () => actions.i(),
    F4: () => {
      fpsShown = !fpsShown;
      $('fps').hidden = !fpsShown;
    },
    '`': () => actions.F4(),
    f: toggleFullscreen,
    F1: () => toggle('help'),
    Escape: () => {
      for (const id of ['help', 'browser', 'errors']) $(id).hidden = true;
    },
  };
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const action = actions[key] ?? actions[e.key];
  if (action) {
    e.preventDefault();
    ctx();
    action();
  }
});

// Buttons.
$('btn-demo').onclick = useDemo;
$('btn-mic').onclick = useMic;
$('btn-tab').onclick = useTab;
$('file-audio').onchange = (e) => e.target.files[0] && playFile(e.target.files[0]);
$('file-milk').onchange = (e) => handleFiles([...e.target.files]);
$('btn-prev').onclick = () => kefir.previousPreset();
$('btn-next').onclick = () => kefir.nextPreset();
$('btn-fav').onclick = toggleFavourite;
$('btn-browser').onclick = () => toggle('browser');
$('btn-help').onclick = () => toggle('help');
$('btn-full').onclick = toggleFullscreen;

// Touch screens: a tap on the picture is "next".
function tapNext() {
  ctx();
  if (matchMedia('(pointer: coarse)').matches) kefir.nextPreset();
}
canvas.addEventListener('click', tapNext);

// The controls fade out when the pointer rests.
let idleTimer = 0;
function awake() {
  document.body.classList.remove('idle');
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => document.body.classList.add('idle'), 3000);
}
window.addEventListener('pointermove', awake);
awake();

// The AudioContext starts on the first gesture (autoplay rules).
window.addEventListener('pointerdown', () => ctx(), { once: true });

markSource('btn-demo');
kefir.start();
const first = kefir.stats();
showName(first.preset ?? 'Kefir');
status(`${first.backend} · press F1 for help`);
