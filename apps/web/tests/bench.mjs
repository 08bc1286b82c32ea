// Frame rate of Kefir's page against butterchurn in the same headless
// Chromium (WebGL2 on SwiftShader), preset by preset, side by side, and
// Kefir's page load to first frame (cold and warm). Butterchurn is not part
// of Kefir: it is loaded from a local install of the refrender tool
// (../shared/tools/refrender, `npm install --ignore-scripts` in a copy).
//
//   node apps/web/tests/bench.mjs KEFIR_URL REFRENDER_DIR PRESET_DIR [SECONDS]
//
// KEFIR_URL serves apps/web/dist (scripts/web.sh serve); PRESET_DIR holds
// the .milk files (../shared/presets/butterchurn); butterchurn plays the
// same presets from butterchurn-presets' converted JSON. Both render at
// 1280x720 on requestAnimationFrame for SECONDS (default 5) after a 1 s
// warm-up: Kefir with its demo signal, butterchurn with a synthetic beat.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';

const [kefirUrl, refrender, presetDir, secondsArg] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 5);
const W = 1280;
const H = 720;
const PRESETS = [
  'Adam Fx 2 Zylot - Age of Science Fierceness BEAST2 - mash0000 - ethics is for weiner dogs',
  'Flexi + Martin - astral projection',
  'Geiss - Eggs',
  'Martin - cool morning',
  'Rovastar - Torrid Tales',
  '_Mig_009',
  'fiShbRaiN + geiss - witchcraft (Grow Mix 3)',
  'lit claw (explorers grid) - i don\u2032t have either a belfry or bats bitch',
  'martin - neon space ps2 (ati fix) - yaqui graph - flx food',
  'suksma - Hexcollie - Julian Carnival - shimmy dumb grid',
];
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

// The butterchurn page: served from the refrender folder.
const BC_PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<style>body{margin:0;background:#000}canvas{display:block}</style>
<canvas id="c" width="${W}" height="${H}"></canvas>
<script type="module">
import butterchurn from '/node_modules/butterchurn/dist/butterchurn.js';
const canvas = document.getElementById('c');
const viz = butterchurn.createVisualizer(null, canvas, { width: ${W}, height: ${H}, pixelRatio: 1, textureRatio: 1 });
let frames = 0, t = 0, running = true;
const bytes = () => {
  const a = new Uint8Array(1024);
  const kick = Math.exp(-((t * 2) % 1) * 8);
  for (let i = 0; i < 1024; i++) a[i] = 128 + Math.round(100 * kick * Math.sin(i * 0.05) + 10 * Math.sin(i * 0.9));
  return a;
};
function tick() {
  requestAnimationFrame(tick);
  if (!running) return;
  t += 1 / 60;
  const a = bytes();
  viz.render({ audioLevels: { timeByteArray: a, timeByteArrayL: a, timeByteArrayR: a } });
  frames++;
}
window.bc = {
  async load(name) {
    const r = await fetch('/node_modules/butterchurn-presets/presets/converted/' + encodeURIComponent(name) + '.json');
    await viz.loadPreset(await r.json(), 0);
  },
  frames: () => frames,
  run(on) { running = on; },
};
requestAnimationFrame(tick);
</script>`;

function serveRefrender() {
  const types = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/bench.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(BC_PAGE);
      return;
    }
    const file = join(refrender, path);
    if (!file.startsWith(refrender) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function fps(page, framesFn) {
  await page.waitForTimeout(1000);
  const f0 = await page.evaluate(framesFn);
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  const f1 = await page.evaluate(framesFn);
  return (f1 - f0) / ((Date.now() - t0) / 1000);
}

const server = await serveRefrender();
const bcUrl = `http://127.0.0.1:${server.address().port}/bench.html`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
const context = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });

// Page load to first frame: cold (first visit of this profile) and warm.
const loads = [];
for (let i = 0; i < 3; i++) {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(kefirUrl);
  await page.waitForFunction(() => window.kefir && window.kefir.stats().frames > 0, null, { timeout: 60000, polling: 10 });
  loads.push(Date.now() - t0);
  await page.close();
}
console.log(`page load to first frame (${W}x${H}): cold ${loads[0]} ms, warm ${loads[1]} / ${loads[2]} ms`);

const kefir = await context.newPage();
await kefir.goto(kefirUrl);
await kefir.waitForFunction(() => window.kefir && window.kefir.stats().frames > 0, null, { timeout: 60000 });
await kefir.evaluate(() => {
  window.kefir.setTiming(0, 0);
  window.kefir.setLocked(true);
  // Same drawing buffer size as butterchurn; the automatic scale has a
  // column of its own.
  window.kefir.setAutoScale(false);
});
const bc = await context.newPage();
// butterchurn reports nothing when a converted shader fails to compile or
// link: it draws the frame without that shader (cheaper, and not what the
// preset shows). The browser's console says so; such rows are marked.
let bcConsole = [];
bc.on('console', (m) => bcConsole.push(m.text()));
await bc.goto(bcUrl);
await bc.waitForFunction(() => window.bc && window.bc.frames() > 0, null, { timeout: 60000 });

console.log('| preset | Kefir fps | butterchurn fps | Kefir fps, automatic scale (scale) | Kefir shaders (warp/comp) | butterchurn |');
console.log('|---|---:|---:|---:|---|---|');
const results = [];
for (const name of PRESETS) {
  const text = readFileSync(join(presetDir, name + '.milk'), 'latin1');
  // One renders at a time.
  await kefir.evaluate(() => window.kefir.stop());
  await bc.bringToFront();
  bcConsole = [];
  await bc.evaluate((n) => window.bc.load(n), name);
  await bc.evaluate(() => window.bc.run(true));
  const b = await fps(bc, () => window.bc.frames());
  const bcFailed = bcConsole.some((l) => /not linked|compile|INVALID_OPERATION/i.test(l));
  await bc.evaluate(() => window.bc.run(false));
  await kefir.bringToFront();
  await kefir.evaluate(() => window.kefir.start());
  const report = await kefir.evaluate(([t, n]) => window.kefir.loadPreset(t, { name: n, blendSeconds: 0 }), [text, name]);
  const k = await fps(kefir, () => window.kefir.stats().frames);
  const size = await kefir.evaluate(() => [window.kefir.stats().width, window.kefir.stats().height]);
  // The page's own setting: the drawing buffer follows the frame rate.
  await kefir.evaluate(() => window.kefir.setAutoScale(true));
  const auto = await fps(kefir, () => window.kefir.stats().frames);
  const autoScale = await kefir.evaluate(() => window.kefir.stats().renderScale);
  await kefir.evaluate(() => window.kefir.setAutoScale(false));
  results.push({ name, k, b, auto, bcFailed });
  const shaders = `${report.warpShader ? 'warp' : '-'}/${report.compShader ? 'comp' : '-'}${report.errors.length ? ` (${report.errors.length} errors)` : ''}`;
  const bcNote = bcFailed ? 'a shader failed: drawn without it' : '';
  console.log(`| ${name} | ${k.toFixed(1)} | ${b.toFixed(1)} | ${auto.toFixed(1)} (${autoScale.toFixed(3)}) | ${shaders} | ${bcNote} |${size[0] !== W ? ` size ${size}` : ''}`);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`| mean | ${mean(results.map((r) => r.k)).toFixed(1)} | ${mean(results.map((r) => r.b)).toFixed(1)} | ${mean(results.map((r) => r.auto)).toFixed(1)} | | |`);
const fair = results.filter((r) => !r.bcFailed);
const faster = fair.filter((r) => r.k >= r.b).length;
console.log(`Kefir at least as fast on ${faster} of ${fair.length} presets butterchurn draws whole (${results.length - fair.length} where a butterchurn shader failed)`);
await browser.close();
server.close();
