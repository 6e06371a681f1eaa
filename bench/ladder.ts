/**
 * Generated models for the growth ladder of the end-to-end bench: stacks of L identical layers, so the change of
 * proof bytes and verify time from one rung to the next is the cost of one layer.
 *
 * - `mlp-L`: input 16, L hidden layers `Gemm 16→16, Relu`, then `Gemm 16→10`;
 * - `cnn-L`: input 1×8×8, L layers `Conv 3×3 (pad 1) to 4 channels, Relu`, then `Flatten, Gemm 256→10`;
 * - `transformer-L`: 4 tokens of width 8, L encoder blocks (one attention head: Q, K, V and output projections,
 *   `softmax(Q·Kᵀ/√8)·V`, residual, LayerNormalization; a 8→16→8 ReLU feed-forward, residual). Every
 *   rescale range-checks its output at the calibrated width, so bounds do not compound with depth and every
 *   rung compiles (`docs/depth.md` proves encoders of up to 12 blocks); a rung that does not is named by the bench.
 *
 * Weights and sample inputs come from a fixed sequence, so every run proves the same models.
 * @module
 */
import { readFileSync } from 'node:fs';
import { attr, encodeModel, floatRaw, node, valueInfo } from '../test/onnx/builder';
import { tensor, type Tensor } from '../src/index';
import { feedsFor, MODELS } from './models';

/** A generated model: its ONNX bytes and calibration / proving feeds. */
export interface LadderModel {
  readonly name: string;
  readonly family: 'mlp' | 'cnn' | 'transformer';
  readonly layers: number;
  readonly onnx: Uint8Array;
  readonly feeds: Record<string, Tensor>[];
}

/** Values in [−scale, scale) from a fixed linear congruential sequence seeded by `seed`. */
function values(count: number, seed: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return ((s / 2 ** 31) * 2 - 1) * scale;
  });
}

function feeds(dims: number[], count: number): Record<string, Tensor>[] {
  const size = dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, (_, i) => ({ x: tensor(dims, values(size, 1000 + i, 1)) }));
}

/** An MLP of `layers` hidden layers of width 16. */
export function mlpModel(layers: number): LadderModel {
  const width = 16;
  const nodes: Record<string, unknown>[] = [];
  const initializers = [];
  let x = 'x';
  for (let l = 0; l <= layers; l++) {
    const out = l === layers ? 10 : width;
    initializers.push(floatRaw(`w${l}`, [out, width], values(out * width, 7 + l, 1 / Math.sqrt(width))), floatRaw(`b${l}`, [out], values(out, 70 + l, 0.1)));
    const y = l === layers ? 'y' : `h${l}`;
    nodes.push(node('Gemm', [x, `w${l}`, `b${l}`], [l === layers ? y : `g${l}`], [attr.int('transB', 1)]));
    if (l < layers) nodes.push(node('Relu', [`g${l}`], [y]));
    x = y;
  }
  const onnx = encodeModel({ inputs: [valueInfo('x', [1, width])], outputs: [valueInfo('y', [1, 10])], nodes, initializers });
  return { name: `mlp-${layers}`, family: 'mlp', layers, onnx, feeds: feeds([1, width], 4) };
}

/** A CNN of `layers` 3×3 convolutions with 4 channels on an 8×8 image. */
export function cnnModel(layers: number): LadderModel {
  const channels = 4;
  const nodes: Record<string, unknown>[] = [];
  const initializers = [];
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    const inC = l === 0 ? 1 : channels;
    initializers.push(floatRaw(`k${l}`, [channels, inC, 3, 3], values(channels * inC * 9, 11 + l, 1 / Math.sqrt(inC * 9))), floatRaw(`c${l}`, [channels], values(channels, 110 + l, 0.1)));
    nodes.push(node('Conv', [x, `k${l}`, `c${l}`], [`v${l}`], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]));
    nodes.push(node('Relu', [`v${l}`], [`a${l}`]));
    x = `a${l}`;
  }
  initializers.push(floatRaw('wf', [10, channels * 64], values(10 * channels * 64, 5, 1 / 16)), floatRaw('bf', [10], values(10, 55, 0.1)));
  nodes.push(node('Flatten', [x], ['flat']), node('Gemm', ['flat', 'wf', 'bf'], ['y'], [attr.int('transB', 1)]));
  const onnx = encodeModel({ inputs: [valueInfo('x', [1, 1, 8, 8])], outputs: [valueInfo('y', [1, 10])], nodes, initializers });
  return { name: `cnn-${layers}`, family: 'cnn', layers, onnx, feeds: feeds([1, 1, 8, 8], 4) };
}

/** A stack of `blocks` transformer encoder blocks over 4 tokens of width 8. */
export function transformerModel(blocks: number): LadderModel {
  const [tokens, width, hidden] = [4, 8, 16];
  const nodes: Record<string, unknown>[] = [];
  const initializers = [floatRaw('scale', [], [1 / Math.sqrt(width)]), floatRaw('gamma', [width], Array(width).fill(1)), floatRaw('beta', [width], Array(width).fill(0))];
  const weight = (name: string, rows: number, cols: number, seed: number) => initializers.push(floatRaw(name, [rows, cols], values(rows * cols, seed, 1 / Math.sqrt(rows))));
  let x = 'x';
  for (let l = 0; l < blocks; l++) {
    const t = (n: string) => `${n}${l}`;
    for (const [i, w] of ['q', 'k', 'v', 'o'].entries()) weight(t(`W${w}`), width, width, 300 + 10 * l + i);
    weight(t('W1'), width, hidden, 400 + l);
    weight(t('W2'), hidden, width, 500 + l);
    nodes.push(
      node('MatMul', [x, t('Wq')], [t('q')]),
      node('MatMul', [x, t('Wk')], [t('k')]),
      node('MatMul', [x, t('Wv')], [t('v')]),
      node('Transpose', [t('k')], [t('kt')], [attr.ints('perm', [1, 0])]),
      node('MatMul', [t('q'), t('kt')], [t('s')]),
      node('Mul', [t('s'), 'scale'], [t('ss')]),
      node('Softmax', [t('ss')], [t('p')], [attr.int('axis', -1)]),
      node('MatMul', [t('p'), t('v')], [t('a')]),
      node('MatMul', [t('a'), t('Wo')], [t('o')]),
      node('Add', [x, t('o')], [t('r')]),
      node('LayerNormalization', [t('r'), 'gamma', 'beta'], [t('n')], [attr.int('axis', -1)]),
      node('MatMul', [t('n'), t('W1')], [t('f')]),
      node('Relu', [t('f')], [t('g')]),
      node('MatMul', [t('g'), t('W2')], [t('h')]),
      node('Add', [t('n'), t('h')], [l === blocks - 1 ? 'y' : t('out')]),
    );
    x = l === blocks - 1 ? 'y' : t('out');
  }
  const onnx = encodeModel({ inputs: [valueInfo('x', [tokens, width])], outputs: [valueInfo('y', [tokens, width])], nodes, initializers });
  return { name: `transformer-${blocks}`, family: 'transformer', layers: blocks, onnx, feeds: feeds([tokens, width], 4) };
}

/** The ladder: MLPs, CNNs and transformer encoders of 2, 4 and 8 layers. */
export function ladderModels(rungs: readonly number[] = [2, 4, 8]): LadderModel[] {
  return [...rungs.map(mlpModel), ...rungs.map(cnnModel), ...rungs.map(transformerModel)];
}

/**
 * A bench subject's ONNX bytes and feeds: a bundled model by its name in `../shared/models`, or a rung of the ladder
 * by its name (`transformer-8`).
 */
export function benchSubject(model: string): { onnx: Uint8Array; feeds: Record<string, Tensor>[] } {
  const rung = /^(mlp|cnn|transformer)-(\d+)$/.exec(model);
  if (rung === null) return { onnx: readFileSync(new URL(`${model}.onnx`, MODELS)), feeds: feedsFor(model) };
  const m = ladderModels([Number(rung[2])]).find((l) => l.name === model);
  if (m === undefined) throw new Error(`no ladder model ${model}`);
  return { onnx: m.onnx, feeds: m.feeds };
}
