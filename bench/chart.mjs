// A dependency-free SVG: each contender's median speed relative to simdnet-wasm, per workload,
// on a log axis (the spread between contenders spans several orders of magnitude).

const COLORS = { 'simdnet-wasm': '#1f6feb', 'simdnet-wasm-2t': '#0b3d91', 'simdnet-js': '#6ea8fe', 'tfjs-wasm': '#e8590c', 'tfjs-cpu': '#f4a261', 'brain.js': '#2b9348', 'jax-js': '#7b2cbf', 'simdnet-wasm-adam': '#4c8dff', 'simdnet-wasm-dense': '#9ec5fe', 'simdnet-wasm-cosine': '#4c8dff', 'simdnet-wasm-cosine-mid': '#3a6fd0', 'tfjs-wasm-adam': '#ff8c42' };
const LEFT = 130, RIGHT = 250, WIDTH = 900, BAR = 16, GAP = 4, HEAD = 24, PAD = 14, TOP = 44;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartSvg(results, formatValue, formatRatio) {
  const ratios = results.tables.flatMap((t) => t.rows.map((r) => r.vsWasm));
  const lo = Math.min(-1, Math.floor(Math.log10(Math.min(...ratios))));
  const hi = Math.max(0, Math.ceil(Math.log10(Math.max(...ratios))));
  const plot = WIDTH - LEFT - RIGHT;
  const x = (ratio) => LEFT + ((Math.log10(ratio) - lo) / (hi - lo)) * plot;
  const groupHeight = (t) => HEAD + t.rows.length * (BAR + GAP) + PAD;
  const height = TOP + results.tables.reduce((h, t) => h + groupHeight(t), 0) + 30;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="20" font-size="15" font-weight="600">Speed relative to simdnet-wasm (median, log scale; right is faster)</text>`,
    `<text x="${LEFT}" y="36" fill="#555">${esc(`${results.meta.cpu}, ${results.meta.cores} cores, Node ${results.meta.node}, simdnet ${results.meta.commit}, ${results.meta.date.slice(0, 10)}`)}</text>`,
  ];
  const bottom = height - 30;
  for (let d = lo; d <= hi; d++) {
    const gx = x(10 ** d);
    out.push(`<line x1="${gx}" y1="${TOP}" x2="${gx}" y2="${bottom}" stroke="${d === 0 ? '#333' : '#ddd'}" stroke-width="${d === 0 ? 1.5 : 1}"/>`);
    out.push(`<text x="${gx}" y="${bottom + 16}" text-anchor="middle" fill="#555">${10 ** d >= 1 ? 10 ** d : (10 ** d).toFixed(-d)}×</text>`);
  }
  let y = TOP;
  for (const t of results.tables) {
    out.push(`<text x="8" y="${y + 16}" font-weight="600">${esc(`${t.id} (${t.unit})`)}</text>`);
    y += HEAD;
    for (const r of t.rows) {
      const w = Math.max(1, x(r.vsWasm) - LEFT);
      out.push(`<text x="${LEFT - 8}" y="${y + BAR - 4}" text-anchor="end">${esc(r.label)}</text>`);
      out.push(`<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLORS[r.contender] ?? '#888'}"/>`);
      out.push(`<text x="${LEFT + w + 6}" y="${y + BAR - 4}" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(`${formatValue(r.median, t.unit)} ${t.unit} · ${formatRatio(r.vsWasm)}`)}</text>`);
      y += BAR + GAP;
    }
    y += PAD;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
