/** The sample MLP (`../shared/models/zktorch-sample-mlp.onnx`) compiled, set up on the development SRS and proven once per process. */
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup, type ProvingKey } from '../../src/pipeline/keys';
import assert from 'node:assert/strict';
import { BlockfoldError } from '../../src/errors';
import { prove, verify, type ModelProof, type Statement } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

export const sampleBytes = (): Uint8Array => readFileSync(modelFile(SAMPLE_MLP));

export function compileSample(): ReturnType<typeof compile> {
  return compile(sampleBytes(), [{ input: sampleMlpInput() }]);
}

export async function keysFor(model: ReturnType<typeof compile>): Promise<ProvingKey> {
  const srs = await devSrs(model.srsG1Powers);
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

/**
 * Witness tampering (issue 9): proves `inputs` with one cell of the written tensor `id` (a wire or an output)
 * changed by `delta` — at `(row, cell)` taken modulo the tensor's rows and domain, so padding cells are hit too —
 * with the prover's checks bypassed, and asserts that `verify` rejects. An output pushed outside the model's
 * bounds is refused before proving (a typed error), which is the pipeline's answer to that tamper; so is a
 * padding cell of a tensor that a function lookup reads, whose prover refuses a row longer than the tensor's width
 * before it computes multiplicities (a typed error, never a proof). A padding cell of a range-checked tensor is proven
 * as committed (the range block's prover takes it with the checks bypassed) and rejected by the padding identity. Any
 * other refusal fails the test.
 *
 * A derived tensor (`src/pipeline/derived-rows.ts`) has no commitment of its own: prover and verifier derive it
 * from the rows its relation reads, which the tamper leaves as they were. A changed cell of it reaches the proof
 * only through a block that opens the row (a lookup, a max), and then the opening contradicts the derived
 * commitment: rejected. When no block of the argument opens it, the changed cell reaches nothing and the proof is
 * the honest one: accepted only if its bytes equal the honest proof's under the same seed (the statement, hence
 * the seeded blinding, is unchanged), which shows the tampered value was never used.
 */
export async function assertTamperRejected(pk: ProvingKey, inputs: Statement['inputs'], id: string, rowSeed: number, cellSeed: number, delta: bigint): Promise<void> {
  const t = pk.model.graph.tensors.find((x) => x.id === id)!;
  const r = rowSeed % t.rows;
  const c = cellSeed % t.domain;
  const derived = derivedRows(pk.model.graph).ids.has(id);
  const seed = derived ? 'tamper' : undefined;
  let proven;
  let padding = false;
  try {
    proven = await prove(pk, inputs, {
      seed,
      allowInvalidWitness: true,
      tamper: (values) => {
        padding = c >= values[id][r].length;
        const rows = values[id].map((row) => [...row]);
        while (rows[r].length <= c) rows[r].push(0n);
        rows[r][c] += delta;
        values[id] = rows;
      },
    });
  } catch (e) {
    assert.ok(e instanceof BlockfoldError && (t.kind === 'output' || (padding && /lookup: tensor .* must have/.test(e.message))), `${id}: ${e}`);
    return;
  }
  const v = await verify(pk.vk, proven.statement, proven.proof.bytes);
  if (v.ok && derived) assert.deepEqual(proven.proof.bytes, (await prove(pk, inputs, { seed })).proof.bytes, `derived ${id}[${r}][${c}] + ${delta} was accepted with a proof other than the honest one`);
  else assert.equal(v.ok, false, `${id}[${r}][${c}] + ${delta} was accepted`);
}

/** The tensors a block writes (wires and outputs), the targets of {@link assertTamperRejected}. */
export function writtenTensors(pk: ProvingKey): string[] {
  return pk.model.graph.tensors.filter((t) => t.kind === 'wire' || t.kind === 'output').map((t) => t.id);
}
