/**
 * The bundled models in `../shared/models` (next to the repository) and their sample inputs, for benches.
 */
import { readFileSync } from 'node:fs';
import { tensor, type Tensor } from '../src/index';

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
