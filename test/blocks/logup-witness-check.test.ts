/**
 * The logUp helper round's witness check (blocks/logup.ts `logupHelperRound`): it refuses a cell where β = f under a
 * nonzero weight (its helper `w/(β − f)` does not exist) and a padding cell off its constant, and accepts an honest
 * witness; `allowInvalidWitness` lets both through for the verifier to reject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { R } from '../../src/field';
import { logupHelperRound, type LogupColumnWitness, type LogupSpec } from '../../blocks/logup';
import { testKzgKey } from '../helpers/kzg';

const engine = getDefaultEngine();
const kzg = await testKzgKey(16, engine);
const column = (name: string, pad?: boolean) => ({ name, domain: 4, value: [], weight: [], ...(pad && { pad: { selector: `q:${name}`, constant: `k:${name}` } }) });
const spec: LogupSpec = { foldKey: 'check', statement: [], committedBeforeBeta: [], preChallenges: [], columns: [column('x', true), column('t')], claims: [] };

/** x = [1, 2, 7, 7] with its last two cells padding (constant 7, weight 0) against the table [1, 2, 9, 9]. */
function witness(change: (x: { value: bigint[]; weight: bigint[] }) => void = () => {}): LogupColumnWitness[] {
  const x = { value: [1n, 2n, 7n, 7n], weight: [1n, 1n, 0n, 0n] };
  change(x);
  return [
    { ...x, selector: [1n, 1n, 0n, 0n], constant: [0n, 0n, 7n, 7n] },
    { value: [1n, 2n, 9n, 9n], weight: [R - 1n, R - 1n, 0n, 0n] },
  ];
}
const round = (columns: LogupColumnWitness[], beta: bigint, allowInvalidWitness = false) =>
  logupHelperRound(spec, { engine, kzg, allowInvalidWitness }, { polys: Promise.resolve(new Map()), columns }, beta);

test('an honest witness passes; β at a cell of weight 0 does not matter', async () => {
  await round(witness(), 12345n);
  await round(witness(), 7n);
});

test('β = f at a cell of nonzero weight is refused', async () => {
  await assert.rejects(round(witness(), 2n), /logUp column x: cell 1 has β − f = 0/);
  await round(witness(), 2n, true);
});

test('a weight that is not a canonical field element is refused as such, at a pole or not', async () => {
  for (const beta of [12345n, 7n]) await assert.rejects(round(witness((x) => (x.weight[2] = R)), beta), /logUp column x: cell 2 has a weight that is not a canonical field element/);
});

test('a padding cell off its constant is refused, whatever its weight leaves of the sums', async () => {
  await assert.rejects(round(witness((x) => (x.value[3] = 8n)), 12345n), /logUp column x: padding cell 3 does not hold its constant/);
  await round(witness((x) => (x.value[3] = 8n)), 12345n, true);
  // A real cell is not padding: changed, it fails the sums instead.
  await assert.rejects(round(witness((x) => (x.value[1] = 9n)), 12345n), /weighted sums do not cancel/);
});
