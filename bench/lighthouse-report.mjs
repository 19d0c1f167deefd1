// Prints one line of Lighthouse figures for a page (the median run by
// performance score) and exits 3 when it misses issue 7's budget.
// Usage: node bench/lighthouse-report.mjs NAME REPORT.json [REPORT.json ...]
import { readFileSync } from 'node:fs';

const [name, ...files] = process.argv.slice(2);
const reports = files
  .map((f) => JSON.parse(readFileSync(f, 'utf8')))
  .sort((a, b) => a.categories.performance.score - b.categories.performance.score);
const r = reports[Math.floor((reports.length - 1) / 2)];
const score = (c) => Math.round(r.categories[c].score * 100);
const metric = (id) => r.audits[id]?.numericValue ?? NaN;
const figures = {
  perf: score('performance'),
  a11y: score('accessibility'),
  bp: score('best-practices'),
  seo: score('seo'),
  lcp: metric('largest-contentful-paint'),
  tbt: metric('total-blocking-time'),
  cls: metric('cumulative-layout-shift'),
  fcp: metric('first-contentful-paint'),
  // Time to Interactive: unscored since Lighthouse 10, still reported.
  tti: metric('interactive'),
};
console.log(
  `${name.padEnd(8)} ${String(figures.perf).padStart(5)} ${String(figures.a11y).padStart(5)} ` +
  `${String(figures.bp).padStart(5)} ${String(figures.seo).padStart(5)} ` +
  `${figures.lcp.toFixed(0).padStart(8)} ${figures.tbt.toFixed(0).padStart(6)} ` +
  `${figures.cls.toFixed(3).padStart(6)} ${figures.fcp.toFixed(0).padStart(6)} ${figures.tti.toFixed(0).padStart(6)}  ` +
  `${r.finalDisplayedUrl} (lighthouse ${r.lighthouseVersion}, median of ${reports.length})`,
);
const misses = [];
if (figures.perf < 95) misses.push(`performance ${figures.perf} < 95`);
if (figures.a11y < 100) misses.push(`accessibility ${figures.a11y} < 100`);
if (figures.bp < 100) misses.push(`best practices ${figures.bp} < 100`);
if (figures.seo < 90) misses.push(`SEO ${figures.seo} < 90`);
if (figures.lcp > 1500) misses.push(`LCP ${figures.lcp.toFixed(0)} ms > 1500 ms`);
if (figures.tbt > 50) misses.push(`TBT ${figures.tbt.toFixed(0)} ms > 50 ms`);
// Name what failed, so a miss can be acted on without opening the report.
for (const a of Object.values(r.audits)) {
  if (a.score !== null && a.score < 1 && ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode)
      && a.details?.type !== 'debugdata') {
    const cat = Object.entries(r.categories)
      .find(([, c]) => c.auditRefs.some((ref) => ref.id === a.id && ref.weight > 0))?.[0];
    if (cat) console.log(`    ${cat}: ${a.id} ${a.score} (${a.displayValue ?? a.title})`);
  }
}
if (misses.length) {
  console.log(`    over budget: ${misses.join('; ')}`);
  process.exit(3);
}
