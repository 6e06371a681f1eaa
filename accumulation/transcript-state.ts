/**
 * Moving a transcript fork to a fold worker.
 *
 * A fold's transcript is the fork `fold/<key>/<level>/<index>` of the base transcript; the worker needs
 * that fork's state to absorb the accumulators and cross terms and draw `γ` itself. `Transcript` exposes
 * its state ({@link Transcript.digest}) but no way to resume from it, so this adapter rebuilds one from
 * a digest. A test pins it against the transcript's own behaviour; it goes away once `Transcript` gets a
 * public `fromState`.
 * @module
 */
import { Transcript } from '../src/transcript';

/** A transcript whose state is `state` (a value of {@link Transcript.digest}). */
export function transcriptFromState(state: Uint8Array): Transcript {
  if (state.length !== 32) throw new RangeError(`a transcript state is 32 bytes, got ${state.length}`);
  const t = Object.create(Transcript.prototype) as Transcript;
  Object.defineProperty(t, 'state', { value: state.slice(), writable: true, enumerable: false });
  return t;
}
