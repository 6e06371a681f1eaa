/**
 * `tableInterpolant`: a lookup table's column interpolated once per table object and kept, so the prover's public
 * table polynomial `T = T_x + γ·T_y` costs no transform per proof.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { EvaluationDomain } from '../../src/poly/domain';
import { rangeTable, reluTable, tableColumn, tableDomain, tableInterpolant } from '../../blocks/tables';

test('tableInterpolant: each column interpolated once per table, the interpolant of tableColumn (also padded, and signed entries)', () => {
  const engine = getDefaultEngine();
  for (const table of [rangeTable(-3n, 10n), reluTable(-5n, 6n)]) {
    const domain = new EvaluationDomain(tableDomain(table), engine);
    for (const column of table.outputs ? (['inputs', 'outputs'] as const) : (['inputs'] as const)) {
      const f = tableInterpolant(table, column, engine);
      assert.deepEqual([...f], domain.ifft(tableColumn(table, column)), `${table.name} ${column}`);
      assert.equal(tableInterpolant(table, column, engine), f, 'kept: the second call interpolates nothing');
    }
  }
  // Kept per table object, not per name: a table of other entries gets its own interpolant.
  const a = tableInterpolant(rangeTable(0n, 8n), 'inputs', engine);
  const b = tableInterpolant(rangeTable(1n, 9n), 'inputs', engine);
  assert.notDeepEqual(a, b);
});
