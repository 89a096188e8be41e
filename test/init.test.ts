// Weight initializers, through real layers: each draws its kernel from the distribution
// it names with the variance of its scheme (Glorot 2/(fanIn + fanOut), He 2/fanIn,
// LeCun 1/fanIn; fanIn the Dense layer's inputs, fanOut its units), uniform ones on
// ±√(3·variance), normal ones centred; biases start at zero; a seed fixes everything.
//
// The statistics, for N independent draws w of a zero-mean distribution with even
// moments μ2 = σ², μ4, μ6, μ8 (uniform on ±L: μ2k = L²ᵏ/(2k + 1); normal: μ2k = (2k − 1)!!·σ²ᵏ):
//   mean            w̄ = Σw/N,           standard error √(μ2/N);
//   variance        s² = Σw²/N (the mean is known to be 0), standard error
//                   √((μ4 − μ2²)/N) = σ²·√((κ − 1)/N), κ = μ4/μ2² (1.8 uniform, 3 normal);
//   kurtosis        k̂ = (Σw⁴/N)/s⁴, standard error by the delta method
//                   √((μ8/μ2⁴ − 4μ4μ6/μ2⁵ + 4μ4³/μ2⁶ − μ4²/μ2⁴)/N) (24/N normal, ≈1.317/N uniform);
//   lag correlation r_k = Σ w_i·w_{i+k} / Σ w², standard error 1/√N for independent draws.
// Each is tested at 5 standard errors: with N ≥ 2,048 the estimators are close to normal,
// so one check fails by chance with probability ≈ 5.7·10⁻⁷ — except a normal sample's
// kurtosis, which is skewed right: by Anscombe and Glynn's approximation a correct
// library exceeds 3 + 5 SE with probability 2.3·10⁻⁵ at N = 2,048, 1.3·10⁻⁶ at N = 30,000.
// The shape is also tested by the Kolmogorov–Smirnov distance D to the exact CDF, with
// the Dvoretzky–Kiefer–Wolfowitz bound P(√N·D > x) ≤ 2e^(−2x²), which holds for every N:
// x = 2.7 gives ≤ 9.3·10⁻⁷. For the uniform ones, every |w| ≤ L (up to float32 rounding),
// and each end is reached within L·30/N: missed by chance with probability (1 − 15/N)ᴺ ≤ e⁻¹⁵.
// About 150 checks in all: a correct library fails this file by chance with probability
// of about 2·10⁻⁴ for random seeds (the normal kurtoses dominate), and the seeds here are
// fixed — a different one per initializer and shape, so the draws are not merely rescaled
// copies of each other — so the outcome is reproducible.

import { describe, expect, it } from 'vitest';
import { Dense, INITIALIZERS, InputError, type Initializer, Sequential } from '../src/index.js';

const SHAPES: [number, number][] = [
  [64, 32],
  [300, 100],
  [7, 1000],
];
const SE_BOUND = 5;
const DKW_BOUND = 2.7;

type Family = 'uniform' | 'normal' | 'zeros';
const SCHEMES: Record<Initializer, { variance: (fanIn: number, fanOut: number) => number; family: Family }> = {
  glorotUniform: { variance: (i, o) => 2 / (i + o), family: 'uniform' },
  glorotNormal: { variance: (i, o) => 2 / (i + o), family: 'normal' },
  heUniform: { variance: (i) => 2 / i, family: 'uniform' },
  heNormal: { variance: (i) => 2 / i, family: 'normal' },
  lecunUniform: { variance: (i) => 1 / i, family: 'uniform' },
  lecunNormal: { variance: (i) => 1 / i, family: 'normal' },
  zeros: { variance: () => 0, family: 'zeros' },
};

/** Even moments μ2, μ4, μ6, μ8 of the zero-mean distribution with this variance. */
function moments(family: Family, variance: number): [number, number, number, number] {
  if (family === 'uniform') {
    const l2 = 3 * variance;
    return [l2 / 3, l2 ** 2 / 5, l2 ** 3 / 7, l2 ** 4 / 9];
  }
  return [variance, 3 * variance ** 2, 15 * variance ** 3, 105 * variance ** 4];
}

/** erf to ~1e-15 (series for |x| < 3, continued fraction beyond): for the normal CDF in the KS distance. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax, sum = ax;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))), evaluated from the tail.
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}

function cdf(family: Family, variance: number): (x: number) => number {
  if (family === 'uniform') {
    const l = Math.sqrt(3 * variance);
    return (x) => Math.min(1, Math.max(0, (x + l) / (2 * l)));
  }
  const sd = Math.sqrt(variance);
  return (x) => 0.5 * (1 + erf(x / (sd * Math.SQRT2)));
}

/** sup |F_N − F|, F the exact CDF. */
function ksDistance(w: ArrayLike<number>, F: (x: number) => number): number {
  const sorted = Float64Array.from(w).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = F(sorted[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

async function layerWeights(fanIn: number, fanOut: number, init: Initializer | undefined, seed: number, options: { activation?: 'relu' | 'tanh'; backend?: 'js' | 'wasm' } = {}) {
  const dense = new Dense(fanIn, fanOut, { ...(init ? { init } : {}), ...(options.activation ? { activation: options.activation } : {}) });
  const model = await Sequential.create([dense], { loss: 'mse', seed, backend: options.backend ?? 'js' });
  const [kernel, bias] = model.getWeights();
  model.dispose();
  return { kernel, bias };
}

/** Every statistical check of the header on one kernel. */
function expectDistribution(w: ArrayLike<number>, family: Exclude<Family, 'zeros'>, variance: number, label: string, lags: number[]): void {
  const N = w.length;
  const [m2, m4, m6, m8] = moments(family, variance);
  let s1 = 0, s2 = 0, s4 = 0;
  for (let i = 0; i < N; i++) {
    const x = w[i];
    s1 += x;
    s2 += x * x;
    s4 += x ** 4;
  }
  const mean = s1 / N, s2n = s2 / N, kurt = s4 / N / s2n ** 2;
  const kappa = m4 / m2 ** 2;

  const seMean = Math.sqrt(m2 / N);
  expect(Math.abs(mean), `${label}: mean ${mean} (standard error ${seMean})`).toBeLessThanOrEqual(SE_BOUND * seMean);

  const seVar = m2 * Math.sqrt((kappa - 1) / N);
  expect(Math.abs(s2n - variance), `${label}: variance ${s2n}, expected ${variance} (standard error ${seVar})`).toBeLessThanOrEqual(SE_BOUND * seVar);

  const vKurt = m8 / m2 ** 4 - (4 * m4 * m6) / m2 ** 5 + (4 * m4 ** 3) / m2 ** 6 - m4 ** 2 / m2 ** 4;
  const seKurt = Math.sqrt(vKurt / N);
  expect(Math.abs(kurt - kappa), `${label}: kurtosis ${kurt}, expected ${kappa} (standard error ${seKurt})`).toBeLessThanOrEqual(SE_BOUND * seKurt);

  const d = ksDistance(w, cdf(family, variance));
  expect(Math.sqrt(N) * d, `${label}: √N·D = ${Math.sqrt(N) * d} against the ${family} CDF`).toBeLessThanOrEqual(DKW_BOUND);

  for (const lag of lags) {
    let c = 0;
    for (let i = 0; i + lag < N; i++) c += w[i] * w[i + lag];
    const r = c / s2;
    expect(Math.abs(r), `${label}: lag-${lag} correlation ${r}`).toBeLessThanOrEqual(SE_BOUND / Math.sqrt(N));
  }

  if (family === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < N; i++) {
      lo = Math.min(lo, w[i]);
      hi = Math.max(hi, w[i]);
    }
    // float32 storage may round a draw just inside ±L to a hair outside: one float32 ulp.
    expect(Math.max(-lo, hi), `${label}: within ±${limit}`).toBeLessThanOrEqual(limit * (1 + 2 ** -23));
    expect(hi, `${label}: reaches +L`).toBeGreaterThanOrEqual(limit * (1 - 30 / N));
    expect(lo, `${label}: reaches −L`).toBeLessThanOrEqual(-limit * (1 - 30 / N));
  }
}

const RANDOM = INITIALIZERS.filter((i) => SCHEMES[i].family !== 'zeros');

describe('each initializer draws its distribution with its variance', () => {
  it('the list of initializers is the one tested here', () => {
    expect([...INITIALIZERS].sort()).toEqual(Object.keys(SCHEMES).sort());
  });

  it.each(RANDOM.flatMap((init, a) => SHAPES.map(([i, o], b) => [init, i, o, 100 + 10 * a + b] as const)))('%s, Dense(%i, %i), seed %i', async (init, fanIn, fanOut, seed) => {
    const { kernel, bias } = await layerWeights(fanIn, fanOut, init, seed);
    const { variance, family } = SCHEMES[init];
    expect(kernel).toHaveLength(fanIn * fanOut);
    expect(Array.from(bias)).toEqual(new Array(fanOut).fill(0));
    expectDistribution(kernel, family as 'uniform' | 'normal', variance(fanIn, fanOut), `${init} ${fanIn}×${fanOut}`, [1, fanOut]);
  });

  it.each(SHAPES)('zeros, Dense(%i, %i): every weight and bias is 0', async (fanIn, fanOut) => {
    const { kernel, bias } = await layerWeights(fanIn, fanOut, 'zeros', 11);
    expect(kernel.every((x) => x === 0)).toBe(true);
    expect(bias.every((x) => x === 0)).toBe(true);
  });

  it('the tests tell the families and the fans apart: a uniform kernel fails the normal checks, and He is not LeCun', async () => {
    const { kernel } = await layerWeights(300, 100, 'heUniform', 11);
    // The same kernel judged as a normal one of the same variance: its kurtosis (1.8) is far outside 3 ± 5 SE.
    expect(() => expectDistribution(kernel, 'normal', 2 / 300, 'heUniform as normal', [])).toThrow(/kurtosis/);
    // And judged against LeCun's variance (half of He's).
    expect(() => expectDistribution(kernel, 'uniform', 1 / 300, 'heUniform as lecunUniform', [])).toThrow(/variance/);
    // Glorot's variance for 7×1000 if fanIn and fanOut were swapped is the same; He's is not.
    const { kernel: narrow } = await layerWeights(7, 1000, 'heNormal', 11);
    expect(() => expectDistribution(narrow, 'normal', 2 / 1000, 'heNormal with fanOut as fanIn', [])).toThrow(/variance/);
  });

  it('defaults: heNormal for ReLU, glorotUniform for others, the same draws as naming them', async () => {
    const [fanIn, fanOut] = [64, 32];
    const relu = await layerWeights(fanIn, fanOut, undefined, 5, { activation: 'relu' });
    const he = await layerWeights(fanIn, fanOut, 'heNormal', 5, { activation: 'relu' });
    expect(relu.kernel).toEqual(he.kernel);
    const tanh = await layerWeights(fanIn, fanOut, undefined, 5, { activation: 'tanh' });
    const glorot = await layerWeights(fanIn, fanOut, 'glorotUniform', 5, { activation: 'tanh' });
    expect(tanh.kernel).toEqual(glorot.kernel);
  });

  it('an unknown initializer is an InputError naming the option', () => {
    expect(() => new Dense(3, 2, { init: 'xavier' as never })).toThrow(InputError);
    expect(() => new Dense(3, 2, { init: 'xavier' as never })).toThrow(/^Dense init: /);
  });
});

describe('determinism', () => {
  it.each(INITIALIZERS.filter((i) => i !== 'zeros'))('%s: the same seed gives the same weights, on either backend; another seed, others', async (init) => {
    const a = await layerWeights(64, 32, init, 42);
    const b = await layerWeights(64, 32, init, 42);
    const onWasm = await layerWeights(64, 32, init, 42, { backend: 'wasm' });
    const other = await layerWeights(64, 32, init, 43);
    expect(b.kernel).toEqual(a.kernel);
    expect(onWasm.kernel).toEqual(a.kernel);
    let same = 0;
    for (let i = 0; i < a.kernel.length; i++) if (a.kernel[i] === other.kernel[i]) same++;
    expect(same, 'weights equal under two seeds').toBeLessThanOrEqual(2);
  });

  it('layers of one model draw different weights, and a layer\'s draws do not depend on the layers after it', async () => {
    const seed = 8;
    const model = await Sequential.create(
      [new Dense(32, 32, { init: 'glorotNormal' }), new Dense(32, 32, { init: 'glorotNormal' }), new Dense(32, 32, { init: 'glorotNormal' })],
      { loss: 'mse', seed, backend: 'js' },
    );
    const [k0, , k1, , k2] = model.getWeights();
    model.dispose();
    let same = 0;
    for (let i = 0; i < k0.length; i++) if (k0[i] === k1[i] || k1[i] === k2[i] || k0[i] === k2[i]) same++;
    expect(same).toBeLessThanOrEqual(2);
    // The first layer alone, same seed: its weights are the first layer's of the stack.
    const alone = await layerWeights(32, 32, 'glorotNormal', seed);
    expect(alone.kernel).toEqual(k0);
    // And the stack as a whole passes the distribution checks (3,072 draws).
    const all = new Float64Array([...k0, ...k1, ...k2]);
    expectDistribution(all, 'normal', 2 / 64, 'three glorotNormal 32×32 kernels', [1, 32, 1024]);
  });
});
