/**
 * The convolution's channel-major padded layout (`blocks/convolution-layout.ts`): its conditions against every read
 * enumerated (sufficient always, exact once the image has two rows and two columns), the default S and Rr the least
 * that work, each condition refused by name, and the layout's helpers (`tapOffset`, `isOutputPosition`,
 * `isImagePosition`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvolutionLayout, type ConvolutionLayoutOptions } from '../../blocks/convolution-layout';
import { BlockfoldError } from '../../src/errors';

interface Geometry {
  readonly cin: number;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly pads: readonly [number, number, number, number];
  readonly S: number;
  readonly Rr: number;
}

/**
 * Whether reading x at `c·N + l + off_t` (mod cin·N) is the zero-padded convolution's read for every output position,
 * tap and channel, found by enumerating them: the image and the output fit their rows and channels, an in-image read
 * is its own cell, and every other read lands on a padding cell. Undefined when the kernel leaves no output.
 */
function readsArePadded(g: Geometry): boolean | undefined {
  const [pt, pl, pb, pr] = g.pads;
  const hOut = g.h + pt + pb - g.kh + 1;
  const wOut = g.w + pl + pr - g.kw + 1;
  if (hOut < 1 || wOut < 1) return undefined;
  if (g.h > g.Rr || g.w > g.S || hOut > g.Rr || wOut > g.S) return false;
  const N = g.S * g.Rr;
  const n = g.cin * N;
  for (let c = 0; c < g.cin; c++)
    for (let y = 0; y < hOut; y++)
      for (let x = 0; x < wOut; x++)
        for (let dy = 0; dy < g.kh; dy++)
          for (let dx = 0; dx < g.kw; dx++) {
            const [Y, X] = [y + dy - pt, x + dx - pl];
            const f = (((c * N + y * g.S + x + (dy - pt) * g.S + (dx - pl)) % n) + n) % n;
            const l = f % N;
            const padding = Math.floor(l / g.S) >= g.h || l % g.S >= g.w;
            if (Y >= 0 && Y < g.h && X >= 0 && X < g.w ? f !== c * N + Y * g.S + X : !padding) return false;
          }
  return true;
}

const optionsOf = (g: Geometry, layout = true): ConvolutionLayoutOptions => ({
  inChannels: g.cin,
  outChannels: 1,
  height: g.h,
  width: g.w,
  kernelHeight: g.kh,
  kernelWidth: g.kw,
  pads: { top: g.pads[0], left: g.pads[1], bottom: g.pads[2], right: g.pads[3] },
  ...(layout ? { rowStride: g.S, channelRows: g.Rr } : {}),
});

function accepts(opts: ConvolutionLayoutOptions): boolean {
  try {
    new ConvolutionLayout(opts);
    return true;
  } catch (e) {
    assert.ok(e instanceof BlockfoldError, String(e));
    return false;
  }
}

function* geometries(): Generator<Geometry> {
  const small = [1, 2, 3];
  const pads = [0, 1, 2];
  for (const cin of [1, 2])
    for (const h of small)
      for (const w of small)
        for (const kh of small)
          for (const kw of small)
            for (const pt of pads)
              for (const pl of pads)
                for (const pb of pads)
                  for (const pr of pads)
                    for (const S of [1, 2, 4, 8])
                      for (const Rr of [1, 2, 4, 8]) if (S * Rr >= 2) yield { cin, h, w, kh, kw, pads: [pt, pl, pb, pr], S, Rr };
}

test('ConvolutionLayout: its conditions match every read enumerated, exactly for images of two rows and columns and more, and are sufficient always', () => {
  let exact = 0;
  let refusedButFine = 0;
  for (const g of geometries()) {
    const fine = readsArePadded(g);
    const accepted = accepts(optionsOf(g));
    if (fine === undefined) {
      assert.equal(accepted, false, `no output: ${JSON.stringify(g)}`);
      continue;
    }
    if (accepted) assert.equal(fine, true, `accepted, but some read is wrong: ${JSON.stringify(g)}`);
    if (g.h >= 2 && g.w >= 2) {
      assert.equal(accepted, fine, `the conditions are not exact: ${JSON.stringify(g)}`);
      exact++;
    } else if (!accepted && fine) refusedButFine++;
  }
  assert.ok(exact > 10_000, `${exact} geometries compared`);
  // A one-row or one-column image makes some wrap harmless (a left read wraps to the row above, which is padding):
  // the conditions refuse those too, a conservative choice.
  assert.ok(refusedButFine > 0);
});

test('ConvolutionLayout: the default S and Rr are the least powers of two whose reads are all padded', () => {
  for (const g of geometries()) {
    if (g.S !== 1 || g.Rr !== 2 || readsArePadded({ ...g, S: 64, Rr: 64 }) === undefined) continue;
    const layout = new ConvolutionLayout(optionsOf(g, false));
    const { rowStride: S, channelRows: Rr } = layout;
    assert.equal(readsArePadded({ ...g, S, Rr }), true, JSON.stringify(g));
    assert.ok(S * Rr >= 2);
    if (Rr > 1) assert.equal(accepts(optionsOf({ ...g, S, Rr: Rr / 2 })), false, `Rr = ${Rr} is not the least: ${JSON.stringify(g)}`);
    if (S > 1 && S * Rr > 2) assert.equal(accepts(optionsOf({ ...g, S: S / 2, Rr })), false, `S = ${S} is not the least: ${JSON.stringify(g)}`);
  }
});

test('ConvolutionLayout: each condition is refused with its numbers', () => {
  const refused = (opts: ConvolutionLayoutOptions, pattern: RegExp) =>
    assert.throws(() => new ConvolutionLayout(opts), (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  // A 6×6 image, 3×3 kernel: each pad of 2 (the others 0) needs S or Rr ≥ 8, and S = Rr = 4 fits none.
  const base = { inChannels: 2, outChannels: 3, height: 6, width: 6, kernelHeight: 3, kernelWidth: 3 };
  const fits = { rowStride: 8, channelRows: 8 };
  refused({ ...base, pads: { left: 3 }, rowStride: 8, channelRows: 8 }, /S = 8 < W \+ left pad = 6 \+ 3: a read left of the image wraps to column S − 3 of the row above/);
  refused({ ...base, pads: { right: 3 }, rowStride: 8, channelRows: 8 }, /S = 8 < W \+ right pad = Wout \+ kw − 1 − pl = 7 \+ 3 − 1 − 0/);
  refused({ ...base, pads: { top: 3 }, rowStride: 8, channelRows: 8 }, /Rr = 8 < H \+ top pad = 6 \+ 3: a read above the image wraps to row Rr − 3 of the channel before/);
  refused({ ...base, pads: { bottom: 3 }, rowStride: 8, channelRows: 8 }, /Rr = 8 < H \+ bottom pad = Hout \+ kh − 1 − pt = 7 \+ 3 − 1 − 0/);
  for (const side of ['top', 'left', 'bottom', 'right']) assert.ok(accepts({ ...base, pads: { [side]: 2 }, ...fits }), side);
  // Pads beyond the kernel: the output outgrows the image and its rows.
  refused({ ...base, kernelHeight: 1, kernelWidth: 1, pads: { left: 2, right: 2 }, rowStride: 8, channelRows: 8 }, /the 6×10 output does not fit Rr = 8 rows of S = 8 cells/);
  refused({ ...base, inChannels: 3 }, /the input channels must be a power of two .* got 3/);
  refused({ ...base, kernelWidth: 7 }, /a 3×7 kernel over a 6×6 image padded by 0, 0, 0, 0 has no output/);
  refused({ ...base, height: 0 }, /height must be a positive integer, got 0/);
  refused({ ...base, pads: { top: -1 } }, /the top pad must be a non-negative integer, got -1/);
  refused({ ...base, rowStride: 12, channelRows: 8 }, /S = 12 and the rows per channel Rr = 8 must be powers of two/);
  refused({ ...base, height: 1, width: 1, kernelHeight: 1, kernelWidth: 1, rowStride: 1, channelRows: 1 }, /a channel needs at least 2 cells/);
});

test('ConvolutionLayout: tapOffset, isOutputPosition and isImagePosition on a 3×3 "same" convolution of a 5×6 image', () => {
  const layout = new ConvolutionLayout({ inChannels: 1, outChannels: 1, height: 5, width: 6, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } });
  assert.deepEqual([layout.rowStride, layout.channelRows, layout.channelCells, layout.outHeight, layout.outWidth, layout.taps], [8, 8, 64, 5, 6, 9]);
  // Tap (dy, dx) reads (y + dy − 1, x + dx − 1): offset (dy − 1)·8 + (dx − 1).
  assert.deepEqual(
    Array.from({ length: 9 }, (_, t) => layout.tapOffset(t)),
    [-9, -8, -7, -1, 0, 1, 7, 8, 9],
  );
  const positions = (f: (l: number) => boolean) => Array.from({ length: 64 }, (_, l) => l).filter(f);
  const grid = (rows: number, cols: number) => Array.from({ length: rows }, (_, y) => Array.from({ length: cols }, (_, x) => y * 8 + x)).flat();
  assert.deepEqual(positions((l) => layout.isOutputPosition(l)), grid(5, 6));
  assert.deepEqual(positions((l) => layout.isImagePosition(l)), grid(5, 6));
  // "Valid" 2×3 over the same image: a 4×4 output, and the image's positions unchanged.
  const valid = new ConvolutionLayout({ inChannels: 1, outChannels: 1, height: 5, width: 6, kernelHeight: 2, kernelWidth: 3 });
  assert.deepEqual([valid.rowStride, valid.channelRows, valid.outHeight, valid.outWidth], [8, 8, 4, 4]);
  assert.deepEqual(Array.from({ length: 6 }, (_, t) => valid.tapOffset(t)), [0, 1, 2, 8, 9, 10]);
  assert.deepEqual(positions((l) => valid.isOutputPosition(l)), grid(4, 4));
  assert.deepEqual(positions((l) => valid.isImagePosition(l)), grid(5, 6));
});
