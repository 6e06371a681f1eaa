/** The sample MLP (`../shared/models/zktorch-sample-mlp.onnx`) compiled, set up on the development SRS and proven once per process. */
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup, type ProvingKey } from '../../src/pipeline/keys';
import { prove, type ModelProof, type Statement } from '../../src/pipeline/prove-verify';
import { createInsecureDevSrs } from '../../src/srs/dev';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

export const sampleBytes = (): Uint8Array => readFileSync(modelFile(SAMPLE_MLP));

export function compileSample(): ReturnType<typeof compile> {
  return compile(sampleBytes(), [{ input: sampleMlpInput() }]);
}

export async function keysFor(model: ReturnType<typeof compile>): Promise<ProvingKey> {
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(model.srsG1Powers)), { g1Powers: model.srsG1Powers, g2Powers: 2 });
  return setup(model, srs);
}

let cached: Promise<{ model: ReturnType<typeof compile>; pk: ProvingKey; inputs: Statement['inputs']; statement: Statement; proof: ModelProof }> | undefined;

/** Compiles, sets up and proves the sample MLP once. */
export function sampleProof() {
  cached ??= (async () => {
    const model = compileSample();
    const pk = await keysFor(model);
    const inputs = quantizeFeeds(model, { input: sampleMlpInput() });
    const { statement, proof } = await prove(pk, inputs);
    return { model, pk, inputs, statement, proof };
  })();
  return cached;
}
