/**
 * Inputs of the convolution tests: a dense image of small pseudo-random integers, the same image in the block's
 * channel-major padded layout (zero padding), and W.
 * @module
 */
import type { ConvolutionBlock } from '../../blocks/convolution';

/** Deterministic small integers in [−range, range] from `seed`. */
function integers(count: number, seed: number, range = 50): bigint[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return BigInt((s >>> 8) % (2 * range + 1)) - BigInt(range);
  });
}

/** The input image as cin channels of H rows of W cells. */
export function denseImage(block: ConvolutionBlock, seed: number): bigint[][][] {
  const g = block.layout;
  const cells = integers(g.inChannels * g.height * g.width, seed);
  return Array.from({ length: g.inChannels }, (_, c) => Array.from({ length: g.height }, (_, y) => cells.slice((c * g.height + y) * g.width, (c * g.height + y + 1) * g.width)));
}

/** W (m rows of k = T·cin, tap-major), x (the image at c·N + y·S + x, zero elsewhere) and the dense image. */
export function convolutionInputs(block: ConvolutionBlock, seed: number): { w: bigint[][]; x: bigint[][]; image: bigint[][][] } {
  const g = block.layout;
  const image = denseImage(block, seed);
  const x = new Array<bigint>(g.inChannels * g.channelCells).fill(0n);
  image.forEach((channel, c) => channel.forEach((row, y) => row.forEach((v, col) => (x[c * g.channelCells + y * g.rowStride + col] = v))));
  const weights = integers(g.outChannels * block.columns, seed + 7919, 20);
  const w = Array.from({ length: g.outChannels }, (_, c) => weights.slice(c * block.columns, (c + 1) * block.columns));
  return { w, x: [x], image };
}
