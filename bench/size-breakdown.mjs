// Sums twiggy's per-item shallow sizes by owning crate and prints a table
// with each crate's share of the stripped wasm and an estimate of its brotli
// bytes (its share of the raw bytes times the whole file's brotli size: code
// of one kind compresses alike, so this is close enough to rank costs).
// Usage: node bench/size-breakdown.mjs TOP.csv STRIPPED.wasm
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const [csvPath, wasmPath] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const brotli = brotliCompressSync(wasm, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;

const lines = readFileSync(csvPath, 'utf8').trim().split('\n').slice(1);
const totals = new Map();
let all = 0;
for (const line of lines) {
  // Name,ShallowSize,ShallowSizePercent: the name may contain commas and is
  // quoted when it does.
  const m = line.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/);
  if (!m) continue;
  const name = (m[1] ?? m[2]).replaceAll('""', '"');
  const bytes = Number(m[3]);
  if (name.includes('"function names" subsection') || name.includes('function names')) continue;
  let owner;
  if (name.startsWith('data segment')) owner = '(data: strings, tables)';
  else if (/^(elem|table|code|type|import|export|global)\[/.test(name) || name.startsWith('"')) owner = '(wasm structure)';
  else {
    // Strip the crate hash, then take the first path segment: for
    // `<T as Trait>::f` that is T's crate.
    const path = name.replace(/\[[0-9a-f]+\]/g, '').replace(/^</, '');
    // A blanket impl (`<T as tachys::…::IntoAny>::f`) belongs to the trait's
    // crate; methods of primitive types (`<str>::to_uppercase`) to core.
    const blanket = path.match(/^[A-Z][A-Za-z0-9_]* as ([a-z_][a-z0-9_]*)::/);
    const seg = path.match(/^&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)::/);
    owner = blanket ? blanket[1] : seg ? seg[1] : /^(str|char|f64|f32|[iu](8|16|32|64|size))\b/.test(path) ? 'core' : '(other)';
  }
  totals.set(owner, (totals.get(owner) ?? 0) + bytes);
  all += bytes;
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
console.log(`${'crate'.padEnd(28)} ${'raw B'.padStart(9)} ${'share'.padStart(6)} ${'~brotli B'.padStart(10)}`);
for (const [owner, bytes] of rows.slice(0, 25)) {
  console.log(`${owner.padEnd(28)} ${String(bytes).padStart(9)} ${(100 * bytes / all).toFixed(1).padStart(5)}% ` +
    `${String(Math.round(brotli * bytes / all)).padStart(10)}`);
}
const rest = rows.slice(25).reduce((s, [, b]) => s + b, 0);
console.log(`${'(the rest)'.padEnd(28)} ${String(rest).padStart(9)} ${(100 * rest / all).toFixed(1).padStart(5)}%`);
console.log(`${'total (named build)'.padEnd(28)} ${String(all).padStart(9)}   100% ${String(brotli).padStart(10)}`);
