// Writes docs/report.png, the screenshot the README shows: the report of the default run
// (`npm start`'s 5,000 records), its top part, at a size that keeps the PNG under 200 KB.
// Run: npm run build && node scripts/report-screenshot.mjs [out.png]
// Needs Chromium (Debian: apt-get install chromium; or set CHROMIUM_PATH).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium } from './find-chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const png = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'report.png'));
const executablePath = findChromium();
if (!executablePath) {
  console.error('report-screenshot: no Chromium found (install chromium, or set CHROMIUM_PATH)');
  process.exit(2);
}

mkdirSync(path.join(root, '.scratch'), { recursive: true });
const work = mkdtempSync(path.join(root, '.scratch', 'screenshot-'));
try {
  const cli = path.join(root, 'dist', 'bin', 'trailsim.cjs');
  // Run in the scratch folder, so the page names the tree `out`, as after `npm start`.
  const html = path.join(work, 'report.html');
  execFileSync(process.execPath, [cli, 'generate', '--out', 'out', '--quiet'], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync(process.execPath, [cli, 'report', 'out', '--out', html, '--quiet'], {
    cwd: work,
    stdio: 'inherit',
  });
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1240 }, deviceScaleFactor: 0.75 });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('html[data-charts="rendered"]');
    await page.screenshot({ path: png });
  } finally {
    await browser.close();
  }
  console.log(`report-screenshot: wrote ${png} (${Math.round(statSync(png).size / 1024)} KB)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
