import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, type BlockContext } from '../../blocks/index';
import { LookupBlock } from '../../blocks/lookup';
import fc from 'fast-check';
import { makeTable, rangeTable, reluTable } from '../../blocks/tables';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('range lookup passes the conformance harness', async () => {
  const ctx = await context(32);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'r', rows: 2, domain: 8, length: 5 }]);
  const t0 = performance.now();
  const report = await checkConformance(block, ctx, { r: [[1n, 2n, 3n, 15n, 0n], [7n, 7n, 7n, 1n, 2n]] }, { numRuns: 2 });
  console.log(report, performance.now() - t0);
});

test('relu lookup passes the conformance harness', async () => {
  const ctx = await context(32);
  const block = new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 1, domain: 8, length: 6 }, { input: 'a', output: 'b', rows: 1, domain: 4, length: 4 }]);
  const t0 = performance.now();
  const report = await checkConformance(block, ctx, { x: [[1n, -2n, 3n, 7n, 0n, -8n]], a: [[-1n, 4n, 0n, 2n]] }, { numRuns: 2 });
  console.log(report, performance.now() - t0);
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('table digests are injective: a name ending in zero bytes does not collide with an extra entry', async () => {
  // Without a length prefix, "t" with entries [0, 1] hashed as "t" ‖ enc(0) ‖ enc(1), and enc(0) is 32 zero bytes,
  // the UTF-8 encoding of 32 NUL characters: the table "t\0…\0" with entries [1] had the same digest.
  const a = makeTable('t', [0n, 1n]);
  const b = makeTable(`t${'\0'.repeat(32)}`, [1n]);
  assert.notEqual(a.digest, b.digest);
  const column = fc.array(fc.bigInt({ min: -3n, max: 3n }), { minLength: 1, maxLength: 4 });
  const table = fc.record({ name: fc.string({ unit: fc.constantFrom('t', '\0', '/', '1'), maxLength: 40 }), inputs: column, two: fc.boolean() });
  fc.assert(
    fc.property(table, table, (x, y) => {
      const tx = makeTable(x.name, x.inputs, x.two ? x.inputs : undefined);
      const ty = makeTable(y.name, y.inputs, y.two ? y.inputs : undefined);
      const same = x.name === y.name && x.two === y.two && x.inputs.length === y.inputs.length && x.inputs.every((v, i) => v === y.inputs[i]);
      return (tx.digest === ty.digest) === same;
    }),
    { numRuns: 2000 },
  );
});
