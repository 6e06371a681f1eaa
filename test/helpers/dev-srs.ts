/**
 * The development SRS of the tests: the one `blockfold setup --dev-srs` uses, opened as the CLI opens it; and a key
 * read back from its file, as a verifier of the CLI reads it.
 */
import type { Engine } from '../../src/engine/engine';
import { DEV_SEED, openSrs, type SrsSource } from '../../src/pipeline/api';
import type { Srs } from '../../src/srs/srs';
import { decodeVerifyingKey, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import type { VerifyingKey } from '../../src/pipeline/keys';

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

/**
 * `vk` as a verifier reads it from its `.vk` file: the points its verifier reads and none of the powers
 * (`decodeVerifyingKey`). The sweeps verify with it, so that a block whose verifier needs a point the file does not
 * hold fails there.
 */
export async function fileVerifyingKey(vk: VerifyingKey): Promise<VerifyingKey> {
  return (await decodeVerifyingKey(encodeVerifyingKey({ srs: DEV_SRS, vk }), { engine: vk.kzg.engine })).vk;
}
