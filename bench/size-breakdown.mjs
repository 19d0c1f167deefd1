// Sums twiggy's per-item shallow sizes by owning crate, over the modules a
// route loads (the main module, plus the route's page chunks), and prints
// a table with each crate's share and an estimate of its brotli bytes (its
// share of each module's raw bytes times that module's brotli size: code of
// one kind compresses alike, so this is close enough to rank costs).
// Usage: node bench/size-breakdown.mjs OUT_DIR main|list|article|search|favourites|all ROUTES_JSON
// (run by bench/size-breakdown.sh, which writes OUT_DIR/{named,stripped}).
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const [out, what, routesJson] = process.argv.slice(2);
const routes = JSON.parse(routesJson);

function owner(name) {
  if (name.startsWith('data segment')) return '(data: strings, tables)';
  if (/^(elem|table|code|type|import|export|global)\[/.test(name) || name.startsWith('"')) return '(wasm structure)';
  // Strip the crate hash, then take the first path segment: for
  // `<T as Trait>::f` that is T's crate.
  const path = name.replace(/\[[0-9a-f]+\]/g, '').replace(/^</, '');
  // A blanket impl (`<T as tachys::…::IntoAny>::f`) belongs to the trait's
  // crate; methods of primitive types (`<str>::to_uppercase`) to core.
  const blanket = path.match(/^[A-Z][A-Za-z0-9_]* as ([a-z_][a-z0-9_]*)::/);
  const seg = path.match(/^&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)::/);
  if (blanket) return blanket[1];
  if (seg) return seg[1].startsWith('__wasm_split') ? '(split glue)' : seg[1];
  return /^(str|char|f64|f32|[iu](8|16|32|64|128|size))\b/.test(path) ? 'core' : '(other)';
}

/** Per-crate raw bytes and estimated brotli bytes of one module. */
function module(file) {
  const wasm = readFileSync(`${out}/stripped/${file}`);
  const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const lines = readFileSync(`${out}/named/${file}.csv`, 'utf8').trim().split('\n').slice(1);
  const raw = new Map();
  let all = 0;
  for (const line of lines) {
    // Name,ShallowSize,ShallowSizePercent: the name may contain commas and is
    // quoted when it does.
    const m = line.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/);
    if (!m) continue;
    const name = (m[1] ?? m[2]).replaceAll('""', '"');
    if (name.includes('function names')) continue;
    const o = owner(name);
    raw.set(o, (raw.get(o) ?? 0) + Number(m[3]));
    all += Number(m[3]);
  }
  return { file, size: wasm.length, brotli, raw, all };
}

function table(label, files) {
  const mods = files.map(module);
  const totals = new Map();
  for (const m of mods) {
    for (const [o, bytes] of m.raw) {
      const t = totals.get(o) ?? { raw: 0, brotli: 0 };
      t.raw += bytes;
      t.brotli += (m.brotli * bytes) / m.all;
      totals.set(o, t);
    }
  }
  const raw = mods.reduce((s, m) => s + m.size, 0);
  const brotli = mods.reduce((s, m) => s + m.brotli, 0);
  console.log(`\n${label}: ${mods.length} module(s), ${raw} B raw, ${brotli} B brotli -q 11 (each module compressed alone)`);
  const named = [...totals.values()].reduce((s, t) => s + t.raw, 0);
  console.log(`${'crate'.padEnd(28)} ${'raw B'.padStart(9)} ${'share'.padStart(6)} ${'~brotli B'.padStart(10)}`);
  const rows = [...totals].sort((a, b) => b[1].brotli - a[1].brotli);
  for (const [o, t] of rows.slice(0, 25)) {
    console.log(`${o.padEnd(28)} ${String(t.raw).padStart(9)} ${(100 * t.raw / named).toFixed(1).padStart(5)}% ` +
      `${String(Math.round(t.brotli)).padStart(10)}`);
  }
  const rest = rows.slice(25).reduce((s, [, t]) => s + t.raw, 0);
  console.log(`${'(the rest)'.padEnd(28)} ${String(rest).padStart(9)} ${(100 * rest / named).toFixed(1).padStart(5)}%`);
}

const main = ['main.wasm'];
if (what === 'main' || what === 'all') table('main module', main);
for (const [route, files] of Object.entries(routes)) {
  if (what === route || what === 'all') table(`${route}: its chunks beyond the main module`, files);
}
