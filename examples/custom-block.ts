/**
 * Runs the custom square block of `square-block.ts`: the conformance harness every block must pass
 * (completeness, every message and statement slot tampered, cheating witnesses, determinism), then three
 * proofs of it folded Mira-style into one and verified with a single multi-pairing.
 *
 * Run it after `npm install blockfold` with `npx tsx custom-block.ts` in an ES module project (`"type": "module"` in
 * its package.json: the example uses top-level await), or in a checkout of the repository
 * with `node --import tsx examples/custom-block.ts`.
 */
import { Transcript, createInsecureDevSrs, createKzgKey, getDefaultEngine } from 'blockfold';
import { checkConformance, commitRows, leafLabel, proveLeaf, type BlockContext, type LeafInstance, type Tensors } from 'blockfold/blocks';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from 'blockfold/accumulation';
import { squareBlock } from './square-block';

const n = 8;
const engine = getDefaultEngine();
// INSECURE development SRS (public τ): fine for an example, never for real proofs.
const srs = await createInsecureDevSrs(Math.log2(2 * n), { g1Powers: 2 * n, g2Powers: 2 });
const ctx: BlockContext = { engine, kzg: await createKzgKey(engine, srs.g1Powers, srs.g2Powers[0], srs.g2Powers[1]) };
const block = squareBlock(n);

const report = await checkConformance(block, ctx, { x: [[3n, -2n, 0n, 7n, 1n]] }, { numRuns: 4 });
console.log(`conformance: ${report.proofBytes}-byte leaf proof; ${report.messageSlotsTampered} message and ${report.statementSlotsTampered} statement tamperings and ${report.witnessTamperings} cheating witnesses rejected`);

// Three proofs of the block, each on its own fork of one transcript, folded into one accumulator.
const protocol = block.protocol(ctx);
const base = Transcript.create('example/custom-block');
const leaves: LeafInstance[] = [];
const statements: LeafStatement[] = [];
for (const [i, x] of [[1n, 2n, 3n], [-4n, 5n], [7n, 0n, -7n, 9n]].entries()) {
  const tensors: Tensors = { x: [x], ...block.witness({ x: [x] }) };
  const statement = block.statement({ x: await commitRows(ctx.kzg, tensors.x, n), y: await commitRows(ctx.kzg, tensors.y, n) });
  leaves.push((await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), engine, statement, block.prover(ctx, tensors))).instance);
  statements.push({ protocol, statement });
}
const bytes = encodeFoldedProof((await foldLeaves(engine, base, leaves)).proof);
engine.resetStats();
const verdict = await verifyFolded(engine, base, statements, bytes);
console.log(`folded proof of 3 leaves: ${bytes.length} bytes; verdict ${JSON.stringify(verdict)} with ${engine.stats.multiPairings} multi-pairing`);
if (!verdict.ok) process.exitCode = 1;
