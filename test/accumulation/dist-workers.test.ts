// The built package (dist/, after `npm run build`) folds on worker threads from both the ESM and the CJS
// bundle: the tsup entry `fold-worker` puts fold-worker.js/.cjs next to the bundles. Skipped when dist/
// has no fold worker entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = join(import.meta.dirname, '..', '..', 'dist');
const built = ['accumulation.js', 'accumulation.cjs', 'fold-worker.js', 'fold-worker.cjs'].every((f) => existsSync(join(dist, f)));

type Bundle = Record<string, any>;

/** Folds 5 KZG openings on the calling thread and on 2 workers with one bundle's own exports; the bytes must agree and verify. */
async function foldTwice(core: Bundle, blocks: Bundle, acc: Bundle): Promise<void> {
  const { G1_ONE, G2_ONE, R, Fr, Transcript, createWasmEngine } = core;
  const TAU = 0x1234567890abcdefn;
  const g1 = (k: bigint) => G1_ONE.multiplyUnsafe(((k % R) + R) % R);
  const ONE2 = { key: 'g2/1', point: G2_ONE };
  const kzg = {
    foldKey: 'dist-kzg',
    maxDegree: 2,
    slots: [
      { name: 'C', sort: 'g1', origin: 'statement' },
      { name: 'zeta', sort: 'fr', origin: 'challenge' },
      { name: 'y', sort: 'fr', origin: 'message' },
      { name: 'pi', sort: 'g1', origin: 'message' },
    ],
    equations: [
      {
        kind: 'pairing',
        name: 'opening',
        terms: [
          { coeff: 1n, scalars: [], g1: 'C', g2: ONE2 },
          { coeff: R - 1n, scalars: ['y'], g1: { key: 'g1/1', point: G1_ONE }, g2: ONE2 },
          { coeff: 1n, scalars: ['zeta'], g1: 'pi', g2: ONE2 },
          { coeff: R - 1n, scalars: [], g1: 'pi', g2: { key: 'g2/tau', point: G2_ONE.multiply(TAU) } },
        ],
      },
    ],
    schedule: [
      { kind: 'statement', slots: ['C'] },
      { kind: 'challenge', slots: ['zeta'] },
      { kind: 'message', slots: ['y', 'pi'] },
    ],
  };
  const engine = createWasmEngine({ workers: 0 });
  try {
    const base = Transcript.create('dist-fold');
    const instances = [];
    const statements = [];
    for (let i = 0; i < 5; i++) {
      const at = (x: bigint) => [BigInt(i + 3), 5n, BigInt(7 * i + 1)].reduceRight((s, c) => (s * x + c) % R, 0n);
      const statement = { C: g1(at(TAU)) };
      const prover = (_s: unknown, v: { zeta: bigint }) => ({ y: at(v.zeta), pi: g1(Fr.div((at(TAU) - at(v.zeta) + R) % R, (TAU - v.zeta + R) % R)) });
      instances.push((await blocks.proveLeaf(kzg, base.fork(blocks.leafLabel(kzg.foldKey, i)), engine, statement, prover)).instance);
      statements.push({ protocol: kzg, statement });
    }
    assert.match(acc.foldWorkerFile(), /fold-worker\.c?js$/);
    const inThread = acc.encodeFoldedProof((await acc.foldLeaves(engine, base, instances)).proof);
    const pooled = acc.encodeFoldedProof((await acc.foldLeaves(engine, base, instances, { workers: 2 })).proof);
    assert.deepEqual(pooled, inThread);
    assert.deepEqual(await acc.verifyFolded(engine, base, statements, pooled), { ok: true });
  } finally {
    await engine.close();
  }
}

test('the ESM bundle folds on its fold workers', { skip: !built && 'dist/ has no fold worker entry' }, async () => {
  const load = (name: string) => import(pathToFileURL(join(dist, `${name}.js`)).href);
  await foldTwice(await load('index'), await load('blocks'), await load('accumulation'));
});

test('the CJS bundle folds on its fold workers', { skip: !built && 'dist/ has no fold worker entry' }, async () => {
  const require = createRequire(import.meta.url);
  const load = (name: string) => require(join(dist, `${name}.cjs`));
  await foldTwice(load('index'), load('blocks'), load('accumulation'));
});
