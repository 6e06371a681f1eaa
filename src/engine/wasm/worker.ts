/**
 * Worker-thread entry (run by piscina): one WASM engine of its own (no workers), whose kernels keep every bases
 * set the worker has seen resident and compute window ranges of MSMs and whole grouped MSMs (the raw Jacobian
 * (partial) sum; over the bases at the task's positions, gathered, when it sends some), and whose transforms and coset identities compute a whole NTT or quotient domain (its twiddles
 * kept between tasks), and which run programs of linear maps on G1 points (./g1-steps.ts).
 * @module
 */
import { BASE_BYTES } from './kernels';
import { createWasmEngine } from './engine';
import { readWordsArray } from './codec';
import { runSteps } from './g1-steps';
import type { CosetWords, EngineTask, GroupedMsmTask, MsmTask } from './task';

const engine = createWasmEngine();
const kernels = engine.kernels;
const resident = new Map<number, number>();

/** The task's first base in this worker's kernels, its set copied in once per handle (resident: outside any scratch region). */
function firstBase(task: MsmTask | GroupedMsmTask): number {
  let bases = resident.get(task.basesId);
  if (bases === undefined) {
    bases = kernels.placeResident(new Uint8Array(task.bases));
    resident.set(task.basesId, bases);
  }
  return bases + task.offset * BASE_BYTES[task.group];
}

/** The bases the task reads, consecutive: from its first base, or gathered from its positions into scratch memory. */
function basesRead(task: MsmTask | GroupedMsmTask, first: number, alloc: (bytes: number) => number): number {
  return task.at ? kernels.gatherBases(alloc, task.group, first, new Uint32Array(task.at), task.bases.byteLength / BASE_BYTES[task.group] - task.offset) : first;
}

/** Computes the task's window range of Σ s_i·P_(offset+i), or with positions Σ s_j·P_(offset+at_j). */
function runMsmTask(task: MsmTask): Uint8Array {
  const first = firstBase(task);
  return kernels.scratch((alloc) => {
    const bases = basesRead(task, first, alloc);
    const scalars = kernels.placeScalarWords(alloc, new Uint8Array(task.scalars));
    return kernels.msmPart(task.group, bases, scalars, task.n, task.c, task.w0, task.w1);
  });
}

/** Computes Σ_g v_g·(Σ_{groups_i = g + 1} P_(offset+i)) (P_(offset+at_i) with positions), the whole grouped MSM. */
function runGroupedTask(task: GroupedMsmTask): Uint8Array {
  const values = readWordsArray(new DataView(task.values), 0, task.values.byteLength / 32);
  const first = firstBase(task);
  return kernels.scratch((alloc) => engine.groupedMsmPart(task.group, basesRead(task, first, alloc), { groups: new Uint32Array(task.groups), values }));
}

/**
 * Runs one task: an MSM window range, a grouped MSM, a batch of those, a transform, a coset-identities call on its packed
 * polynomials, or a program of linear maps on G1 points.
 */
export default function runEngineTask(task: EngineTask): Uint8Array | Uint8Array[] | CosetWords {
  if (task.kind === 'msm') return runMsmTask(task);
  if (task.kind === 'grouped') return runGroupedTask(task);
  if (task.kind === 'batch') return task.tasks.map((t) => (t.kind === 'msm' ? runMsmTask(t) : runGroupedTask(t)));
  if (task.kind === 'g1Steps') return runSteps(kernels, task.points, task.steps);
  if (task.kind === 'transform') return engine.nttWords(new Uint8Array(task.words), { inverse: task.inverse, shift: task.shift });
  return engine.cosetIdentitiesWords(task.shift, task.polys, task.parts, task.point, task.evaluates);
}
