/**
 * Test-only KZG keys from a known τ (never use outside tests: anyone knowing τ can forge proofs).
 */
import { G1_ONE, G2_ONE, Fr, R, createKzgKey, getDefaultEngine, rangeTableKey, withRangeTable, type Engine, type KzgKey } from '../../src/index';
import { rangeBasisFromTau } from '../../src/srs/range-basis';

/** The test keys' τ: known, so a test can forge what a secret τ forbids (an opening of a false value). */
export const TEST_TAU = 0x5eed_7a0_1234_5678_9abc_def0n % R;

const cache = new Map<string, Promise<KzgKey>>();

/** A KZG key with `size` G1 powers of the fixed test τ, resident in `engine`. */
export function testKzgKey(size: number, engine: Engine = getDefaultEngine()): Promise<KzgKey> {
  const id = `${engine.name}/${size}`;
  let key = cache.get(id);
  if (!key) {
    key = (async () => {
      const scalars: bigint[] = [];
      let p = 1n;
      for (let i = 0; i < size; i++) {
        scalars.push(p);
        p = Fr.mul(p, TEST_TAU);
      }
      const powers = await engine.fixedBaseG1(G1_ONE, scalars);
      return createKzgKey(engine, powers, G2_ONE, G2_ONE.multiply(TEST_TAU));
    })();
    cache.set(id, key);
  }
  return key;
}

const rangeCache = new Map<string, Promise<KzgKey>>();

/**
 * {@link testKzgKey} with the range table `{0, …, tableSize − 1}` of the same τ (`src/kzg/range-table.ts`), its K basis
 * resident in `engine`: a key for range blocks (`blocks/range.ts`).
 */
export function testKzgKeyWithRange(size: number, tableSize: number, engine: Engine = getDefaultEngine()): Promise<KzgKey> {
  const id = `${engine.name}/${size}/${tableSize}`;
  let key = rangeCache.get(id);
  if (!key) {
    key = (async () => withRangeTable(await testKzgKey(size, engine), await rangeTableKey(engine, await rangeBasisFromTau(TEST_TAU, tableSize, engine))))();
    rangeCache.set(id, key);
  }
  return key;
}
