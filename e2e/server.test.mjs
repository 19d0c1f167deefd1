// The web server as deployed (deploy/nginx.conf): security headers on every
// page (data files: nosniff only), history fallback, real 404s for data and
// for paths that read as another host, caching and compression.
// Plain HTTP requests, no browser.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { test } from 'node:test';
import { newestFirst, urlFor } from './support.mjs';

/** The policy the issue requires, directive by directive. */
const REQUIRED_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
];
const IMMUTABLE = 'public, max-age=31536000, immutable';

function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(urlFor(path), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: GET ${path}`)));
  });
}

/** GET with `path` sent exactly as written (no URL parsing: `\` stays `\`). */
function getRaw(path) {
  const { hostname, port } = new URL(urlFor('/'));
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname, port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: GET ${path}`)));
  });
}

function assertSecurityHeaders(res, what) {
  const csp = res.headers['content-security-policy'] ?? '';
  for (const directive of REQUIRED_CSP) {
    assert.ok(
      csp.split(';').map((d) => d.trim()).includes(directive),
      `${what}: expected Content-Security-Policy to contain "${directive}", it is "${csp}"`,
    );
  }
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: expected X-Content-Type-Options: nosniff`);
  assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin', `${what}: expected Referrer-Policy`);
}

/**
 * A data file the app fetches is never a document: it carries nosniff, and
 * no Content-Security-Policy or Referrer-Policy, which would govern nothing
 * and were half the bytes of every search file's headers (deploy/nginx.conf).
 */
function assertDataHeaders(res, what) {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: expected X-Content-Type-Options: nosniff`);
  assert.equal(res.headers['content-security-policy'], undefined, `${what}: a data file needs no Content-Security-Policy`);
  assert.equal(res.headers['referrer-policy'], undefined, `${what}: a data file needs no Referrer-Policy`);
}

/** Hashed assets that trunk linked from index.html. */
async function hashedAssets() {
  const html = (await get('/')).body.toString('utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  const js = refs.find((r) => /-[0-9a-f]{8,}\.js$/.test(r));
  const wasm = refs.find((r) => /-[0-9a-f]{8,}_bg\.wasm$/.test(r)) ?? js?.replace(/\.js$/, '_bg.wasm');
  const css = refs.find((r) => /-[0-9a-f]{8,}\.css$/.test(r));
  assert.ok(js && wasm, `expected index.html to link trunk's hashed gongkai-<hash>.js and _bg.wasm; it links ${refs.join(', ')}`);
  return { js, wasm, css };
}

/** The boot module index.html loads (scripts/trunk-post-build). */
async function hashedAssetsBoot() {
  const html = (await get('/')).body.toString('utf8');
  const boot = html.match(/src="([^"]*boot-[0-9a-f]{16}\.js)"/);
  assert.ok(boot, 'index.html loads the boot module');
  return (await get(boot[1])).body.toString('utf8');
}

test('/ is index.html with the CSP, nosniff and no-cache', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^text\/html/);
  assertSecurityHeaders(res, 'GET /');
  assert.equal(res.headers['cache-control'], 'no-cache', 'GET /: expected Cache-Control: no-cache');
});

test('deep links fall back to index.html', async () => {
  for (const path of ['/article/kjj1-2023-00026', '/column/anything?page=2', '/no/such/page']) {
    const res = await get(path);
    assert.equal(res.status, 200, `GET ${path}: expected the index.html fallback (200)`);
    assert.match(res.body.toString('utf8'), /<html/i, `GET ${path}: expected index.html`);
    assertSecurityHeaders(res, `GET ${path}`);
    assert.equal(res.headers['cache-control'], 'no-cache', `GET ${path}: expected no-cache (it is index.html)`);
  }
});

// Issue 15, fault 2: `//evil.example/` was served index.html (nginx merges
// the slashes in $uri), whose script switch then sent a 繁體 reader to
// evil.example. Such paths are no page of the site: a plain 404, never a
// page and never a redirect, as sent by a browser or by hand.
test('a path that reads as another host (//evil.example/, /\\evil.example/, encoded) is a 404, not a page or a redirect', async () => {
  const article = `article/${newestFirst()[0].id}`;
  for (const path of [
    '//evil.example/',
    '/\\evil.example/',
    '/%5Cevil.example/',
    '/%5cevil.example/',
    '///evil.example',
    '/%2F%2Fevil.example/',
    '//evil.example/?lang=zh-Hant',
    `//${article}`,
    '//bundle/manifest.json',
  ]) {
    const res = await getRaw(path);
    assert.equal(res.status, 404, `GET ${path}: expected 404, got ${res.status}`);
    assert.equal(res.headers.location, undefined, `GET ${path}: must not redirect (Location: ${res.headers.location})`);
    assertSecurityHeaders(res, `GET ${path}`);
  }
  // The rule is about the start of the path only: the same pages stay.
  for (const path of [`/${article}`, '/search?q=//evil.example/', '/no/such//page']) {
    const res = await getRaw(path);
    assert.equal(res.status, 200, `GET ${path}: expected the page (200), got ${res.status}`);
  }
});

test('bundle: manifest no-cache, files immutable with ?v=, short without, data headers, unknown files 404', async () => {
  const manifest = await get('/bundle/manifest.json');
  assert.equal(manifest.status, 200, 'expected /bundle/manifest.json');
  assert.match(manifest.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(manifest.headers['cache-control'], 'no-cache', 'manifest: expected Cache-Control: no-cache');
  assertDataHeaders(manifest, 'manifest');

  const hash = JSON.parse(manifest.body.toString('utf8')).content_hash ?? 'test';
  const versioned = await get(`/bundle/zh-Hans/list/all/1.json?v=${encodeURIComponent(hash)}`);
  assert.equal(versioned.status, 200, 'expected /bundle/zh-Hans/list/all/1.json');
  assert.equal(versioned.headers['cache-control'], IMMUTABLE, 'list page with ?v=: expected immutable caching');
  const plain = await get('/bundle/zh-Hans/list/all/1.json');
  assert.match(plain.headers['cache-control'] ?? '', /max-age=\d+/, 'list page without ?v=: expected a short max-age');
  assert.ok(!/immutable/.test(plain.headers['cache-control']), 'list page without ?v=: must not be immutable');

  assertDataHeaders(versioned, 'list page');
  const meta = await get('/bundle/search/index.json');
  assert.equal(meta.status, 200, 'expected /bundle/search/index.json');
  assertDataHeaders(meta, 'search index.json');
  const shard = await get('/bundle/search/shard/0.bin');
  assert.equal(shard.status, 200, 'expected /bundle/search/shard/0.bin');
  assertDataHeaders(shard, 'search shard');

  const missing = await get('/bundle/zh-Hans/items/no-such-id.json?v=x');
  assert.equal(missing.status, 404, 'an unknown bundle file must be a real 404, not index.html');
  assertSecurityHeaders(missing, '404 response');
  assert.ok(!/immutable/.test(missing.headers['cache-control'] ?? ''), 'a 404 must not be cached as immutable');
});

test('build bookkeeping is not served: bundle/files/.cache.json and bundle/.gongkai/ are 404', async () => {
  // Its neighbours are served: the 404 is the rule, not a missing file.
  const id = newestFirst()[0].id;
  assert.equal((await get(`/bundle/files/zh-Hans/${id}.docx`)).status, 200, `GET the Word file of ${id}`);
  const paths = ['/bundle/files/.cache.json', '/bundle/files/.cache.json?v=1', '/.git/config'];
  // The build's state (the search index's base record among it), beside the served bundle.
  paths.push('/bundle/.gongkai/files', '/bundle/.gongkai/search-base.bin', '/bundle/search/base.bin');
  for (const path of paths) {
    const res = await get(path);
    assert.equal(res.status, 404, `GET ${path}: expected 404, got ${res.status}`);
  }
});

test('hashed assets: immutable, application/wasm, compressed', async () => {
  const { js, wasm, css } = await hashedAssets();
  for (const asset of [js, wasm, css].filter(Boolean)) {
    const res = await get(asset);
    assert.equal(res.status, 200, `expected ${asset}`);
    assert.equal(res.headers['cache-control'], IMMUTABLE, `${asset}: expected immutable caching`);
  }
  const gz = await get(wasm, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-type'], 'application/wasm', `${wasm}: expected Content-Type application/wasm`);
  assert.equal(gz.headers['content-encoding'], 'gzip', `${wasm}: expected gzip for Accept-Encoding: gzip`);

  // scripts/lib.sh installs deploy/brotli.conf only where the modules are enabled.
  const modules = '/etc/nginx/modules-enabled';
  const brotli = existsSync(modules) && readdirSync(modules).some((f) => f.includes('brotli'));
  if (brotli) {
    const br = await get(wasm, { 'accept-encoding': 'br, gzip' });
    assert.equal(br.headers['content-encoding'], 'br', `${wasm}: expected brotli for Accept-Encoding: br`);
  }
  // The split's packs (scripts/trunk-post-build): one file of a route's
  // chunks, named by its hash like them.
  const boot = await hashedAssetsBoot();
  const packs = [...new Set(boot.match(/gk-pack-[\w-]+-[0-9a-f]{16}\.bin/g) ?? [])];
  assert.ok(packs.length > 0, 'the boot module names the routes\' packs');
  for (const pack of packs) {
    const res = await get(`/${pack}`, { 'accept-encoding': 'gzip' });
    assert.equal(res.status, 200, `expected /${pack}`);
    assert.equal(res.headers['cache-control'], IMMUTABLE, `${pack}: expected immutable caching`);
    assert.equal(res.headers['content-encoding'], 'gzip', `${pack}: expected gzip for Accept-Encoding: gzip`);
  }
  const missingWasm = await get('/no-such-0123456789abcdef_bg.wasm');
  assert.equal(missingWasm.status, 404, 'an unknown .wasm must be a 404, not index.html');
});

test('CSP: the policy forbids inline script and style (no unsafe-inline, no unsafe-eval)', async () => {
  const csp = (await get('/')).headers['content-security-policy'] ?? '';
  assert.ok(!csp.includes("'unsafe-inline'"), `expected no 'unsafe-inline' in "${csp}"`);
  assert.ok(!/'unsafe-eval'/.test(csp), `expected no 'unsafe-eval' in "${csp}"`);
});
