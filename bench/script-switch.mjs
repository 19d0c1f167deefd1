// Time to switch 简体 ⇄ 繁體 in place once both variants' files are cached:
// from the click on 繁體 / 简体 to the article heading in the new script.
// Usage: node bench/script-switch.mjs BASE_URL [N]  (bench/script-switch.sh serves the site)
import { chromium } from 'playwright-core';
import { startOnDemand } from './mobile-profile.mjs';

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 20);
if (!base) {
  console.error('usage: node bench/script-switch.mjs BASE_URL [N]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await (await browser.newContext()).newPage();
await page.goto(new URL('article/kjj1-2023-00026', base).href);
// The app's switch is timed: an article starts it on demand (the search box).
await startOnDemand(page);
await page.waitForSelector('.gk-app[data-js="on"] .gk-article__title');
const HANS = '武山县科学技术局';
const HANT = '武山縣科學技術局';
// In-page timing: click, then wait for the heading to change (MutationObserver).
const switchTo = (label, expected) => page.evaluate(([label, expected]) => new Promise((resolve) => {
  const button = [...document.querySelectorAll('.gk-topbar__button')].find((b) => b.textContent.trim() === label);
  const heading = () => document.querySelector('.gk-article__title')?.textContent ?? '';
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (heading().startsWith(expected)) {
      observer.disconnect();
      resolve(performance.now() - start);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  button.click();
}), [label, expected]);
// Warm both variants' files into the HTTP cache.
await switchTo('繁體', HANT);
await switchTo('简体', HANS);
const times = [];
for (let i = 0; i < runs; i++) {
  times.push(await switchTo('繁體', HANT));
  times.push(await switchTo('简体', HANS));
}
await browser.close();
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
console.log(`script switch (cached): p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms over ${times.length} switches`);
