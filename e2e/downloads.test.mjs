// Journey: a citizen downloads the original notice as Word and as PDF (issue 8).

import assert from 'node:assert/strict';
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ArticlePage } from './pages.mjs';
import { ORIGINAL, feed, launchBrowser, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const original = feed.items.find((i) => i._gov.index_no === ORIGINAL.indexNo);

for (const [label, ext, magic, min, max] of [
  ['下载Word', 'docx', 'PK', 3_000, 300_000],
  ['下载PDF', 'pdf', '%PDF-', 20_000, 300_000],
]) {
  test(`downloads: ${label} on the original notice saves a .${ext} named after 索引号 and title`, async (t) => {
    await withPage(browser, t, {}, async (session) => {
      const page = new ArticlePage(session);
      await page.goto(`/article/${original.id}`);
      await page.expectHeading1(ORIGINAL.title);
      const link = session.page.getByRole('main').getByRole('link', { name: label, exact: true });
      const facts = await link.locator('xpath=following-sibling::span').innerText();
      assert.match(facts, ext === 'pdf' ? /PDF,\d+(\.\d)? KB/ : /Word,\d+(\.\d)? KB/, `${label} states type and size: ${facts}`);
      const [download] = await Promise.all([session.page.waitForEvent('download'), link.click()]);
      const name = download.suggestedFilename();
      assert.ok(name.startsWith('kjj1-2023-00026-') && name.endsWith(`.${ext}`), `file name from 索引号 and title: ${name}`);
      assert.ok(name.includes('武山县科学技术局'), `file name carries the title: ${name}`);
      const file = join(mkdtempSync(join(tmpdir(), 'gk-dl-')), `x.${ext}`);
      await download.saveAs(file);
      const size = statSync(file).size;
      assert.ok(size >= min && size <= max, `${label}: ${size} bytes, expected ${min}–${max}`);
      assert.equal(readFileSync(file).subarray(0, magic.length).toString('latin1'), magic, `${label} is a real .${ext}`);
    });
  });
}
