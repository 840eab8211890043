/**
 * np.polyfit(x, y, deg) and np.polyval: least squares on the column-scaled Vandermonde matrix, here
 * by Householder QR (numpy uses an SVD; both are backward stable, so the coefficients agree to
 * ~cond * 1e-16, far inside the tolerances that matter for the p-values built on them).
 */
export function polyfit(x: readonly number[], y: readonly number[], degree: number): number[] {
  const rows = x.length;
  const cols = degree + 1;
  // Vandermonde with highest power first, each column scaled to unit norm (as numpy does).
  const a: number[][] = x.map((xi) => Array.from({ length: cols }, (_, c) => xi ** (degree - c)));
  const scale = Array.from({ length: cols }, (_, c) => Math.sqrt(a.reduce((s, row) => s + row[c] * row[c], 0)));
  for (const row of a) for (let c = 0; c < cols; c++) row[c] /= scale[c];
  const b = [...y];
  for (let c = 0; c < cols; c++) {
    let norm = 0;
    for (let r = c; r < rows; r++) norm += a[r][c] * a[r][c];
    norm = Math.sqrt(norm);
    const alpha = a[c][c] > 0 ? -norm : norm;
    const v = new Array<number>(rows).fill(0);
    for (let r = c; r < rows; r++) v[r] = a[r][c];
    v[c] -= alpha;
    let vv = 0;
    for (let r = c; r < rows; r++) vv += v[r] * v[r];
    if (vv === 0) continue;
    for (let k = c; k < cols; k++) {
      let dot = 0;
      for (let r = c; r < rows; r++) dot += v[r] * a[r][k];
      const f = (2 * dot) / vv;
      for (let r = c; r < rows; r++) a[r][k] -= f * v[r];
    }
    let dot = 0;
    for (let r = c; r < rows; r++) dot += v[r] * b[r];
    const f = (2 * dot) / vv;
    for (let r = c; r < rows; r++) b[r] -= f * v[r];
  }
  const coefficients = new Array<number>(cols).fill(0);
  for (let c = cols - 1; c >= 0; c--) {
    let s = b[c];
    for (let k = c + 1; k < cols; k++) s -= a[c][k] * coefficients[k];
    coefficients[c] = s / a[c][c];
  }
  return coefficients.map((coefficient, c) => coefficient / scale[c]);
}

/** np.polyval(p, x): Horner's rule starting from zero. */
export function polyval(coefficients: readonly number[], x: number): number {
  let y = 0;
  for (const c of coefficients) y = y * x + c;
  return y;
}
