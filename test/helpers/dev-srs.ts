/**
 * The development SRS of the tests: the one `blockfold setup --dev-srs` uses, opened as the CLI opens it.
 */
import type { Engine } from '../../src/engine/engine';
import { DEV_SEED, openSrs, type SrsSource } from '../../src/pipeline/api';
import type { Srs } from '../../src/srs/srs';

/** The development SRS the sample keys are made over (`blockfold setup --dev-srs`). */
export const DEV_SRS: SrsSource = { kind: 'dev', seed: DEV_SEED };

/**
 * The development SRS with `g1Powers` G1 powers (a model's `srsG1Powers`) and `[1]₂, [τ]₂`, by `openSrs`: its G1
 * powers and range bases are read from the on-disk cache when another test process computed them (a model with the
 * 2^16 range table: 2 × 65,538 points, about 3 s of CPU to compute), and a process opens each once
 * (`src/srs/dev-cache.ts`).
 */
export function devSrs(g1Powers: number, engine?: Engine): Promise<Srs> {
  return openSrs(DEV_SRS, g1Powers, engine);
}
