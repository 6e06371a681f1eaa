/**
 * The schedule runner: one function executes a protocol's schedule for the prover and for the verifier,
 * so the verifier's replay cannot drift from what the prover did (docs/folding.md §2).
 *
 * Statement slots and messages are absorbed into the transcript as they appear; challenges are drawn in
 * schedule order, so each is drawn after every message before it. Derived slots are computed, never read.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { EquationError, type SlotDecl, type SlotValue, type SlotValues } from '../src/equations/equation';
import { G1, G2, type G1Point, type G2Point } from '../src/curve';
import { isG1Value } from '../src/engine/deferred';
import { isFr } from '../src/field';
import type { Transcript } from '../src/transcript';
import type { Protocol } from './protocol';

/** Supplies message values, step by step: the prover computes them, the verifier reads them from the proof. */
export type MessageSource = (slots: readonly SlotDecl[], valuesSoFar: SlotValues) => Promise<SlotValues> | SlotValues;

/**
 * The transcript label of a slot, `origin/name`, built once per declaration: a verifier absorbs thousands of slots
 * per proof, and a label string kept alive is hashed once by the transcript's label cache instead of once per use.
 */
const labels = new WeakMap<SlotDecl, string>();
function labelOf(d: SlotDecl): string {
  let label = labels.get(d);
  if (label === undefined) labels.set(d, (label = `${d.origin}/${d.name}`));
  return label;
}

function absorb(t: Transcript, d: SlotDecl, v: SlotValue): void {
  const label = labelOf(d);
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

/** Each step's slot declarations, in the step's order, resolved once per protocol (a verifier replays it per proof). */
const declarations = new WeakMap<Protocol, readonly (readonly SlotDecl[])[]>();
function declarationsOf(protocol: Protocol): readonly (readonly SlotDecl[])[] {
  let out = declarations.get(protocol);
  if (out === undefined) {
    const decl = new Map(protocol.slots.map((s) => [s.name, s]));
    declarations.set(protocol, (out = protocol.schedule.map((step) => step.slots.map((n) => decl.get(n)!))));
  }
  return out;
}

/**
 * Runs `protocol`'s schedule on `transcript` (a leaf fork). `statement` holds every statement slot;
 * `messages` supplies each message step. Returns the full instance (all slots).
 */
export async function runSchedule(
  protocol: Protocol,
  transcript: Transcript,
  engine: Engine,
  statement: SlotValues,
  messages: MessageSource,
): Promise<SlotValues> {
  const stepDecls = declarationsOf(protocol);
  const values: Record<string, SlotValue> = {};
  for (const [k, step] of protocol.schedule.entries()) {
    const decls = stepDecls[k];
    switch (step.kind) {
      case 'statement':
        for (const d of decls) {
          values[d.name] = checkSort(d, statement[d.name]);
          absorb(transcript, d, values[d.name]);
        }
        break;
      case 'message': {
        const got = await messages(decls, values);
        for (const d of decls) {
          values[d.name] = checkSort(d, got[d.name]);
          absorb(transcript, d, values[d.name]);
        }
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
  return values;
}
