/**
 * SRS sources that a key file can write down and reopen: a development seed, or a `.ptau` file.
 * @module
 */
import type { Engine } from '../engine/engine';
import { devSrsCacheDirectory } from '#files';
import { SrsError } from '../errors';
import { createInsecureDevSrs } from '../srs/dev';
import { readPtauFile } from '../srs/ptau';
import type { Srs } from '../srs/srs';

/** Where an SRS comes from, in a form a key file can record and reopen. */
export type SrsSource =
  /** The INSECURE development SRS of this seed, with exactly the powers a model needs. */
  | { readonly kind: 'dev'; readonly seed: string }
  /**
   * A snarkjs `.ptau` ceremony file (read and validated up to the powers a model needs), with the prepared range-basis
   * files of its range tables (`blockfold prepare-range`; checked on reading): without one, a model's range table has
   * its basis computed from the powers on first use (minutes at 2^16 entries, docs/protocol.md).
   */
  | { readonly kind: 'ptau'; readonly path: string; readonly rangeBasisFiles?: readonly string[] };

/** The default development seed. */
export const DEV_SEED = 'blockfold';

/**
 * Opens the SRS of `source` with the powers a model needs: `g1Powers` in G1 and `[1]₂, [τ]₂`. A dev SRS of
 * any size has the same points (τ depends on the seed only), so the size never changes a key's digest. A dev SRS's
 * G1 powers and range bases go through its on-disk cache (`src/srs/dev-cache.ts`; `BLOCKFOLD_DEV_SRS_CACHE=off` turns
 * it off, a directory there moves it): a process that opens one another process computed reads and checks its points,
 * about half the work, and a process opens each file once.
 */
export async function openSrs(source: SrsSource, g1Powers: number, engine?: Engine): Promise<Srs> {
  if (source.kind === 'dev') {
    const power = Math.max(1, Math.ceil(Math.log2(g1Powers)));
    return createInsecureDevSrs(power, { seed: source.seed, g1Powers, g2Powers: 2, engine, cacheDirectory: devSrsCacheDirectory() });
  }
  const srs = await readPtauFile(source.path, { maxG1: g1Powers, maxG2: 2, engine, rangeBasisFiles: source.rangeBasisFiles });
  if (srs.g1Count < g1Powers) throw new SrsError(`${source.path} holds ${srs.g1Count} G1 powers, the model needs ${g1Powers}`);
  return srs;
}
