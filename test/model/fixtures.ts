/**
 * Shared test fixtures: the real models in ../shared/models and their sample inputs, and onnxruntime-node
 * as the float oracle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import type { Graph } from '../../src/model/graph';
import { tensor, type Tensor } from '../../src/model/tensor';

/** URL of a file in the shared models folder (next to the repository). */
export function modelFile(name: string): URL {
  return new URL(`../../../shared/models/${name}`, import.meta.url);
}

/** The four real models of the end-to-end tests. */
export const FASHION_MODELS = ['fashion-mlp.onnx', 'fashion-cnn.onnx', 'fashion-attn.onnx'] as const;
export const SAMPLE_MLP = 'zktorch-sample-mlp.onnx';

/** Reads and builds the graph IR of a shared model. */
export function loadGraph(name: string): { bytes: Uint8Array; graph: Graph } {
  const bytes = readFileSync(modelFile(name));
  return { bytes, graph: buildGraph(parseOnnx(bytes)) };
}

let fashionCache: { images: Tensor[]; labels: number[] } | undefined;

/** The 64 Fashion-MNIST test images as [1, 1, 28, 28] tensors, and their labels. */
export function fashionImages(): { images: Tensor[]; labels: number[] } {
  if (fashionCache) return fashionCache;
  const j = JSON.parse(readFileSync(modelFile('fashion-test-64.json'), 'utf8')) as { shape: number[]; pixels: number[]; labels: number[] };
  const per = 28 * 28;
  const images = Array.from({ length: j.shape[0] }, (_, i) => tensor([1, 1, 28, 28], j.pixels.slice(i * per, (i + 1) * per)));
  fashionCache = { images, labels: j.labels };
  return fashionCache;
}

/** The sample input of the ZKTorch MLP as a [4] tensor. */
export function sampleMlpInput(): Tensor {
  const j = JSON.parse(readFileSync(modelFile('zktorch-sample-mlp.input.json'), 'utf8')) as { input_data: number[][] };
  return tensor([4], j.input_data[0]);
}

interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  InferenceSession: { create(bytes: Uint8Array): Promise<OrtSession> };
  Tensor: new (type: string, data: Float32Array, dims: readonly number[]) => unknown;
}

const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

/** Creates one onnxruntime session and returns a runner (sessions are slow to create). */
export async function ortSession(bytes: Uint8Array, output: string): Promise<(feeds: Record<string, Tensor>) => Promise<Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  return async (feeds) => {
    const ortFeeds: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
    const res = await session.run(ortFeeds);
    return tensor(res[output].dims, Float64Array.from(res[output].data));
  };
}

/** Index of the largest value. */
export function argmax(data: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
  return best;
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
