/**
 * The relink block (`blocks/relink.ts`) through the conformance harness every block passes (`blocks/conformance.ts`):
 * completeness, determinism, every message and statement slot tampered, every output cell of y tampered (padding
 * included), blinded rows, on shapes with one and several rows. The relink's own blinded case (x's blinding fixed,
 * y's fresh) is `test/blocks/relink.test.ts`.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { checkConformance } from '../../blocks/conformance';
import { RelinkBlock } from '../../blocks/relink';
import { context } from '../soundness/helpers';

test('relink passes the conformance harness: 64 B of proof proven alone (the quotient and the opening, two G1 points), both messages, every row commitment and every cell of y tampered are rejected', async () => {
  const ctx = await context(32);
  for (const [rows, domain, x] of [
    [2, 4, [[1n, -2n, 3n], [4n, 5n, -6n]]],
    [1, 8, [[7n, 0n, -1n, 2n, 9n]]],
  ] as const) {
    const report = await checkConformance(new RelinkBlock({ rows, domain }), ctx, { x: x.map((r) => [...r]) }, { numRuns: 4 });
    assert.equal(report.foldKey, `relink/m${rows}/n${domain}`);
    assert.equal(report.proofBytes, 64);
    assert.deepEqual(report.size, { g1: 64, g2: 0, fr: 0, total: 64 });
    assert.equal(report.messageSlotsTampered, 2);
    assert.equal(report.statementSlotsTampered, 2 * rows);
    assert.ok(report.witnessTamperings > 0);
  }
});
