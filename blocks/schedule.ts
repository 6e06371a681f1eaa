/**
 * The schedule runner: one function executes a protocol's schedule for the prover and for the verifier,
 * so the verifier's replay cannot drift from what the prover did (docs/folding.md §2).
 *
 * Statement slots and messages are absorbed into the transcript as they appear; challenges are drawn in
 * schedule order, so each is drawn after every message before it. Derived slots are computed, never read.
 *
 * A prover may name the lane of a step (a model argument's member: {@link StepLane}). Steps of different lanes read
 * none of each other's slots, so a lane's step starts while earlier steps of other lanes are still computing (their
 * MSMs on an engine's workers, say); it waits only for its own lane's earlier steps. Everything else (a statement, a
 * challenge, a step of no lane) waits for every step before it, and messages are absorbed in schedule order before
 * anything after them is drawn or run: the transcript, hence every challenge and the proof, is the one of the
 * sequential run, whatever order the steps finish in.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { EquationError, type SlotDecl, type SlotValue, type SlotValues } from '../src/equations/equation';
import { G1, G2, type G1Point, type G2Point } from '../src/curve';
import { isG1Value } from '../src/engine/deferred';
import { isFr } from '../src/field';
import type { Transcript } from '../src/transcript';
import { validateProtocol, type Protocol, type Step } from './protocol';

/** Supplies message values, step by step: the prover computes them, the verifier reads them from the proof. */
export type MessageSource = (slots: readonly SlotDecl[], valuesSoFar: SlotValues) => Promise<SlotValues> | SlotValues;

/**
 * The lane of a message or derived step: steps of two different lanes read none of each other's slots (undefined: the
 * step may read any slot before it).
 */
export type StepLane = (step: Step) => string | undefined;

/**
 * The transcript label of a slot, `origin/name`, built once per protocol ({@link declarationsOf}): a verifier absorbs
 * thousands of slots per proof, and a label string kept alive is hashed once by the transcript's label cache
 * instead of once per use.
 */
function labelOf(d: SlotDecl): string {
  return `${d.origin}/${d.name}`;
}

function absorb(t: Transcript, d: SlotDecl, label: string, v: SlotValue): void {
  if (d.sort === 'fr') {
    if (typeof v !== 'bigint' || !isFr(v)) throw new EquationError(`slot "${d.name}" must hold a canonical Fr element`);
    t.absorbFr(label, v);
  } else if (d.sort === 'g1') {
    if (!(v instanceof G1)) throw new EquationError(`slot "${d.name}" must hold a G1 point`);
    t.absorbG1(label, v as G1Point);
  } else {
    if (!(v instanceof G2)) throw new EquationError(`slot "${d.name}" must hold a G2 point`);
    t.absorbG2(label, v as G2Point);
  }
}

/** A derived G1 slot may hold a deferred combination when the verifier replays with `deferringEngine` (src/engine/deferred.ts). */
function checkSort(d: SlotDecl, v: SlotValue | undefined): SlotValue {
  const ok = d.sort === 'fr' ? typeof v === 'bigint' && isFr(v) : d.sort === 'g1' ? (d.origin === 'derived' ? isG1Value(v) : v instanceof G1) : v instanceof G2;
  if (!ok) throw new EquationError(`slot "${d.name}" (${d.sort}) has no valid value`);
  return v!;
}

/** One step's slot declarations, in the step's order, and their transcript labels. */
interface StepSlots {
  readonly decls: readonly SlotDecl[];
  readonly labels: readonly string[];
}

/**
 * Each step's slot declarations and labels, resolved once per protocol (a verifier replays it per proof), after
 * `validateProtocol`: no protocol runs, built-in or a custom block's, whose schedule is malformed or whose G1
 * messages are not pinned (docs/soundness.md rule 2).
 */
const declarations = new WeakMap<Protocol, readonly StepSlots[]>();
function declarationsOf(protocol: Protocol): readonly StepSlots[] {
  let out = declarations.get(protocol);
  if (out === undefined) {
    validateProtocol(protocol);
    const decl = new Map(protocol.slots.map((s) => [s.name, s]));
    out = protocol.schedule.map((step) => {
      const decls = step.slots.map((n) => decl.get(n)!);
      return { decls, labels: decls.map(labelOf) };
    });
    declarations.set(protocol, out);
  }
  return out;
}

/**
 * Runs `protocol`'s schedule on `transcript` (a leaf fork). `statement` holds every statement slot;
 * `messages` supplies each message step; `laneOf` lets steps of different lanes compute side by side (see the
 * module comment). Returns the full instance (all slots).
 */
export async function runSchedule(
  protocol: Protocol,
  transcript: Transcript,
  engine: Engine,
  statement: SlotValues,
  messages: MessageSource,
  laneOf?: StepLane,
): Promise<SlotValues> {
  const stepDecls = declarationsOf(protocol);
  const values: Record<string, SlotValue> = {};
  // Steps of a lane started and not yet waited for; message steps computed and not yet absorbed, in schedule order.
  let running: { lane: string; done: Promise<void> }[] = [];
  let unabsorbed: StepSlots[] = [];
  const waitFor = async (lane?: string): Promise<void> => {
    const waiting = running.filter((r) => lane === undefined || r.lane === lane);
    running = running.filter((r) => !waiting.includes(r));
    for (const r of waiting) await r.done;
    if (lane !== undefined) return;
    for (const { decls, labels } of unabsorbed) decls.forEach((d, j) => absorb(transcript, d, labels[j], values[d.name]));
    unabsorbed = [];
  };
  for (const [k, step] of protocol.schedule.entries()) {
    const { decls, labels } = stepDecls[k];
    const lane = step.kind === 'message' || step.kind === 'derived' ? laneOf?.(step) : undefined;
    // Nothing to wait for or absorb (always so without lanes, as a verifier replays): no promise per step.
    if (running.length > 0 || unabsorbed.length > 0) await waitFor(lane);
    if (lane !== undefined) {
      const compute = step.kind === 'derived' ? () => step.compute(values, engine) : () => messages(decls, values);
      const done = (async () => {
        const got = await compute();
        for (const d of decls) values[d.name] = checkSort(d, got[d.name]);
      })();
      // Handled here so that a failure while other steps run is not an unhandled rejection; waitFor rethrows it.
      done.catch(() => {});
      running.push({ lane, done });
      if (step.kind === 'message') unabsorbed.push(stepDecls[k]);
      continue;
    }
    switch (step.kind) {
      case 'statement':
        decls.forEach((d, j) => {
          values[d.name] = checkSort(d, statement[d.name]);
          absorb(transcript, d, labels[j], values[d.name]);
        });
        break;
      case 'message': {
        const got = await messages(decls, values);
        decls.forEach((d, j) => {
          values[d.name] = checkSort(d, got[d.name]);
          absorb(transcript, d, labels[j], values[d.name]);
        });
        break;
      }
      case 'challenge':
        for (const d of decls) values[d.name] = transcript.challengeFr(d.name);
        break;
      case 'derived': {
        const got = await step.compute(values, engine);
        for (const d of decls) values[d.name] = checkSort(d, got[d.name]);
        break;
      }
    }
  }
  await waitFor();
  return values;
}
