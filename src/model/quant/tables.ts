/**
 * Lookup tables of the quantized nonlinearities: contents, domains and the saturation points that make
 * clamped lookups exact.
 * @module
 */
import { QuantizationError } from '../errors';
import { sigmoid } from '../float/elementwise';
import { erf } from '../float/erf';
import type { LookupTable } from './qmodel';
import { quantizeReal } from './rounding';

/**
 * What a lookup needs: the function f with its name and scales, the integer domain [lo, hi] its inputs can take,
 * and the most entries its table may hold. The quantizer may widen the domain (see `table-domains.ts`), never
 * the scales.
 */
export interface TableSpec {
  readonly fn: string;
  readonly f: (x: number) => number;
  readonly inputScale: number;
  readonly outputScale: number;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly maxEntries: number;
}

/**
 * Tabulates T(x) = floor(f(x·2^(−inputScale))·2^outputScale + 1/2) for x ∈ [lo, hi] (the spec's domain unless
 * given). The name records the function, both scales and the domain, so equal names mean equal tables.
 */
export function buildTable(spec: TableSpec, lo = spec.lo, hi = spec.hi): LookupTable {
  const { fn, f, inputScale, outputScale, maxEntries } = spec;
  const size = Number(hi - lo) + 1;
  if (size < 1) throw new QuantizationError(`table ${fn}: empty domain [${lo}, ${hi}]`);
  if (size > maxEntries) throw new QuantizationError(`table ${fn} would need ${size} entries (domain [${lo}, ${hi}]), more than the ${maxEntries} allowed`);
  const outputs = new Array<bigint>(size);
  for (let i = 0; i < size; i++) {
    const y = f(Number(lo + BigInt(i)) * 2 ** -inputScale);
    if (!Number.isFinite(y)) throw new QuantizationError(`table ${fn}: f(${Number(lo + BigInt(i)) * 2 ** -inputScale}) is not finite`);
    outputs[i] = quantizeReal(y, outputScale);
  }
  return { name: `${tableFunction(spec)}|[${lo},${hi}]`, fn, inputScale, outputScale, inputLo: lo, outputs };
}

/** The function a table computes, `fn|in=s|out=t`: tables with one function name differ only in their domains. */
export function tableFunction(spec: Pick<TableSpec, 'fn' | 'inputScale' | 'outputScale'>): string {
  return `${spec.fn}|in=${spec.inputScale}|out=${spec.outputScale}`;
}

/** A saturating function: it reaches its limits (after rounding) at ±saturation. */
export interface SaturatingFn {
  readonly fn: string;
  readonly f: (x: number) => number;
  /** Only x ≤ 0 is ever looked up (softmax's shifted exponent). */
  readonly nonPositive: boolean;
}

/** Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2, GELU's gate. */
function phi(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** GELU's tanh-approximation gate (1 + tanh(√(2/π)(x + 0.044715x³))) / 2. */
function phiTanh(x: number): number {
  return 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/** The saturating nonlinearities, by name. */
export const SATURATING: Readonly<Record<string, SaturatingFn>> = {
  sigmoid: { fn: 'sigmoid', f: sigmoid, nonPositive: false },
  tanh: { fn: 'tanh', f: Math.tanh, nonPositive: false },
  erf: { fn: 'erf', f: erf, nonPositive: false },
  phi: { fn: 'phi', f: phi, nonPositive: false },
  phiTanh: { fn: 'phi_tanh', f: phiTanh, nonPositive: false },
  exp: { fn: 'exp', f: Math.exp, nonPositive: true },
};

/**
 * Smallest c (on a 1/256 grid) beyond which f rounds to its limits at `outputScale`: for |x| ≥ c,
 * round(f(x)·2^outputScale) equals round(f(±∞)·2^outputScale). Valid for monotone f.
 */
export function saturationPoint(s: SaturatingFn, outputScale: number): number {
  const far = 1e4;
  const limHi = quantizeReal(s.f(s.nonPositive ? 0 : far), outputScale);
  const limLo = quantizeReal(s.f(-far), outputScale);
  for (let c = 1 / 256; c < far; c += 1 / 256) {
    const hiOk = s.nonPositive || quantizeReal(s.f(c), outputScale) === limHi;
    if (hiOk && quantizeReal(s.f(-c), outputScale) === limLo) return c;
  }
  throw new QuantizationError(`${s.fn} does not saturate`);
}
