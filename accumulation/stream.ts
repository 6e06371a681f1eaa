/**
 * Streaming (docs/folding.md §7): leaves arrive one at a time and each side keeps one accumulator per fold key.
 *
 * Per fold key the accumulator is a chain: `acc_0 = leaf_0`, `acc_i = fold(acc_{i−1}, leaf_i)` on the fork
 * `stream/<key>/<i>` of the base transcript. Each leaf reaches the verifier with its own messages (for a model
 * proof: the proof itself, replayed by the caller on the proof's own transcript) and, for `i ≥ 1`, the fold's
 * cross terms, which is all the prover emits here. The verifier folds the replayed leaf in with group
 * operations, drops it, and at the end decides every fold key's accumulator in one multi-pairing.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import type { Transcript } from '../src/transcript';
import type { Verdict } from '../blocks/batch-verify';
import type { LeafInstance } from '../blocks/leaf';
import type { Protocol } from '../blocks/protocol';
import { decide, type DeciderInput } from './decider';
import { ProofError } from './errors';
import { proveFold, replayFold } from './fold';
import { descriptorOf, type FoldKeyDescriptor } from './fold-key';
import { crossTermBytes } from './cross-terms';
import type { ExpectedLeaves } from './proof';
import { freshAccumulator, type Accumulator } from './relaxed';
import { verdictOf } from './verify';

/** Transcript label of the fold that absorbs leaf `index ≥ 1` of a fold key's stream. */
export function streamLabel(foldKey: string, index: number): string {
  return `stream/${foldKey}/${index}`;
}

interface Running {
  readonly descriptor: FoldKeyDescriptor;
  accumulator: Accumulator;
  leaves: number;
}

/** The per-fold-key state both sides keep. */
class StreamState {
  private readonly keys = new Map<string, Running>();

  /** The running entry of `protocol`'s fold key (undefined before its first leaf), after checking it folds with the others. */
  entry(protocol: Protocol): { descriptor: FoldKeyDescriptor; running?: Running } {
    const running = this.keys.get(protocol.foldKey);
    const descriptor = descriptorOf(protocol);
    if (running && running.descriptor.fingerprint !== descriptor.fingerprint) throw new ProofError(`${protocol.foldKey}: leaves of one fold key differ in slots, equations or public points`);
    return { descriptor, running };
  }

  set(descriptor: FoldKeyDescriptor, accumulator: Accumulator, running?: Running): void {
    if (running) {
      running.accumulator = accumulator;
      running.leaves++;
    } else this.keys.set(descriptor.foldKey, { descriptor, accumulator, leaves: 1 });
  }

  roots(): DeciderInput[] {
    return [...this.keys.values()].map((r) => ({ descriptor: r.descriptor, accumulator: r.accumulator }));
  }

  /** Leaves absorbed so far for `foldKey`. */
  count(foldKey: string): number {
    return this.keys.get(foldKey)?.leaves ?? 0;
  }
}

/** Prover side of a stream. */
export class StreamProver {
  private readonly state = new StreamState();
  constructor(
    private readonly engine: Engine,
    private readonly base: Transcript,
  ) {}

  /** Folds in the next proven leaf of its fold key; returns the fold's cross terms (empty for the key's first leaf). */
  async push(leaf: LeafInstance): Promise<Uint8Array> {
    const { descriptor, running } = this.state.entry(leaf.protocol);
    const fresh = freshAccumulator(descriptor, leaf.values);
    if (!running) {
      this.state.set(descriptor, fresh);
      return new Uint8Array(0);
    }
    const { crossTerms, parent } = await proveFold(this.engine, descriptor, running.accumulator, fresh, this.base.fork(streamLabel(descriptor.foldKey, running.leaves)));
    this.state.set(descriptor, parent, running);
    return crossTerms;
  }

  /** The current accumulator of every fold key. */
  roots(): DeciderInput[] {
    return this.state.roots();
  }
}

/**
 * Verifier side of a stream: keeps one accumulator per fold key, never the leaves. It is told up front which
 * leaves to expect (each fold key and its number of leaves, from the verifying key): it refuses any other leaf
 * and decides nothing until every expected leaf is in, so withholding a leaf cannot hide it.
 */
export class StreamVerifier {
  private readonly state = new StreamState();
  private readonly expected: ReadonlyMap<string, number>;
  constructor(
    private readonly engine: Engine,
    private readonly base: Transcript,
    expected: ExpectedLeaves,
  ) {
    this.expected = new Map(expected.map((e) => [e.foldKey, e.leaves]));
  }

  /**
   * Folds in the next leaf, already replayed by the caller against its messages, with the fold's `crossTerms`
   * (none for the key's first leaf); throws a typed error on malformed cross terms or an unexpected leaf.
   */
  async absorb(leaf: LeafInstance, crossTerms: Uint8Array): Promise<void> {
    const { descriptor, running } = this.state.entry(leaf.protocol);
    const index = running?.leaves ?? 0;
    const leaves = this.expected.get(descriptor.foldKey) ?? 0;
    if (index >= leaves) throw new ProofError(`${descriptor.foldKey}: leaf ${index} is not expected (the verifier expects ${leaves} leaves of this fold key)`);
    const expected = running ? crossTermBytes(descriptor) : 0;
    if (crossTerms.length !== expected) throw new ProofError(`${descriptor.foldKey}: the fold of leaf ${index} has ${crossTerms.length} bytes of cross terms, expected ${expected}`);
    const fresh = freshAccumulator(descriptor, leaf.values);
    if (!running) this.state.set(descriptor, fresh);
    else this.state.set(descriptor, await replayFold(this.engine, descriptor, running.accumulator, fresh, crossTerms, this.base.fork(streamLabel(descriptor.foldKey, index))), running);
  }

  /** Decides every fold key's accumulator in one multi-pairing, once every expected leaf has been absorbed. */
  decide(): Promise<Verdict> {
    return verdictOf(async () => {
      for (const [foldKey, leaves] of this.expected) {
        const got = this.state.count(foldKey);
        if (got !== leaves) throw new ProofError(`${foldKey}: ${got} of the ${leaves} expected leaves were absorbed`);
      }
      return decide(this.engine, this.base, this.state.roots());
    });
  }
}
