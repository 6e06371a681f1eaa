/**
 * The quantized model: integer tensors with power-of-two scales and a list of quantized ops whose kinds map
 * one-to-one onto proof blocks. Everything the lowering needs is explicit data: shapes, index maps, tables,
 * shift amounts, integer weights and per-tensor bounds. Semantics are in `docs/quantization.md` and are
 * defined by `runQuantized` (src/model/quant/interpret.ts).
 * @module
 */
import type { Shape } from '../shape';

/** Index of a tensor in {@link QuantModel.tensors}. */
export type TensorId = number;

/** A closed integer interval [lo, hi]. */
export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * Role of a tensor:
 * `input` — the model input (a statement value); `weight` — a constant from the model file, committed in
 * the model commitment (private); `public` — a constant known to the verifier (scalar model constants,
 * pooling divisors); `activation` — computed by an op.
 */
export type TensorRole = 'input' | 'weight' | 'public' | 'activation';

/** An integer tensor: the real value it stands for is `q / 2^scale` elementwise. */
export interface QTensor {
  readonly id: TensorId;
  /** Unique, readable name: the ONNX value name, or `<node>/<step>` for internal tensors. */
  readonly name: string;
  readonly shape: Shape;
  /** Scale exponent s: real ≈ q · 2^(−s). */
  readonly scale: number;
  readonly role: TensorRole;
  /** Values of `weight` and `public` tensors, row-major. */
  readonly data?: readonly bigint[];
  /** Proven bound on every element (interval arithmetic from the input bound and the op semantics). */
  readonly bound: Interval;
}

/**
 * A lookup table y = T(x) on the contiguous domain x ∈ [inputLo, inputLo + outputs.length − 1]; the pairs
 * are (inputLo + i, outputs[i]). A value outside the domain has no image: the lookup fails (and cannot be
 * proven). Tables are public.
 */
export interface LookupTable {
  readonly name: string;
  /** What the table computes, e.g. `exp`, `erf`, `rsqrt`; with the scales it fully names the function. */
  readonly fn: string;
  readonly inputScale: number;
  readonly outputScale: number;
  readonly inputLo: bigint;
  readonly outputs: readonly bigint[];
}

/** Fields shared by every op: the ONNX node it implements (for reports and errors) and its output. */
export interface OpBase {
  readonly node: string;
  readonly out: TensorId;
}

/**
 * The quantized ops. All elementwise ops take operands of exactly the output's size (broadcasting is an
 * explicit `permute`). Row-wise ops (`sum`, `max`) reduce the last axis: an input of size R·L gives R
 * outputs.
 */
export type QOp =
  /**
   * C = A·B for `batch` independent products, A [batch, m, k], B [k, n] (`bBatched` false: one matrix, e.g. a weight)
   * or [batch, k, n]; exact accumulation. With `batch` 1, A may be the weight instead (a channel-major convolution:
   * kernel matrix [Cout, K] times patches [K, positions]).
   */
  | (OpBase & { readonly kind: 'matmul'; readonly a: TensorId; readonly b: TensorId; readonly batch: number; readonly m: number; readonly k: number; readonly n: number; readonly bBatched: boolean })
  /** c = a + b elementwise. */
  | (OpBase & { readonly kind: 'add'; readonly a: TensorId; readonly b: TensorId })
  /** c = a − b elementwise. */
  | (OpBase & { readonly kind: 'sub'; readonly a: TensorId; readonly b: TensorId })
  /** c = factor · a for a public integer factor. */
  | (OpBase & { readonly kind: 'scale'; readonly a: TensorId; readonly factor: bigint })
  /** c = a ∘ b elementwise product. */
  | (OpBase & { readonly kind: 'hadamard'; readonly a: TensorId; readonly b: TensorId })
  /** y = T(x) elementwise for the named public table; x must lie in the table's domain. */
  | (OpBase & { readonly kind: 'lookup'; readonly input: TensorId; readonly table: string })
  /**
   * y = floor((x + 2^(shift−1)) / 2^shift), shift ≥ 1; the remainder x + 2^(shift−1) − 2^shift·y lies in [0, 2^shift).
   * With `range` (a requantized activation), y must also lie in that calibrated range: the proof range-checks it, so
   * y's bound is the range and bound analysis restarts there; a value outside it cannot be proven.
   */
  | (OpBase & { readonly kind: 'rescale'; readonly input: TensorId; readonly shift: number; readonly range?: Interval })
  /**
   * out[i] = source[map[i]] over the inputs laid end to end, or `fill` where map[i] = −1 (a public constant).
   * Transpose, reshape, broadcast, slice, gather, concat, padding, im2col, pooling windows. `patches` says which
   * im2col of a 2-D convolution the map claims to be; it is a hint only: the map is the semantics, and a reader
   * recomputes the map from the geometry before relying on it.
   */
  | (OpBase & { readonly kind: 'permute'; readonly inputs: readonly TensorId[]; readonly map: Int32Array; readonly fill: bigint; readonly patches?: PatchGeometry })
  /** out[r] = Σ_j in[r·L + j]. */
  | (OpBase & { readonly kind: 'sum'; readonly input: TensorId })
  /** out[r] = max_j in[r·L + j]. */
  | (OpBase & { readonly kind: 'max'; readonly input: TensorId });

/**
 * The geometry of the im2col patch matrix of a 2-D convolution (one channel group) over an input of shape
 * (batch, channels, height, width): row `(c − firstChannel)·kh·kw + dy·kw + dx` (channel c of the group, tap (dy, dx)),
 * column `(b·outHeight + y)·outWidth + x` (image b, output position (y, x)) holds input cell (b, c, iy, ix) with
 * `iy = y·strides[0] − pads[0] + dy·dilations[0]`, `ix = x·strides[1] − pads[1] + dx·dilations[1]`, or the fill 0 where
 * (iy, ix) lies outside the image. `pads` is [top, left, bottom, right].
 */
export interface PatchGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly firstChannel: number;
  readonly groupChannels: number;
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly outHeight: number;
  readonly outWidth: number;
}

/** Kinds of {@link QOp}. */
export type QOpKind = QOp['kind'];

/** A model input: its float values are quantized as q = floor(x·2^scale + 1/2) and must satisfy |q| ≤ bound. */
export interface QInput {
  readonly name: string;
  readonly tensor: TensorId;
}

/** The quantized model. */
export interface QuantModel {
  readonly tensors: readonly QTensor[];
  /** Ops in execution order; each op's operands are defined by earlier ops, inputs or constants. */
  readonly ops: readonly QOp[];
  readonly tables: ReadonlyMap<string, LookupTable>;
  readonly inputs: readonly QInput[];
  /** Model outputs by ONNX name. */
  readonly outputs: readonly { readonly name: string; readonly tensor: TensorId }[];
  /** The quantized tensor holding each graph value (for per-layer reports). */
  readonly values: ReadonlyMap<string, TensorId>;
  /** Largest |bound| of any tensor, as a power of two exponent (ceil(log2)). */
  readonly maxBoundBits: number;
}
