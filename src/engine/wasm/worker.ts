/**
 * Worker-thread entry (run by piscina): one WASM engine of its own (no workers), whose kernels keep every bases
 * set the worker has seen resident and compute window ranges of MSMs (the raw Jacobian partial sum), and whose
 * coset identities compute a whole quotient domain (its twiddles kept between tasks).
 * @module
 */
import { BASE_BYTES } from './kernels';
import { createWasmEngine } from './engine';
import type { CosetWords, EngineTask, MsmTask } from './task';

const engine = createWasmEngine();
const kernels = engine.kernels;
const resident = new Map<number, number>();

/** Computes the task's window range of Σ s_i·P_(offset+i). */
function runMsmTask(task: MsmTask): Uint8Array {
  let bases = resident.get(task.basesId);
  if (bases === undefined) {
    bases = kernels.placeResident(new Uint8Array(task.bases));
    resident.set(task.basesId, bases);
  }
  const basesAt = bases + task.offset * BASE_BYTES[task.group];
  return kernels.scratch((alloc) => {
    const scalars = kernels.placeScalarWords(alloc, new Uint8Array(task.scalars));
    return kernels.msmPart(task.group, basesAt, scalars, task.n, task.c, task.w0, task.w1);
  });
}

/** Runs one task: an MSM window range, or a coset-identities call on its packed polynomials. */
export default function runEngineTask(task: EngineTask): Uint8Array | CosetWords {
  return task.kind === 'msm' ? runMsmTask(task) : engine.cosetIdentitiesWords(task.shift, task.polys, task.parts, task.point);
}
