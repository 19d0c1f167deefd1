// Journey: a department switches without retyping. Its catalogue (with Word,
// PDF, HTML and text bodies) and pages saved from its old site (five
// layouts, one in GBK) go through `gongkai import`, `gongkai check` and
// `gongkai build`; the imported notices then read in the browser with the
// same text and metadata, their attachments and images are served by the
// new site (copied from the mirror), and an old URL lands on its new
// article or file.
//
// The site is built here, into a temporary copy of the app that
// scripts/build-site made (GONGKAI_SITE, default dist/), with the release
// `gongkai` (GONGKAI_BIN), and served by nginx with deploy/nginx.conf and
// the redirect map the import wrote, on a free port of its own.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { ArticlePage } from './pages.mjs';
import { displaySize, eventually, htmlToText, launchBrowser, mimeLabel, normalize, withPage } from './support.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'crates/import/tests/fixtures');
const SITE = process.env.GONGKAI_SITE ?? join(ROOT, 'dist');
const BIN = process.env.GONGKAI_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'cli/gongkai');

let browser;
let work;
let nginx;
let base;
let feed;

function gongkai(...args) {
  try {
    return execFileSync(BIN, args, { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`gongkai ${args.join(' ')} failed (${error.status}):\n${error.stdout}\n${error.stderr}`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url) {
  await eventually(
    async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}) before answering ${url}`);
      const r = await fetch(url);
      assert.ok(r.ok, `${url}: ${r.status}`);
    },
    { timeout: 15_000, interval: 100 },
  );
}

before(async () => {
  assert.ok(existsSync(join(SITE, 'index.html')), `no built site in ${SITE}: run scripts/build-site first`);
  assert.ok(existsSync(BIN), `no release gongkai at ${BIN}: run scripts/build-site first`);
  work = mkdtempSync(join(tmpdir(), 'gongkai-import-e2e-'));
  // The app as built, without the sample feed's bundle and pages.
  const site = join(work, 'site');
  cpSync(SITE, site, {
    recursive: true,
    filter: (src) => !/[\\/](bundle|static|examples)$/.test(src) && !/(sitemap\.xml|robots\.txt)(\.gz|\.br)?$/.test(src),
  });
  // Import: the catalogue with its bodies, then the saved pages merged in,
  // their files copied into the site's files/ folder.
  const port = await freePort();
  base = `http://127.0.0.1:${port}/`;
  const out = join(work, 'feed.json');
  gongkai('import', 'catalog', join(FIXTURES, 'catalog/目录.xlsx'), '--bodies', join(FIXTURES, 'bodies'),
    '--merge', join(FIXTURES, 'site.json'), '--out', out, '--index-prefix', 'kjj1');
  const report = gongkai('import', 'html', join(FIXTURES, 'pages'), '--base-url', 'http://www.wushan.gov.cn/',
    '--merge', out, '--out', out, '--index-prefix', 'kjj1', '--files', join(site, 'files'), '--files-url', `${base}files/`);
  assert.match(report, /layouts: vsb 1, trs 1, hanweb 1, seed 1, generic 1/);
  assert.match(report, /files: 2 copied to .*, 1 not in the mirror/);
  assert.match(gongkai('check', out), /^0 errors, 0 warnings in /m);
  const built = gongkai('build', out, '--out', join(site, 'bundle'), '--site', site, '--no-docs');
  assert.match(built, /0 warnings from sanitising/, 'every imported body passes the sanitiser untouched');
  feed = JSON.parse(readFileSync(out, 'utf8'));

  // nginx with deploy/nginx.conf and the import's redirects.map beside it.
  const conf = join(work, 'nginx');
  mkdirSync(conf);
  const nginxArgs = execFileSync('bash', ['-c', 'source scripts/lib.sh && gk_nginx_config "$1" "$2" "$3" && gk_nginx_args "$1" "daemon off;"', '_', conf, String(port), site], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  cpSync(join(work, 'redirects.map'), join(conf, 'redirects.map'));
  nginx = spawn('nginx', nginxArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHttp(base);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (nginx && nginx.exitCode === null) {
    const done = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM');
    await done;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

const at = (path) => new URL(path.replace(/^\//, ''), base).href;
const byId = (id) => {
  const item = feed.items.find((i) => i.id === id);
  assert.ok(item, `the imported feed has no item ${id}`);
  return item;
};

/** Opens an imported article and checks its title, metadata and whole text. */
async function expectArticle(session, id, metadata) {
  const item = byId(id);
  const article = new ArticlePage(session);
  await session.page.goto(at(`/article/${id}`));
  await article.expectHeading1(item.title);
  await eventually(async () => {
    const meta = await article.metadata();
    for (const [label, value] of Object.entries(metadata)) {
      assert.equal(meta[label], value, `${id}: expected ${label} "${value}"; the metadata reads ${JSON.stringify(meta)}`);
    }
  });
  const text = await article.mainText();
  const body = item.content_html ? htmlToText(item.content_html) : normalize(item.content_text);
  // Every paragraph of the imported body, as the reader sees it.
  for (const part of body.split(/(?<=[。；：])\s*/u).filter((p) => p.length > 8)) {
    assert.ok(text.includes(part), `${id}: expected the article to show "${part}"`);
  }
  return article;
}

test('a notice from the catalogue and its Word 公文 reads as it was written', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const article = await expectArticle(session, 'kjj1-2023-00016', {
      发布机构: '武山县科学技术局',
      索引号: 'kjj1/2023-00016',
      时间: '2023-05-11',
      作者: '张静乐',
      文号: '武科发〔2023〕12号',
      成文日期: '2023-05-10',
      主题分类: '通知公告',
      有效性: '有效',
    });
    // The 公文's structure: headings, the table with its header row.
    const main = article.main();
    await main.getByRole('heading', { name: '一、活动主题', level: 2 }).waitFor();
    await main.getByRole('heading', { name: '（一）集中示范活动', level: 3 }).waitFor();
    const table = main.getByRole('table');
    assert.deepEqual(
      (await table.getByRole('columnheader').allInnerTexts()).map(normalize),
      ['序号', '活动内容', '责任单位', '时间'],
      'the 公文 table keeps its header row',
    );
    assert.ok(!(await article.mainText()).includes('武山县科学技术局文件'), 'the 版头 is not in the body');
    await session.checkPage('imported 公文');
  });
});

test('the seed page, saved from the old site, keeps its metadata line', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await expectArticle(session, 'kjj1-2023-00026', {
      发布机构: '科技局',
      索引号: 'kjj1/2023-00026',
      来源: '科技局',
      时间: '2023-07-14',
      作者: '李凤林',
    });
    // The old page's furniture stayed behind (the new site has its own 收藏 and footer).
    const body = htmlToText(byId('kjj1-2023-00026').content_html);
    for (const chrome of ['【打印本页】', '网站标识码', '加入收藏', '搜索位置', '【下载Word】']) {
      assert.ok(!body.includes(chrome), `the old site's "${chrome}" must not be in the imported body`);
    }
    assert.ok(!(await new ArticlePage(session).mainText()).includes('【打印本页】'), 'nor on the article page');
  });
});

test('a GBK page from a TRS site: decoded, with its attachment served by the new site', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const article = await expectArticle(session, 'kjj1-2024-00005', {
      发布机构: '武山县科学技术局',
      索引号: 'kjj1/2024-00005',
      来源: '县科学技术局',
      时间: '2024-03-20',
      主题分类: '政策解读',
    });
    const a = byId('kjj1-2024-00005').attachments[0];
    await article.attachmentsHeading().waitFor({ state: 'visible' });
    const row = article.attachment(a.title);
    const text = normalize(await row.innerText());
    assert.ok(text.includes(mimeLabel(a.mime_type)) && text.includes(displaySize(a.size_in_bytes)), `attachment row: "${text}"`);
    const href = await row.getByRole('link', { name: a.title, exact: true }).getAttribute('href');
    assert.equal(href, a.url);
    // The link works after the switch: the file was copied from the mirror.
    assert.ok(href.startsWith(at('/files/')), `the attachment is on the new site: ${href}`);
    const r = await fetch(href);
    assert.equal(r.status, 200, href);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual(bytes, readFileSync(join(FIXTURES, 'pages/zwgk/202308/P020240320551234567890.docx')), 'the same file');
    // The body's link to it, too.
    const bodyLink = article.main().getByRole('link', { name: '武山县科技特派员管理办法.docx' }).first();
    assert.equal(await bodyLink.getAttribute('href'), href);
    await session.checkPage('imported TRS page');
  });
});

test('an old URL answers with a 301 to its new article or file', async (t) => {
  const r = await fetch(at('/art/2023/9/5/art_1234_5678.html'), { redirect: 'manual' });
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/article/kjj1-2023-00035');
  const file = await fetch(at('/zwgk/202308/P020240320551234567890.docx'), { redirect: 'manual' });
  assert.equal(file.status, 301);
  assert.equal(file.headers.get('location'), at('/files/zwgk/202308/P020240320551234567890.docx'));
  // A file the import did not copy is a 404 on the new site, not the app's page.
  const missing = await fetch(at('/files/zwgk/202308/no-such-file.pdf'), { redirect: 'manual' });
  assert.equal(missing.status, 404);
  // The VSB page's image was copied from the mirror: it loads (no 404).
  await withPage(browser, t, {}, async (session) => {
    await session.page.goto(at('/info/1025/3456.htm'));
    const article = new ArticlePage(session);
    await article.expectHeading1(byId('kjj1-2023-00041').title);
    assert.equal(new URL(session.page.url()).pathname, '/article/kjj1-2023-00041');
    const img = article.main().locator('img').first();
    assert.equal(await img.getAttribute('src'), at('/files/__local/A/1B/2C/ABCD1234_5678.png'));
    await eventually(async () => {
      assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the copied image loads');
    });
  });
});
