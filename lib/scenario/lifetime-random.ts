/**
 * Seeded, counter-based randomness for arrivals and lifetimes: the k-th draw of a stream is a
 * pure function of (seed, k), so that workers, segments and k6 VUs, each drawing only its own
 * arrivals, draw exactly the values one process would. 32-bit integer mixing only (Math.imul):
 * no BigInt, no Node built-in, so that it bundles for k6.
 */

/** A 32-bit avalanche mix (every input bit flips about half the output bits). */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_32 = 4_294_967_296;

/** Draw `k` (a whole number >= 0) of stream `seed`, uniform in the open interval (0, 1), 53 bits. */
export function uniformAt(seed: number, k: number): number {
  const lo = k % TWO_32;
  const hi = Math.floor(k / TWO_32);
  const a = mix32(mix32(seed ^ 0x9e3779b9) ^ mix32(lo) ^ Math.imul(hi, 0x85ebca6b));
  const b = mix32(a ^ 0xc2b2ae35 ^ lo);
  // 26 + 27 bits, then half a step in, so that neither 0 nor 1 is ever drawn
  return ((a >>> 6) * 134_217_728 + (b >>> 5) + 0.5) / 9_007_199_254_740_992;
}

// the inverse normal distribution function (Acklam's rational approximation, relative error < 1.2e-9)
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

const poly = (c: number[], x: number): number => c.reduce((acc, v) => acc * x + v, 0);

/** z such that a standard normal variable is below z with probability p (0 < p < 1). */
export function normalQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}
