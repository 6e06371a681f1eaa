/**
 * The two API entry points: `blockfold/verify` (the verifier alone, for browsers) is a part of `blockfold`,
 * so every name it exports is exported by the main entry too, bound to the very same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as main from '../../src/index';
import * as verifier from '../../src/verify';

test('blockfold exports everything blockfold/verify exports, as the same values', () => {
  const names = Object.keys(verifier);
  assert.ok(names.length >= 10, `blockfold/verify exports ${names.length} values`);
  const mainExports: Record<string, unknown> = main;
  for (const name of names) assert.equal(mainExports[name], (verifier as Record<string, unknown>)[name], `blockfold exports ${name}`);
});
