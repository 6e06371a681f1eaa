/**
 * Worker-thread entry (run by piscina): keeps every bases set it has seen resident in its own kernels
 * instance and computes window ranges of MSMs, returning the raw Jacobian partial sum.
 * @module
 */
import { BASE_BYTES, Kernels } from './kernels';
import type { MsmTask } from './task';

const kernels = new Kernels();
const resident = new Map<number, number>();

/** Computes the task's window range of Σ s_i·P_(offset+i). */
export default function runMsmTask(task: MsmTask): Uint8Array {
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
