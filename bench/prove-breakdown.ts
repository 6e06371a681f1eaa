/**
 * Where one proof's time goes, by engine call (WebAssembly engine, one thread), and what that means for prove ÷ floor.
 *
 * With no worker the engine's calls run to completion before they return (their promises are already settled), so
 * timing each call from its start to its return attributes every millisecond of kernel work to one call kind; the
 * rest of the proof's wall time is the JavaScript outside the engine (witness, rounds, transcript, conversions, the
 * garbage collection they cause). MSM calls are split by their scalars: **full-width** (most nonzero scalars above
 * 2^32 in absolute value: quotients, helpers, running sums, openings) and **short** (committed rows of small
 * integers), with their points counted (nonzero scalars: an MSM skips the zero ones).
 *
 * The yardstick is the ideal floor of `bench/floor.ts` (one MSM of A short scalars over resident bases). The same
 * bases with A full-width scalars give the price ratio of a full-width point to a short one on this engine, so
 *
 *   full-width MSM points ÷ A × (full-width MSM ÷ floor)
 *
 * is what the full-width MSMs alone cost in floors when they run as efficiently as one MSM of A points: a bound no
 * faster kernel below the MSM changes, only fewer full-width points.
 *
 * `node --import tsx bench/prove-breakdown.ts [model …]` (the bundled models of `bench/models.ts`, or ladder rungs such as
 * `transformer-8`, `bench/ladder.ts`; default `fashion-cnn fashion-attn`).
 * @module
 */
import { R, compile, createInsecureDevSrs, prove, quantizeFeeds, setup, type Engine } from '../src/index';
import { activationCount, activationLike, floorKey } from './floor';
import { benchSubject } from './ladder';
import { frStream } from './seeded';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Time and points of one kind of engine call. */
interface CallCost {
  ms: number;
  calls: number;
  points: number;
}

const SHORT_LIMIT = 1n << 32n;

/**
 * An MSM's kind and the points it adds (its nonzero scalars: a zero scalar adds no point): full-width when most nonzero
 * scalars are wider than 32 bits as signed residues (s or s − r).
 */
function msmKind(scalars: readonly bigint[], r: bigint, suffix: string): [string, number] {
  let nonzero = 0;
  let wide = 0;
  for (const s of scalars) {
    if (s === 0n) continue;
    nonzero++;
    if (s >= SHORT_LIMIT && r - s >= SHORT_LIMIT) wide++;
  }
  return [`MSM ${2 * wide > nonzero ? 'full-width' : 'short'}${suffix}`, nonzero];
}

/**
 * Wraps the engine's calls so that each adds its synchronous time to `costs` under its kind. Sound only with no
 * workers: a pooled call returns before its work is done.
 */
function instrument(engine: Engine, r: bigint, costs: Map<string, CallCost>): () => void {
  if (engine.workers !== 0) throw new Error('prove-breakdown: the engine must run on the calling thread (no workers)');
  const target = engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  const kinds: Record<string, (args: unknown[]) => [string, number]> = {
    msmG1: (a) => msmKind(a[1] as bigint[], r, ''),
    msmG1Points: (a) => msmKind(a[1] as bigint[], r, ' (points)'),
    combineG1: (a) => ['combineG1', (a[1] as unknown[]).length],
    cosetIdentities: () => ['quotient identities on cosets', 0],
    transforms: (a) => ['transforms', (a[0] as unknown[][]).reduce((n, v) => n + v.length, 0)],
    ntt: (a) => ['transforms', (a[0] as unknown[]).length],
    intt: (a) => ['transforms', (a[0] as unknown[]).length],
    linearCombination: () => ['other Fr kernels', 0],
    evaluateAt: () => ['other Fr kernels', 0],
    batchInvert: () => ['other Fr kernels', 0],
    barycentricSum: () => ['other Fr kernels', 0],
    frProgram: () => ['other Fr kernels', 0],
  };
  const originals = Object.keys(kinds).map((name) => [name, target[name]] as const);
  for (const [name, original] of originals) {
    target[name] = (...args: unknown[]) => {
      const [kind, points] = kinds[name](args);
      const start = performance.now();
      const result = original.apply(engine, args);
      const cost = costs.get(kind) ?? { ms: 0, calls: 0, points: 0 };
      cost.ms += performance.now() - start;
      cost.calls++;
      cost.points += points;
      costs.set(kind, cost);
      return result;
    };
  }
  return () => originals.forEach(([name, original]) => (target[name] = original));
}

const models = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const model of models.length > 0 ? models : ['fashion-cnn', 'fashion-attn']) {
  const { onnx, feeds } = benchSubject(model);
  const compiled = compile(onnx, feeds.slice(0, 8));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs);
  const inputs = quantizeFeeds(compiled, feeds[0]);
  const engine = pk.vk.kzg.engine;
  await prove(pk, inputs); // tables and bases built lazily are not the proof

  const costs = new Map<string, CallCost>();
  const restore = instrument(engine, R, costs);
  const start = performance.now();
  await prove(pk, inputs);
  const wall = performance.now() - start;
  restore();

  const a = activationCount(onnx);
  const key = await floorKey(engine, a, pk.vk.kzg);
  const short = activationLike(a);
  const full = frStream(0xb7n)(a);
  const timeMsm = async (scalars: bigint[]) => {
    await key.engine.msmG1(key.powers, scalars);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await key.engine.msmG1(key.powers, scalars);
      runs.push(performance.now() - t);
    }
    return median(runs);
  };
  const floor = await timeMsm(short);
  const fullFloor = await timeMsm(full);

  const inEngine = [...costs.values()].reduce((n, c) => n + c.ms, 0);
  const fullPoints = (costs.get('MSM full-width')?.points ?? 0) + (costs.get('MSM full-width (points)')?.points ?? 0);
  console.log(`${model}: A = ${a}, prove ${wall.toFixed(0)} ms = ${(wall / floor).toFixed(0)} floors (floor ${floor.toFixed(1)} ms; ${a} full-width scalars ${fullFloor.toFixed(1)} ms, ×${(fullFloor / floor).toFixed(1)})`);
  const rows = [...costs].sort((x, y) => y[1].ms - x[1].ms);
  for (const [kind, c] of [...rows, ['JavaScript outside the engine', { ms: wall - inEngine, calls: 0, points: 0 }] as const]) {
    const points = c.points > 0 ? `, ${c.points} points (${(c.points / a).toFixed(1)} A)` : '';
    console.log(`  ${kind.padEnd(32)} ${c.ms.toFixed(0).padStart(6)} ms ${(c.ms / floor).toFixed(1).padStart(6)} floors  ${c.calls} calls${points}`);
  }
  console.log(`  full-width MSM points alone, priced as one MSM of A: ${((fullPoints / a) * (fullFloor / floor)).toFixed(0)} floors`);
}
