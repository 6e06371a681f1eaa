/**
 * `runQuantized`: the exact integer semantics of a {@link QuantModel}. This is the witness the proof
 * attests to; the float interpreter is only the reference it approximates.
 * @module
 */
import { InputError, RangeExceededError } from '../errors';
import { fmtShape, sameShape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import type { QOp, QTensor, QuantModel } from './qmodel';
import { quantizeReal, rescaleInt } from './rounding';

/** Integer values of every tensor, indexed by tensor id. */
export type Witness = readonly (readonly bigint[])[];

/**
 * Quantizes float inputs: q = floor(x·2^scale + 1/2); throws {@link InputError} for a wrong shape, a
 * non-finite value, or a value outside the calibrated bound (naming the input and the bound).
 */
export function quantizeInputs(
  model: { readonly inputs: QuantModel['inputs']; readonly tensors: readonly Pick<QTensor, 'shape' | 'scale' | 'bound'>[] },
  feeds: Readonly<Record<string, Tensor>>,
): bigint[][] {
  return model.inputs.map(({ name, tensor }) => {
    const t = model.tensors[tensor];
    const f = feeds[name];
    if (!f) throw new InputError(name, 'no value given');
    if (!sameShape(f.shape, t.shape)) throw new InputError(name, `shape ${fmtShape(f.shape)} does not match the model's ${fmtShape(t.shape)}`);
    return Array.from(f.data, (v, i) => {
      if (!Number.isFinite(v)) throw new InputError(name, `element ${i} is ${v}`);
      const q = quantizeReal(v, t.scale);
      if (q < t.bound.lo || q > t.bound.hi) {
        const lim = Number(t.bound.hi) * 2 ** -t.scale;
        throw new InputError(name, `element ${i} = ${v} is outside the calibrated range [${-lim}, ${lim}] (integer bound ±${t.bound.hi} at scale 2^${t.scale}); calibrate with inputs that cover it`);
      }
      return q;
    });
  });
}

/** Runs one op on integer operands. */
function runOp(model: QuantModel, op: QOp, w: (readonly bigint[])[]): bigint[] {
  switch (op.kind) {
    case 'matmul': {
      const a = w[op.a];
      const b = w[op.b];
      const out = new Array<bigint>(op.batch * op.m * op.n).fill(0n);
      for (let t = 0; t < op.batch; t++) {
        const ao = t * op.m * op.k;
        const bo = op.bBatched ? t * op.k * op.n : 0;
        const oo = t * op.m * op.n;
        for (let i = 0; i < op.m; i++)
          for (let p = 0; p < op.k; p++) {
            const av = a[ao + i * op.k + p];
            if (av === 0n) continue;
            for (let j = 0; j < op.n; j++) out[oo + i * op.n + j] += av * b[bo + p * op.n + j];
          }
      }
      return out;
    }
    case 'add':
      return w[op.a].map((v, i) => v + w[op.b][i]);
    case 'sub':
      return w[op.a].map((v, i) => v - w[op.b][i]);
    case 'scale':
      return w[op.a].map((v) => v * op.factor);
    case 'hadamard':
      return w[op.a].map((v, i) => v * w[op.b][i]);
    case 'rescale': {
      const ys = w[op.input].map((v) => rescaleInt(v, op.shift));
      const r = op.range;
      if (r) {
        const bad = ys.find((y) => y < r.lo || y > r.hi);
        if (bad !== undefined) {
          const t = model.tensors[op.out];
          throw new RangeExceededError(t.name, op.node, bad, r.lo, r.hi, t.scale);
        }
      }
      return ys;
    }
    case 'lookup': {
      const table = model.tables.get(op.table);
      if (!table) throw new Error(`internal: unknown table ${op.table}`);
      const hi = table.inputLo + BigInt(table.outputs.length - 1);
      return w[op.input].map((v) => {
        if (v < table.inputLo || v > hi) {
          const name = model.tensors[op.input].name;
          const s = table.inputScale;
          throw new InputError(name, `value ${Number(v) * 2 ** -s} (integer ${v}) is outside the range [${Number(table.inputLo) * 2 ** -s}, ${Number(hi) * 2 ** -s}] of table ${table.fn} read by node "${op.node}" (calibrated on the lookups of this function and scales); calibrate with inputs like this one`);
        }
        return table.outputs[Number(v - table.inputLo)];
      });
    }
    case 'permute': {
      const src = op.inputs.length === 1 ? w[op.inputs[0]] : op.inputs.flatMap((i) => w[i]);
      return Array.from(op.map, (m) => (m === -1 ? op.fill : src[m]));
    }
    case 'sum':
    case 'max': {
      const x = w[op.input];
      const len = sizeOf(model.tensors[op.input].shape) / sizeOf(model.tensors[op.out].shape);
      const out = new Array<bigint>(x.length / len);
      for (let r = 0; r < out.length; r++) {
        let acc = x[r * len];
        for (let j = 1; j < len; j++) {
          const v = x[r * len + j];
          acc = op.kind === 'sum' ? acc + v : v > acc ? v : acc;
        }
        out[r] = acc;
      }
      return out;
    }
  }
}

/** Runs the quantized model exactly on float inputs (quantized first) and returns every tensor's integers. */
export function runQuantized(model: QuantModel, feeds: Readonly<Record<string, Tensor>>): Witness {
  return runQuantizedIntegers(model, quantizeInputs(model, feeds));
}

/**
 * Runs the quantized model on integer inputs (one flat array per model input, in order). This is the input
 * check before proving: an input outside its integer bound, or one whose intermediate value falls outside a
 * table calibrated for it, is an {@link InputError} naming the tensor, the node and the bound, before any
 * block runs.
 */
export function runQuantizedIntegers(model: QuantModel, inputs: readonly (readonly bigint[])[]): Witness {
  const w: (readonly bigint[])[] = model.tensors.map((t) => t.data ?? []);
  model.inputs.forEach(({ name, tensor }, i) => {
    const t = model.tensors[tensor];
    const q = inputs[i];
    if (!q || q.length !== sizeOf(t.shape)) throw new InputError(name, `${q?.length ?? 0} integers given, the model's ${fmtShape(t.shape)} needs ${sizeOf(t.shape)}`);
    q.forEach((v, j) => {
      if (typeof v !== 'bigint' || v < t.bound.lo || v > t.bound.hi) throw new InputError(name, `integer ${j} = ${String(v)} is outside the bound [${t.bound.lo}, ${t.bound.hi}] at scale 2^${t.scale}`);
    });
    w[tensor] = q;
  });
  for (const op of model.ops) w[op.out] = runOp(model, op, w);
  return w;
}

/** The real values a quantized tensor stands for: q·2^(−scale). */
export function dequantizeTensor(model: QuantModel, witness: Witness, id: number): Tensor {
  const t = model.tensors[id];
  return { shape: t.shape, data: Float64Array.from(witness[id], (q) => Number(q) * 2 ** -t.scale) };
}
