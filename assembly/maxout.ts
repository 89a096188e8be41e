// Maxout over groups of k consecutive inputs. [rows×units·k] and [rows×units] are
// contiguous, so the batch is one run of rows·units groups.

/** y[g] = max_m z[g·k+m], arg[g] = the first such m. */
export function maxoutForward(z: usize, y: usize, arg: usize, rows: i32, units: i32, k: i32): void {
  const groups = rows * units;
  const gk = <usize>k << 2;
  let zp = z;
  for (let g = 0; g < groups; g++) {
    let best = load<f32>(zp), at = 0;
    for (let m = 1; m < k; m++) {
      const v = load<f32>(zp + (<usize>m << 2));
      if (v > best) { best = v; at = m; }
    }
    const o = <usize>g << 2;
    store<f32>(y + o, best);
    store<i32>(arg + o, at);
    zp += gk;
  }
}

/** dz[g·k+m] = m == arg[g] ? dy[g] : 0. */
export function maxoutBackward(dy: usize, arg: usize, dz: usize, rows: i32, units: i32, k: i32): void {
  const groups = rows * units;
  const gk = <usize>k << 2;
  let zp = dz;
  for (let g = 0; g < groups; g++) {
    const o = <usize>g << 2;
    const at = load<i32>(arg + o);
    const d = load<f32>(dy + o);
    for (let m = 0; m < k; m++) store<f32>(zp + (<usize>m << 2), m == at ? d : <f32>0.0);
    zp += gk;
  }
}
