// What a render scale of 0.5 costs in the page against 1.0: the frame rate
// of presets with the canvas's drawing buffer at the full size and at half
// of it each side (what automatic scaling does: the browser stretches the
// buffer to the element), in headless Chromium (WebGL2 on SwiftShader).
//
//   node apps/web/tests/scale.mjs KEFIR_URL [SECONDS] [WxH] PRESET.milk...
//
// Prints a table: fps at each size and the frame time ratio (half / full).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [url, secondsArg, sizeArg, ...PRESETS] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 5);
const [W, H] = (sizeArg ?? '1920x1080').split('x').map(Number);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
await page.goto(url + '?autoscale=0');
await page.waitForFunction(() => window.kefir && window.kefir.stats().frames > 0, null, { timeout: 60000 });
await page.evaluate(() => {
  window.kefir.setTiming(0, 0);
  window.kefir.setLocked(true);
});
const fps = async () => {
  await page.waitForTimeout(1000);
  const f0 = await page.evaluate(() => window.kefir.stats().frames);
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  const f1 = await page.evaluate(() => window.kefir.stats().frames);
  return (f1 - f0) / ((Date.now() - t0) / 1000);
};
console.log(`| preset | fps at ${W}x${H} | fps at ${W / 2}x${H / 2} stretched | frame time ratio |`);
console.log('|---|---:|---:|---:|');
for (const file of PRESETS) {
  const name = basename(file, '.milk');
  const text = readFileSync(file, 'latin1');
  await page.evaluate(([t, n]) => window.kefir.loadPreset(t, { name: n, blendSeconds: 0 }), [text, name]);
  const rates = [];
  // Full, half, full, half: the two sizes interleaved.
  for (const half of [false, true, false, true]) {
    await page.evaluate(([w, h]) => window.kefir.setSize(w, h), half ? [W / 2, H / 2] : [W, H]);
    rates.push(await fps());
  }
  const full = (rates[0] + rates[2]) / 2;
  const half = (rates[1] + rates[3]) / 2;
  console.log(`| ${name} | ${full.toFixed(1)} | ${half.toFixed(1)} | ${(full / half).toFixed(2)} |`);
}
await browser.close();
