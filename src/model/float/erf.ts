/**
 * The error function, which JavaScript's Math lacks. Only IEEE-exact arithmetic and Math.exp are used, so
 * results are reproducible wherever Math.exp is (V8 uses fdlibm's on every platform).
 * @module
 */

/** erf(x), absolute error below 1e-14. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  let r: number;
  if (ax < 2.5) {
    // Maclaurin series: 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)); at most ~60 terms for |x| < 2.5.
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction for erfc: erfc(x) = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up.
    let f = ax;
    for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  }
  return x < 0 ? -r : r;
}
