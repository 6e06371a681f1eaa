/**
 * The sample MLP taken through the whole pipeline once per process — calibrated, compiled, set up over the
 * development SRS and proven on its sample input — with every artifact file `blockfold` writes for it. The
 * artifact, fuzz, verify-report and browser tests start from these honest files and forge or mutate them.
 */
import { readFileSync } from 'node:fs';
import {
  compiledModelArtifact,
  encodeCompiledModel,
  encodeProof,
  encodeProvingKey,
  encodeVerifyingKey,
  type CompiledModelArtifact,
} from '../../src/pipeline/artifacts';
import { calibrateOnnx, quantizeFeeds } from '../../src/pipeline/compile';
import { setup, type ProvingKey } from '../../src/pipeline/keys';
import { prove, type ModelProof, type Statement } from '../../src/pipeline/prove-verify';
import type { Tensor } from '../../src/model/tensor';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';
import { DEV_SRS, devSrs } from './dev-srs';

/** The sample MLP's ONNX bytes. */
export const sampleOnnx = (): Uint8Array => new Uint8Array(readFileSync(modelFile(SAMPLE_MLP)));

/** The sample MLP's feeds (its one input, `input`). */
export const sampleFeeds = (): Record<string, Tensor> => ({ input: sampleMlpInput() });

export { DEV_SRS } from './dev-srs';

/** The sample MLP's compiled model, keys, one statement and proof, and the files holding them. */
export interface SampleArtifacts {
  readonly onnx: Uint8Array;
  readonly feeds: Record<string, Tensor>;
  readonly compiled: CompiledModelArtifact;
  readonly pk: ProvingKey;
  readonly statement: Statement;
  readonly proof: ModelProof;
  /** `.proof`, `.pk`, `.vk` and `.bfm` files, byte for byte what the CLI writes. */
  readonly files: { readonly proof: Uint8Array; readonly pk: Uint8Array; readonly vk: Uint8Array; readonly bfm: Uint8Array };
}

let cached: Promise<SampleArtifacts> | undefined;

/** The sample artifacts, built on first call and shared by every later caller in the process (treat them as read-only). */
export function sampleArtifacts(): Promise<SampleArtifacts> {
  cached ??= (async () => {
    const onnx = sampleOnnx();
    const feeds = sampleFeeds();
    const compiled = compiledModelArtifact(onnx, calibrateOnnx(onnx, [feeds]));
    const pk = await setup(compiled.model, await devSrs(compiled.model.srsG1Powers));
    const { statement, proof } = await prove(pk, quantizeFeeds(compiled.model, feeds));
    const files = {
      proof: encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof }),
      pk: encodeProvingKey({ compiled, srs: DEV_SRS, pk }),
      vk: encodeVerifyingKey({ srs: DEV_SRS, vk: pk.vk }),
      bfm: encodeCompiledModel(compiled),
    };
    return { onnx, feeds, compiled, pk, statement, proof, files };
  })();
  return cached;
}
