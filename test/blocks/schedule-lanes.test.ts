/**
 * runSchedule's lanes (blocks/schedule.ts): a step of one lane starts while an earlier step of another lane is still
 * computing, waits for its own lane's earlier steps, and the transcript (every challenge, the final state) is the one
 * of the sequential run whatever order the steps finish in; a failing lane step fails the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceEngine } from '../../src/engine/reference';
import type { SlotDecl, SlotValues } from '../../src/equations/equation';
import { Transcript } from '../../src/transcript';
import type { Protocol, Step } from '../../blocks/protocol';
import { runSchedule, type MessageSource, type StepLane } from '../../blocks/schedule';

const engine = createReferenceEngine();
const fr = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'fr', origin });

// Lane A: message a1, then message a2 (reads a1). Lane B: message b1, then derived b2 (reads b1). Then a challenge c
// and a message t of no lane (reads everything).
const steps: Record<string, Step> = {
  x: { kind: 'statement', slots: ['x'] },
  a1: { kind: 'message', slots: ['a1'] },
  b1: { kind: 'message', slots: ['b1'] },
  b2: { kind: 'derived', slots: ['b2'], compute: (v) => ({ b2: (v.b1 as bigint) * 2n }) },
  a2: { kind: 'message', slots: ['a2'] },
  c: { kind: 'challenge', slots: ['c'] },
  t: { kind: 'message', slots: ['t'] },
};
const protocol: Protocol = {
  foldKey: 'lanes',
  maxDegree: 2,
  slots: [fr('x', 'statement'), fr('a1', 'message'), fr('b1', 'message'), fr('b2', 'derived'), fr('a2', 'message'), fr('c', 'challenge'), fr('t', 'message')],
  equations: [],
  schedule: [steps.x, steps.a1, steps.b1, steps.b2, steps.a2, steps.c, steps.t],
};
const lanes: StepLane = (step) => (step === steps.a1 || step === steps.a2 ? 'A' : step === steps.b1 || step === steps.b2 ? 'B' : undefined);

/** A prover whose a1 answers only after `delay` ms, logging when each message step starts and ends. */
function prover(log: string[], delay: number, fail?: string): MessageSource {
  return async (decls, v: SlotValues) => {
    const name = decls[0].name;
    log.push(`start ${name}`);
    if (name === 'a1') await new Promise((resolve) => setTimeout(resolve, delay));
    if (name === fail) throw new Error(`${name} failed`);
    log.push(`end ${name}`);
    const value = { a1: () => 3n, b1: () => 5n, a2: () => (v.a1 as bigint) + 1n, t: () => (v.a2 as bigint) + (v.b2 as bigint) + (v.c as bigint) }[name]!();
    return { [name]: value % 2n ** 250n };
  };
}

async function run(laneOf: StepLane | undefined, log: string[], delay = 20, fail?: string) {
  const transcript = Transcript.create('lanes-test');
  const values = await runSchedule(protocol, transcript, engine, { x: 7n }, prover(log, delay, fail), laneOf);
  return { values, state: transcript.digest() };
}

test('lanes: b1 starts while a1 computes, a2 waits for a1, t for everything; the transcript is the sequential one', async () => {
  const sequential: string[] = [];
  const want = await run(undefined, sequential);
  assert.deepEqual(sequential, ['start a1', 'end a1', 'start b1', 'end b1', 'start a2', 'end a2', 'start t', 'end t']);
  for (const delay of [0, 20]) {
    const log: string[] = [];
    const got = await run(lanes, log, delay);
    assert.ok(log.indexOf('start b1') < log.indexOf('end a1'), `b1 starts before a1 ends: ${log}`);
    assert.ok(log.indexOf('start a2') > log.indexOf('end a1'), `a2 waits for a1: ${log}`);
    assert.ok(log.indexOf('start t') > log.indexOf('end a2') && log.indexOf('start t') > log.indexOf('end b1'), `t waits for every lane: ${log}`);
    assert.deepEqual(got.values, want.values);
    assert.deepEqual(got.state, want.state);
  }
  assert.equal(want.values.t, (3n + 1n + 10n + (want.values.c as bigint)) % 2n ** 250n);
});

test('lanes: a failing step of a lane fails the run, while another lane computes or after', async () => {
  for (const fail of ['a1', 'b1', 'a2']) await assert.rejects(run(lanes, [], 20, fail), new RegExp(`${fail} failed`));
});
