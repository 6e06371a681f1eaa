// The built package (dist/, present after `npm run build`, as in CI) finds its worker entry and its
// embedded kernels from both the ESM and the CJS bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = join(import.meta.dirname, '..', '..', 'dist');
const built = existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'engine-worker.js'));

interface Api {
  createWasmEngine(options: { workers: number }): {
    fixedBaseG1(base: unknown, scalars: bigint[]): Promise<unknown[]>;
    loadG1Bases(points: unknown[]): Promise<unknown>;
    msmG1(bases: unknown, scalars: bigint[]): Promise<{ equals(p: unknown): boolean }>;
    close(): Promise<void>;
  };
  G1_ONE: { multiply(k: bigint): unknown };
}

async function sumOfMultiples(api: Api): Promise<void> {
  const n = 2048;
  const engine = api.createWasmEngine({ workers: 2 });
  try {
    const points = await engine.fixedBaseG1(api.G1_ONE, Array.from({ length: n }, (_, i) => BigInt(i + 1)));
    const bases = await engine.loadG1Bases(points);
    // Σ_i 1·[i + 1]G = [n(n + 1)/2]G, computed on the workers (n is at the pool threshold).
    const got = await engine.msmG1(bases, Array.from({ length: n }, () => 1n));
    assert.ok(got.equals(api.G1_ONE.multiply(BigInt((n * (n + 1)) / 2))));
  } finally {
    await engine.close();
  }
}

test('dist ESM bundle: WASM engine with worker threads', { skip: !built && 'dist/ not built' }, async () => {
  await sumOfMultiples((await import(pathToFileURL(join(dist, 'index.js')).href)) as Api);
});

test('dist CJS bundle: WASM engine with worker threads', { skip: !built && 'dist/ not built' }, async () => {
  await sumOfMultiples(createRequire(import.meta.url)(join(dist, 'index.cjs')) as Api);
});
