/**
 * The Fashion CNN's two convolutions (1 → 4 channels over 28×28 and 4 → 8 over 14×14, 3×3, pad 1), each proven alone
 * as a ConvolutionBlock (x read in place at one rotation per tap) and as the flat WeightedRowsBlock on the im2col
 * matrix B of the same convolution (B one row, and B cut into rows of 4,096 cells as the compiler lowers it): prove and
 * verify CPU (median of the runs), proof bytes, and the cells the block's statement commits besides W. The weighted
 * rows' figures leave out the im2col copy that writes B (a permutation block of its own in a model), so each
 * convolution is also proven as a model argument: the convolution alone against the im2col copy (from the same x)
 * and the weighted rows with B cut, with B's rows counted as the wire commitments a model proof would send (rows
 * unblinded in both).
 *
 * Run: `node --import tsx bench/convolution.ts [runs]` (default 3).
 */
import { G1_ONE, G2_ONE, type G1Point } from '../src/curve';
import { getDefaultEngine } from '../src/engine/index';
import { Fr } from '../src/field';
import { createKzgKey } from '../src/kzg/key';
import { devSrsTau } from '../src/srs/dev';
import type { Block, BlockContext, Tensors } from '../blocks/block';
import { commitRows } from '../blocks/commit-rows';
import { proveBlock, verifyBlock } from '../blocks/conformance';
import { ConvolutionBlock } from '../blocks/convolution';
import { proveLeaf, replayLeaf } from '../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../blocks/model-argument';
import { indexMap, PermutationBlock } from '../blocks/permutation';
import { WeightedRowsBlock } from '../blocks/weighted-rows';
import { verifyInstances } from '../blocks/batch-verify';
import { ByteReader } from '../src/encoding/bytes';
import type { SlotValues } from '../src/equations/equation';
import { Transcript } from '../src/transcript';
import { smallIntegers } from './seeded';

const runs = Number(process.argv[2] ?? 3);

interface Case {
  readonly name: string;
  readonly block: Block;
  readonly inputs: Tensors;
}

/** A model argument: its members with their tensors, and the wire rows a model proof would send for it besides x and C. */
interface ArgumentCase {
  readonly name: string;
  readonly members: readonly { readonly block: Block; readonly tensors: Tensors }[];
  readonly extraWireRows: number;
}

/** The convolution block and the flat weighted rows (B one row, and cut into rows of D = 4,096) of one convolution, alone and as model arguments. */
function casesOf(label: string, cin: number, m: number, side: number): { blocks: Case[]; models: ArgumentCase[] } {
  const conv = new ConvolutionBlock({ inChannels: cin, outChannels: m, height: side, width: side, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } });
  const g = conv.layout;
  const image = smallIntegers(cin * side * side, 11 * cin + m);
  const x = new Array<bigint>(cin * g.channelCells).fill(0n);
  for (let c = 0; c < cin; c++) for (let y = 0; y < side; y++) for (let col = 0; col < side; col++) x[c * g.channelCells + y * g.rowStride + col] = image[(c * side + y) * side + col];
  const weights = smallIntegers(m * conv.columns, 5 * m, 20);
  const w = Array.from({ length: m }, (_, c) => weights.slice(c * conv.columns, (c + 1) * conv.columns));
  // im2col: B_j (j = t·cin + c) at the dense output position y·side + x, zero outside the image.
  const n = side * side;
  const flat = new WeightedRowsBlock({ m, k: conv.columns, n, flat: true });
  const N = flat.outerDomain;
  const b = new Array<bigint>(conv.columns * N).fill(0n);
  for (let t = 0; t < 9; t++)
    for (let c = 0; c < cin; c++)
      for (let y = 0; y < side; y++)
        for (let col = 0; col < side; col++) {
          const [Y, X] = [y + Math.floor(t / 3) - 1, col + (t % 3) - 1];
          if (Y >= 0 && Y < side && X >= 0 && X < side) b[(t * cin + c) * N + y * side + col] = image[(c * side + Y) * side + X];
        }
  const D = 4096;
  const cut = new WeightedRowsBlock({ m, k: conv.columns, n, flat: true, patchDomain: D });
  const rowsOfB = Array.from({ length: cut.patchRows }, (_, r) => Array.from({ length: D }, (_, i) => b[r * D + i] ?? 0n));
  // The im2col copy writing the cut B from x in the convolution's layout: B's cell (j, l) at j·N + l, 0 outside.
  const copy = new PermutationBlock(
    indexMap('im2col', [{ name: 'x', rows: 1, length: cin * g.channelCells }], { name: 'b', rows: cut.patchRows, length: D }, (r, i) => {
      const [j, l] = [Math.floor((r * D + i) / N), (r * D + i) % N];
      if (j >= conv.columns || l >= n) return { constant: 0n };
      const [t, c, y, col] = [Math.floor(j / cin), j % cin, Math.floor(l / side), l % side];
      const [Y, X] = [y + Math.floor(t / 3) - 1, col + (t % 3) - 1];
      return Y >= 0 && Y < side && X >= 0 && X < side ? { input: 0, row: 0, col: c * g.channelCells + Y * g.rowStride + X } : { constant: 0n };
    }),
  );
  const blocks: Case[] = [
    { name: `${label} convolution`, block: conv, inputs: { w, x: [x] } },
    { name: `${label} weighted rows, B one row`, block: flat, inputs: { w, b: [b] } },
    { name: `${label} weighted rows, B in rows of ${D}`, block: cut, inputs: { w, b: rowsOfB } },
  ];
  const convTensors = { w, x: [x], ...conv.witness({ w, x: [x] }) };
  const copied = copy.witness({ x: [x] });
  const models: ArgumentCase[] = [
    { name: `${label} convolution`, members: [{ block: conv, tensors: convTensors }], extraWireRows: 0 },
    {
      name: `${label} im2col copy + weighted rows (B in rows of ${D})`,
      members: [
        { block: copy, tensors: { x: [x], ...copied } },
        { block: cut, tensors: { w, ...copied, ...cut.witness({ w, ...copied }) } },
      ],
      extraWireRows: cut.patchRows,
    },
  ];
  return { blocks, models };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = async (f: () => Promise<unknown>) => {
  const start = process.cpuUsage();
  await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const engine = getDefaultEngine();
const tau = devSrsTau('bench/convolution');
const size = (1 << 15) + 256;
const powers = [1n];
for (let i = 1; i < size; i++) powers.push(Fr.mul(powers[i - 1], tau));
const kzg = await createKzgKey(engine, await engine.fixedBaseG1(G1_ONE, powers), G2_ONE, G2_ONE.multiply(tau));
const ctx: BlockContext = { engine, kzg };
const convolutions = [casesOf('conv1 1→4 28×28', 1, 4, 28), casesOf('conv2 4→8 14×14', 4, 8, 14)];
const table = [];
for (const c of convolutions.flatMap((x) => x.blocks)) {
  const tensors: Tensors = { ...c.inputs, ...c.block.witness(c.inputs) };
  const protocol = c.block.protocol(ctx);
  const commitments: Record<string, G1Point[]> = {};
  for (const t of c.block.tensors) commitments[t.name] = await commitRows(kzg, tensors[t.name], t.domain);
  const statement = c.block.statement(commitments);
  let proof: Uint8Array = new Uint8Array();
  const prove: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < runs; i++) {
    prove.push(await cpuMs(async () => (proof = await proveBlock(c.block, ctx, protocol, statement, tensors))));
    verify.push(
      await cpuMs(async () => {
        const verdict = await verifyBlock(ctx, protocol, statement, proof);
        if (!verdict.ok) throw new Error(`${c.name}: honest proof rejected: ${verdict.reason}`);
      }),
    );
  }
  const committed = c.block.tensors.filter((t) => !t.fixed);
  table.push({
    block: c.name,
    proveMs: median(prove).toFixed(0),
    verifyMs: median(verify).toFixed(1),
    proofBytes: proof.length,
    statementRows: committed.reduce((s, t) => s + t.rows, 0),
    committedCells: committed.reduce((s, t) => s + t.rows * t.domain, 0),
    largestDomain: Math.max(...c.block.tensors.map((t) => t.domain)),
  });
}
console.log(`engine: ${engine.name}, workers: ${engine.workers}, runs: ${runs} (CPU ms, medians); each block alone`);
console.table(table);

/** Statement slots of the members, from their tensors' commitments. */
async function statementOf(members: ArgumentCase['members']): Promise<SlotValues> {
  const out: SlotValues[] = [];
  for (const { block, tensors } of members) {
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) c[t.name] = await commitRows(kzg, tensors[t.name], t.domain);
    out.push(block.statement(c));
  }
  return modelArgumentStatement(out);
}

const argumentTable = [];
for (const c of convolutions.flatMap((x) => x.models)) {
  const blocks = c.members.map((m) => m.block);
  const spec = modelArgumentSpec('bench/convolution', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statement = await statementOf(c.members);
  let messages: Uint8Array = new Uint8Array();
  const prove: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < runs; i++) {
    const source = modelArgumentProver(spec, blocks, ctx, c.members.map((m) => m.tensors));
    prove.push(await cpuMs(async () => (messages = (await proveLeaf(protocol, Transcript.create('bench/convolution'), engine, statement, source)).messages)));
    verify.push(
      await cpuMs(async () => {
        const t = Transcript.create('bench/convolution');
        const reader = new ByteReader(messages);
        const leaf = await replayLeaf(protocol, t, engine, statement, reader);
        reader.finish('argument');
        const verdict = await verifyInstances(engine, [leaf], t);
        if (!verdict.ok) throw new Error(`${c.name}: honest argument rejected: ${verdict.reason}`);
      }),
    );
  }
  argumentTable.push({ argument: c.name, proveMs: median(prove).toFixed(0), verifyMs: median(verify).toFixed(1), bytes: messages.length + 32 * c.extraWireRows });
}
console.log('as a model argument (bytes: its messages and the wire rows of B)');
console.table(argumentTable);
await engine.close();
