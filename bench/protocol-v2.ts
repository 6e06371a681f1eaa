/**
 * Proof protocol v2 (the model as one argument) on the bundled models, same process, same engine: proof bytes,
 * prove and verify medians, verify pairings, prove ÷ ideal floor, committed cells ÷ A, and where the bytes go (wire commitments, each
 * block kind's own messages, the shared tail: the compiler's running sums, the quotient, the opening). Committed cells are those
 * of the wire and output rows the prover commits: a derived wire (`src/pipeline/derived-rows.ts`), computed by
 * prover and verifier from other commitments, is not committed and not counted, nor is a relinked copy, sent as its
 * difference from the row it copies (`src/pipeline/relinked-rows.ts`); `blocks` counts the argument's
 * blocks (the linear-only blocks whose relations all derive rows are not in it) and `graphBlocks` the graph's.
 *
 * The ideal floor is one G1 MSM over A resident bases, A = the activation values of the model (every ONNX node
 * output, once), as `bench/floor.ts` counts and measures them; it is timed here in wall and CPU time like the
 * proofs.
 *
 * `node --import tsx bench/protocol-v2.ts [model …] [--prove-runs=1] [--verify-runs=5] [--lagrange] [--weight-bits=16]
 * [--activation-bits=16]`; the bit widths override the quantizer's (`options.quantization`), to measure what precision
 * costs in cells, bytes and time. The development SRS
 * gives the Lagrange bases of the row domains (as a ceremony file's Lagrange sections do), so rows and the public
 * input are committed from their values (small integers: short MSMs) instead of from interpolated coefficients;
 * it computes each domain's basis when first used (in setup for the weights' domains, else in the first proof),
 * and with `--lagrange` all of them up front.
 * (models: names in `../shared/models` or rungs of the generated ladder such as `transformer-8`, `bench/ladder.ts`;
 * default `zktorch-sample-mlp fashion-mlp`).
 * @module
 */
import { benchSubject } from './ladder';
import { compile, createInsecureDevSrs, prove, quantizeFeeds, setup, verify } from '../src/index';
import { activationCount, activationLike, committedCells, floorKey } from './floor';
import { blockContext } from '../src/pipeline/keys';
import { memberPrefix, modelArgumentProtocol } from '../blocks/model-argument';
import { messageSlots } from '../blocks/protocol';
import { slotBytes } from '../blocks/messages';
import { modelSpecOf } from '../src/pipeline/prove-verify';
import { derivedRows } from '../src/pipeline/derived-rows';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time, and this process's CPU time (user + system; steadier than wall time on a shared machine, no workers run). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const used = process.cpuUsage(c);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, value };
}

const args = process.argv.slice(2);
const proveRuns = Number(args.find((a) => a.startsWith('--prove-runs='))?.split('=')[1] ?? 1);
const verifyRuns = Number(args.find((a) => a.startsWith('--verify-runs='))?.split('=')[1] ?? 5);
const lagrange = args.includes('--lagrange');
const bitsFlag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quantization = {
  ...(bitsFlag('weight-bits') !== undefined ? { weightBits: Number(bitsFlag('weight-bits')) } : {}),
  ...(bitsFlag('activation-bits') !== undefined ? { activationBits: Number(bitsFlag('activation-bits')) } : {}),
};
const models = args.filter((a) => !a.startsWith('--'));
for (const model of models.length > 0 ? models : ['zktorch-sample-mlp', 'fashion-mlp']) {
  const { onnx, feeds } = benchSubject(model);
  const compiled = compile(onnx, feeds.slice(0, 8), { quantization });
  const maxDomain = Math.max(...compiled.graph.tensors.map((t) => t.domain));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2, lagrange: lagrange ? maxDomain : 0 });
  const pk = await setup(compiled, srs);
  const inputs = quantizeFeeds(compiled, feeds[0]);

  // The median run by CPU time (prove runs on this thread only: its CPU time is the prover's work).
  const proveOnce = () => timed(() => prove(pk, inputs));
  const proveRunsOf: Awaited<ReturnType<typeof proveOnce>>[] = [];
  for (let i = 0; i < proveRuns; i++) proveRunsOf.push(await proveOnce());
  const proven = proveRunsOf.sort((x, y) => x.cpuMs - y.cpuMs)[Math.floor(proveRuns / 2)];
  const verifyMs: number[] = [];
  const verifyCpu: number[] = [];
  const engine = pk.vk.kzg.engine;
  let pairings = { multiPairings: 0, millerLoops: 0 };
  for (let i = 0; i < verifyRuns; i++) {
    engine.resetStats();
    const v = await timed(() => verify(pk.vk, proven.value.statement, proven.value.proof.bytes));
    if (!v.value.ok) throw new Error(`${model}: the proof did not verify`);
    pairings = { multiPairings: engine.stats.multiPairings, millerLoops: engine.stats.millerLoops };
    verifyMs.push(v.ms);
    verifyCpu.push(v.cpuMs);
  }
  const a = activationCount(onnx);
  const derived = derivedRows(compiled.graph);
  const committed = committedCells(compiled.graph);
  const key = await floorKey(pk.vk.kzg.engine, a, pk.vk.kzg);
  const scalars = activationLike(a);
  await key.engine.msmG1(key.powers, scalars); // lazily built tables are not the MSM
  const floorRuns: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < 3; i++) floorRuns.push(await timed(() => key.engine.msmG1(key.powers, scalars)));
  const floor = median(floorRuns.map((r) => r.ms));
  const floorCpu = median(floorRuns.map((r) => r.cpuMs));

  // Where v2's argument bytes go: each block kind's own messages, and the shared tail.
  const ctx = blockContext(pk.vk.kzg, pk.vk.model.graph);
  const blocks = derived.argument.nodes.map((n) => n.block);
  const protocol = modelArgumentProtocol(modelSpecOf('bench', derived, ctx), ctx);
  const split: Record<string, number> = { wires: proven.value.proof.size.wireCommitments };
  const kindOf = new Map(blocks.map((b, i) => [memberPrefix(i), b.kind]));
  for (const d of messageSlots(protocol)) {
    const bar = d.name.indexOf('|');
    const tail = d.name.startsWith('[Z]/sum/') || d.name.startsWith('Z/sum/') ? 'tail: running sums' : d.name.startsWith('open/') ? 'tail: opening' : 'tail: quotient';
    const owner = bar > 0 ? kindOf.get(d.name.slice(0, bar + 1))! : tail;
    const key = d.name.includes('@') ? `${owner}: evaluations` : owner;
    split[key] = (split[key] ?? 0) + slotBytes(d.sort);
  }
  const pairingTerms = protocol.equations.filter((e) => e.kind === 'pairing').length;
  console.log(
    JSON.stringify({
      model,
      lagrange,
      blocks: blocks.length,
      graphBlocks: compiled.graph.nodes.length,
      bytes: proven.value.proof.bytes.length,
      proveMs: Math.round(proven.ms),
      proveCpuMs: Math.round(proven.cpuMs),
      verifyMs: Math.round(median(verifyMs)),
      verifyCpuMs: Math.round(median(verifyCpu)),
      verifyPairings: pairings,
      A: a,
      committedCells: committed,
      cellsOverA: +(committed / a).toFixed(1),
      floorMs: Math.round(floor),
      floorCpuMs: Math.round(floorCpu),
      proveOverFloor: +(proven.ms / floor).toFixed(1),
      proveOverFloorCpu: +(proven.cpuMs / floorCpu).toFixed(1),
      pairingEquations: pairingTerms,
      split,
    }),
  );
}
