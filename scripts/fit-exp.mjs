// Fits the polynomial of the kernels' exp (assembly/math.ts): e^r ≈ 1 + r + r²·q(r) on
// [0, ln 2), q of degree 4, least squares of the relative error on Chebyshev nodes, in
// double, then rounded to f32. Run: node scripts/fit-exp.mjs
const DEGREE = 4, LO = 0, HI = Math.LN2, NODES = 2000;

const rows = [], rhs = [];
for (let i = 0; i < NODES; i++) {
  const r = (LO + HI) / 2 + ((HI - LO) / 2) * Math.cos((Math.PI * (i + 0.5)) / NODES);
  const e = Math.exp(r);
  const w = (r * r) / e; // residual of e^r relative to e^r, as a function of q's coefficients
  rows.push(Array.from({ length: DEGREE + 1 }, (_, j) => w * r ** j));
  rhs.push(w * ((e - 1 - r) / (r * r)));
}

// Normal equations, solved by Gaussian elimination (5×5, well conditioned on this interval).
const n = DEGREE + 1;
const a = Array.from({ length: n }, () => new Array(n).fill(0)), y = new Array(n).fill(0);
rows.forEach((row, i) => {
  for (let j = 0; j < n; j++) {
    y[j] += row[j] * rhs[i];
    for (let k = 0; k < n; k++) a[j][k] += row[j] * row[k];
  }
});
for (let c = 0; c < n; c++) {
  for (let r = c + 1; r < n; r++) {
    const f = a[r][c] / a[c][c];
    for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
    y[r] -= f * y[c];
  }
}
const q = new Array(n);
for (let r = n - 1; r >= 0; r--) {
  let s = y[r];
  for (let k = r + 1; k < n; k++) s -= a[r][k] * q[k];
  q[r] = s / a[r][r];
}

const q32 = q.map(Math.fround);
let worst = 0;
for (let i = 0; i <= 100_000; i++) {
  const r = LO + ((HI - LO) * i) / 100_000, e = Math.exp(r);
  worst = Math.max(worst, Math.abs(1 + r + r * r * q32.reduce((s, c, j) => s + c * r ** j, 0) - e) / e);
}
q32.forEach((c, j) => console.log(`const Q${j}: f32 = ${c.toPrecision(9)};`));
console.log(`// max relative error of the f32 coefficients, evaluated in double: ${worst.toExponential(2)}`);
