/**
 * The end of most op tests: the compiled model set up over the development SRS, proven on one input, the proof
 * accepted, and the same proof rejected once one proven output cell is changed. The change leaves every other
 * output as proven, so a rejection comes from the argument, not from a statement of the wrong shape.
 */
import assert from 'node:assert/strict';
import type { Tensors } from '../../blocks/block';
import type { CompiledModel } from '../../src/pipeline/compiled-model';
import { setup } from '../../src/pipeline/keys';
import { prove, verify, type Statement } from '../../src/pipeline/prove-verify';
import { devSrs } from './dev-srs';

/** Which cell of the model's first output to change: column `col` of row `row` (of every row if omitted), by `delta` (default 1). */
export interface OutputChange {
  readonly col: number;
  readonly row?: number;
  readonly delta?: bigint;
}

/**
 * Proves `model` on the quantized `inputs`, asserts the proof verifies, and asserts it is rejected for the
 * statement whose first output has `change` applied; resolves to the honest statement for further checks.
 */
export async function proveAndRejectChangedOutput(model: CompiledModel, inputs: Tensors, change: OutputChange): Promise<Statement> {
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, inputs);
  const honest = await verify(pk.vk, statement, proof.bytes);
  assert.ok(honest.ok, honest.ok ? '' : honest.reason);
  const out = model.outputs[0].id;
  const changed = statement.outputs[out].map((cells, r) => cells.map((v, c) => (c === change.col && (change.row ?? r) === r ? v + (change.delta ?? 1n) : v)));
  assert.equal((await verify(pk.vk, { ...statement, outputs: { ...statement.outputs, [out]: changed } }, proof.bytes)).ok, false, `a proof for output ${out} with cell ${change.col} changed`);
  return statement;
}
