/**
 * Polynomial and KZG prover kernels on the default engine: NTT, multiplication, vanishing quotient, commitment
 * and batched opening. Run with `node --import tsx bench/poly-kzg.ts`; prints tinybench's table of medians.
 */
import { Bench } from 'tinybench';
import { G1_ONE, G2_ONE } from '../src/curve';
import { getDefaultEngine } from '../src/engine/index';
import { Fr } from '../src/field';
import { frStream } from './seeded';
import { commit } from '../src/kzg/commit';
import { createKzgKey } from '../src/kzg/key';
import { batchOpen } from '../src/kzg/open';
import { EvaluationDomain } from '../src/poly/domain';
import { mul } from '../src/poly/polynomial';
import { quotientByVanishing } from '../src/poly/quotient';

const engine = getDefaultEngine();
/** Deterministic pseudo-random field elements, so runs are comparable. */
const randomRow = frStream(1n);

const d16 = new EvaluationDomain(1 << 16, engine);
const d12 = new EvaluationDomain(1 << 12, engine);
const f16 = randomRow(1 << 16);
const [a, b] = [randomRow(1 << 12), randomRow(1 << 12)];
const aPoly = d12.ifft(a);
const bPoly = d12.ifft(b);
const cPoly = d12.ifft(a.map((x, i) => Fr.mul(x, b[i])));

const tau = 0x1234_5678_9abc_def0n;
const exps = [1n];
for (let i = 1; i < 1 << 10; i++) exps.push(Fr.mul(exps[i - 1], tau));
const key = await createKzgKey(engine, await engine.fixedBaseG1(G1_ONE, exps), G2_ONE, G2_ONE.multiply(tau));
const polys = [randomRow(1 << 10), randomRow(1 << 10), randomRow(1 << 10), randomRow(1 << 10)];
const challenges = randomRow(4);

const bench = new Bench({ time: 2000 });
bench
  .add('NTT 2^16', () => void d16.fft(f16))
  .add('mul 2^12 × 2^12', () => void mul(aPoly, bPoly, engine))
  .add('quotient a·b − c on H_2^12', async () => void (await quotientByVanishing(d12, { polys: [aPoly, bPoly, cPoly], degree: 2, combine: ([x, y, z]) => x * y - z })))
  .add('KZG commit 2^10', async () => void (await commit(key, polys[0])))
  .add('KZG batch open 4 × 2^10', async () => void (await batchOpen(key, { polys, point: 987654321n, challenges })));
await bench.run();
console.log(`engine: ${engine.name}`);
console.table(bench.table());
