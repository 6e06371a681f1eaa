/**
 * The bundled models in `../shared/models` (next to the repository) and their sample inputs, for benches.
 */
import { readFileSync } from 'node:fs';
import { compile, createInsecureDevSrs, setup, tensor, type CompiledWithQuant, type ProvingKey, type Tensor } from '../src/index';

/** The folder of the bundled models. */
export const MODELS = new URL('../../shared/models/', import.meta.url);

/** Calibration / proving feeds of a bundled model: the sample input, or the 64 Fashion-MNIST test images. */
export function feedsFor(model: string): Record<string, Tensor>[] {
  if (model === 'zktorch-sample-mlp') {
    const j = JSON.parse(readFileSync(new URL('zktorch-sample-mlp.input.json', MODELS), 'utf8')) as { input_data: number[][] };
    return [{ input: tensor([4], j.input_data[0]) }];
  }
  const j = JSON.parse(readFileSync(new URL('fashion-test-64.json', MODELS), 'utf8')) as { pixels: number[]; labels: number[] };
  return Array.from({ length: j.labels.length }, (_, i) => ({ input: tensor([1, 1, 28, 28], j.pixels.slice(i * 784, (i + 1) * 784)) }));
}

/**
 * A bundled model compiled on its first 8 feeds and set up over the development SRS with a seeded weight blinding:
 * what the per-model benches that compare proofs or key files start from.
 */
export async function setUpBundled(model: string, seed: string): Promise<{ feeds: Record<string, Tensor>[]; compiled: CompiledWithQuant; pk: ProvingKey }> {
  const feeds = feedsFor(model);
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds.slice(0, 8));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  return { feeds, compiled, pk: await setup(compiled, srs, { seed }) };
}
