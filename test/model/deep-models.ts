/**
 * Deep models built in TypeScript with random weights, for the depth ladder of issue 10 (MLPs of 2/8/32 layers,
 * CNNs of 2/8/20 convolutions, transformer encoders of 1/2/4/12 blocks; `test/model/depth.test.ts` at small width,
 * `bench/depth.ts` at full size): ReLU MLPs, transformer encoders (pre-LayerNorm blocks: multi-head self-attention
 * and a GELU MLP, both residual) and residual CNNs (3×3 convolutions with BatchNorm and ReLU, residual adds).
 */
import type { Tensor } from '../../src/model/tensor';
import { attr, encodeModel, floatRaw, int64Data, node, valueInfo, type TensorSpec } from '../onnx/builder';

/** A seeded uniform generator on [−1, 1) (mulberry32): the same seed gives the same model. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/** Size of an MLP. */
export interface MlpSpec {
  /** Gemm layers (the last maps to `classes`; a ReLU follows every other one). */
  readonly layers: number;
  readonly inputs: number;
  readonly width: number;
  readonly classes: number;
  readonly seed?: number;
}

/**
 * `x [1, inputs] → logits [1, classes]`: `layers` Gemm layers (`inputs → width → … → width → classes`), a ReLU
 * after each but the last. He-uniform weights (±√(6/fan-in)), so activations keep their scale through depth.
 */
export function mlp(spec: MlpSpec): Uint8Array {
  const { layers, inputs, width, classes } = spec;
  if (layers < 1) throw new RangeError(`mlp: layers ${layers} < 1`);
  const rand = uniform(spec.seed ?? 3);
  const inits: TensorSpec[] = [];
  const nodes: Record<string, unknown>[] = [];
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    const [cin, cout] = [l === 0 ? inputs : width, l === layers - 1 ? classes : width];
    const limit = Math.sqrt((l === layers - 1 ? 1 : 6) / cin);
    inits.push(floatRaw(`l${l}.W`, [cout, cin], Array.from({ length: cout * cin }, () => rand() * limit)));
    inits.push(floatRaw(`l${l}.b`, [cout], Array.from({ length: cout }, () => 0.05 * rand())));
    const y = l === layers - 1 ? 'logits' : `l${l}.gemm`;
    nodes.push(node('Gemm', [x, `l${l}.W`, `l${l}.b`], [y], [attr.int('transB', 1)], `l${l}.gemm`));
    if (l < layers - 1) nodes.push(node('Relu', [y], [`l${l}.relu`], [], `l${l}.relu`));
    x = `l${l}.relu`;
  }
  return encodeModel({ inputs: [valueInfo('x', [1, inputs])], outputs: [valueInfo('logits', [1, classes])], nodes, initializers: inits });
}

/** Size of a transformer encoder. */
export interface EncoderSpec {
  readonly blocks: number;
  readonly sequence: number;
  readonly width: number;
  readonly heads: number;
  readonly seed?: number;
}

/**
 * A pre-LayerNorm transformer encoder `x [sequence, width] → y [sequence, width]`: per block,
 * `x += Wo·attention(LN(x))` with `heads` heads (scores scaled by 1/√d, softmax over keys) and
 * `x += W2·GELU(W1·LN(x))` with a 4× hidden width; a final LayerNorm. Weights uniform in ±1/√fan-in.
 */
export function transformerEncoder(spec: EncoderSpec): Uint8Array {
  const { blocks, sequence: s, width: w, heads: h } = spec;
  const d = w / h;
  const rand = uniform(spec.seed ?? 1);
  const inits: TensorSpec[] = [];
  const nodes: Record<string, unknown>[] = [];
  const weight = (name: string, dims: number[], fanIn: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    inits.push(floatRaw(name, dims, Array.from({ length: n }, () => rand() / Math.sqrt(fanIn))));
    return name;
  };
  const constant = (name: string, dims: number[], values: number[]) => {
    inits.push(floatRaw(name, dims, values));
    return name;
  };
  inits.push(int64Data('heads_shape', [3], [s, h, d]), int64Data('flat_shape', [2], [s, w]));
  constant('inv_sqrt_d', [], [1 / Math.sqrt(d)]);
  const layerNorm = (x: string, name: string) => {
    const gamma = constant(`${name}.gamma`, [w], Array.from({ length: w }, () => 1 + 0.1 * rand()));
    const beta = constant(`${name}.beta`, [w], Array.from({ length: w }, () => 0.1 * rand()));
    nodes.push(node('LayerNormalization', [x, gamma, beta], [name], [attr.int('axis', -1)], name));
    return name;
  };
  const linear = (x: string, name: string, inW: number, outW: number) => {
    nodes.push(node('MatMul', [x, weight(`${name}.W`, [inW, outW], inW)], [`${name}.mm`], [], `${name}.mm`));
    nodes.push(node('Add', [`${name}.mm`, weight(`${name}.b`, [outW], inW)], [name], [], name));
    return name;
  };
  const op = (type: string, inputs: string[], name: string, attributes: unknown[] = []) => {
    nodes.push(node(type, inputs, [name], attributes, name));
    return name;
  };
  let x = 'x';
  for (let b = 0; b < blocks; b++) {
    const p = `b${b}`;
    const hIn = layerNorm(x, `${p}.ln1`);
    const heads = (t: string, perm: number[]) => op('Transpose', [op('Reshape', [linear(hIn, `${p}.${t}`, w, w), 'heads_shape'], `${p}.${t}.split`)], `${p}.${t}.heads`, [attr.ints('perm', perm)]);
    const q = heads('q', [1, 0, 2]);
    const kT = heads('k', [1, 2, 0]);
    const v = heads('v', [1, 0, 2]);
    const scores = op('Mul', [op('MatMul', [q, kT], `${p}.scores`), 'inv_sqrt_d'], `${p}.scaled`);
    const probs = op('Softmax', [scores], `${p}.probs`, [attr.int('axis', -1)]);
    const ctx = op('Transpose', [op('MatMul', [probs, v], `${p}.ctx`)], `${p}.ctx.t`, [attr.ints('perm', [1, 0, 2])]);
    const merged = op('Reshape', [ctx, 'flat_shape'], `${p}.ctx.merged`);
    x = op('Add', [x, linear(merged, `${p}.o`, w, w)], `${p}.res1`);
    const hidden = op('Gelu', [linear(layerNorm(x, `${p}.ln2`), `${p}.fc1`, w, 4 * w)], `${p}.gelu`);
    x = op('Add', [x, linear(hidden, `${p}.fc2`, 4 * w, w)], `${p}.res2`);
  }
  nodes.push(node('LayerNormalization', [x, constant('final.gamma', [w], new Array(w).fill(1)), constant('final.beta', [w], new Array(w).fill(0))], ['y'], [attr.int('axis', -1)], 'final.ln'));
  return encodeModel({ inputs: [valueInfo('x', [s, w])], outputs: [valueInfo('y', [s, w])], nodes, initializers: inits, opset: 20 });
}

/** Size of a residual CNN. */
export interface ResidualCnnSpec {
  /** Convolution layers (the first maps the input channels to `channels`). */
  readonly layers: number;
  readonly channels: number;
  readonly inputChannels: number;
  /** Height and width of the input image. */
  readonly size: number;
  readonly classes: number;
  readonly seed?: number;
}

/**
 * `x [1, inputChannels, size, size] → logits [1, classes]`: `layers` 3×3 convolutions (padding 1), each followed
 * by BatchNormalization: a stem `relu(bn(conv(x)))` to `channels`, then residual blocks `relu(x + bn(conv(relu(
 * bn(conv(x))))))` over pairs of the remaining layers, and `relu(x + bn(conv(x)))` for an odd one left, so every
 * rung from 2 layers up has a residual add; then global average pooling and a linear classifier. He-uniform
 * weights; BatchNorm statistics random but well conditioned.
 */
export function residualCnn(spec: ResidualCnnSpec): Uint8Array {
  const { layers, channels: c, inputChannels, size, classes } = spec;
  const rand = uniform(spec.seed ?? 2);
  const inits: TensorSpec[] = [];
  const nodes: Record<string, unknown>[] = [];
  const param = (name: string, dims: number[], f: () => number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    inits.push(floatRaw(name, dims, Array.from({ length: n }, f)));
    return name;
  };
  const convBn = (x: string, name: string, cin: number) => {
    const fan = cin * 9;
    const W = param(`${name}.W`, [c, cin, 3, 3], () => (rand() * Math.sqrt(6 / fan)));
    const B = param(`${name}.b`, [c], () => 0.05 * rand());
    nodes.push(node('Conv', [x, W, B], [`${name}.conv`], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])], `${name}.conv`));
    const bn = ['scale', 'bias', 'mean', 'var'].map((k) => param(`${name}.bn.${k}`, [c], k === 'scale' ? () => 1 + 0.2 * rand() : k === 'var' ? () => 1 + 0.5 * (rand() + 1) : () => 0.1 * rand()));
    nodes.push(node('BatchNormalization', [`${name}.conv`, ...bn], [`${name}.bn`], [attr.float('epsilon', 1e-5)], `${name}.bn`));
    return `${name}.bn`;
  };
  const relu = (x: string, name: string) => {
    nodes.push(node('Relu', [x], [name], [], name));
    return name;
  };
  let x = relu(convBn('x', 'l0', inputChannels), 'l0.relu');
  for (let l = 1; l < layers; ) {
    const pair = l + 1 < layers;
    const last = pair ? convBn(relu(convBn(x, `l${l}`, c), `l${l}.relu`), `l${l + 1}`, c) : convBn(x, `l${l}`, c);
    l += pair ? 2 : 1;
    nodes.push(node('Add', [x, last], [`l${l - 1}.res`], [], `l${l - 1}.res`));
    x = relu(`l${l - 1}.res`, `l${l - 1}.relu`);
  }
  nodes.push(node('GlobalAveragePool', [x], ['pooled'], [], 'pool'));
  inits.push(int64Data('flat', [2], [1, c]));
  nodes.push(node('Reshape', ['pooled', 'flat'], ['features'], [], 'flatten'));
  nodes.push(node('Gemm', ['features', param('fc.W', [classes, c], () => rand() / Math.sqrt(c)), param('fc.b', [classes], () => 0.05 * rand())], ['logits'], [attr.int('transB', 1)], 'fc'));
  return encodeModel({ inputs: [valueInfo('x', [1, inputChannels, size, size])], outputs: [valueInfo('logits', [1, classes])], nodes, initializers: inits });
}

/** `count` random feeds for a model input of `shape`, uniform in [−1, 1). */
export function randomFeeds(name: string, shape: number[], count: number, seed: number): Record<string, Tensor>[] {
  const rand = uniform(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, () => ({ [name]: { shape, data: Float64Array.from({ length: n }, rand) } }));
}
