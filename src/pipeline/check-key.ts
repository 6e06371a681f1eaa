/**
 * Checking a verifying key against the ceremony it names: what a verifier who did not run setup can check of a key
 * before trusting its verdicts.
 *
 * A verifying key carries SRS material: the SRS digest of the ceremony's powers it was set up with, `[1]₂, [τ]₂`, the
 * Lagrange bases of the model's input and output domains (over which the verifier commits the statement's rows), the
 * commitments its verifier reads (`verifierPoints`: the padded rows' selectors, a hashed input's `[τ^j·Z_H(τ)]₁`) and,
 * for a model that range-checks, the range table's
 * `[Z_S(τ)]₁` (`src/kzg/range-table.ts`). A key file holds the points without the powers, and binds all of it to the
 * key's digest, which every proof absorbs, but a digest only says the file is whole: a key author who chose other
 * points (a `[τ]₂` of a τ it knows, or `[Z_{S∪{x}}(τ)]₁`, whose table also holds some x ≥ N) makes a consistent key
 * whose proofs can be false. So each is compared with the ceremony's: the digest of the ceremony's first powers must be
 * the key's, `[1]₂` and `[τ]₂` the ceremony's, `[Z_S(τ)]₁` the MSM of `Z_S`'s coefficients over the ceremony's powers
 * (`rangeVanishingFromPowers`, n + 1 powers: about a second for n = 2^16), each Lagrange basis the ceremony's
 * (`lagrangeBasesHold`: a random combination against the powers, two MSMs per domain) and each verifier commitment the
 * commitment of its polynomial over the ceremony's powers. The architecture and the model commitment are the key
 * author's statement and stay as they are: the first is public, the second hides the weights.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Engine } from '../engine/engine';
import { lagrangeBasesHold } from '../srs/lagrange-basis';
import { rangeVanishingFromPowers } from '../srs/range-basis';
import type { Srs } from '../srs/srs';
import { keyG1Powers } from './block-graph';
import { keyLagrangeDomains, verifierPoints, type VerifyingKey } from './keys';
import { createKzgKey } from '../kzg/key';

/** The verdict of {@link checkVerifyingKeySrs}: why the key is not the SRS's, when it is not. */
export type KeySrsCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether the SRS material of `vk` is `srs`'s: the same kind (development or ceremony), the SRS digest of `srs`'s first
 * `keyG1Powers(graph)` G1 and 2 G2 powers equal to the key's, its `[1]₂, [τ]₂` `srs`'s, its verifier commitments those
 * over `srs`'s powers, and, with a range table of N entries, `[Z_S(τ)]₁` equal to
 * the MSM of Z_S's coefficients over `srs`'s first N + 1 powers, and each of the key's Lagrange bases that of `srs`'s
 * powers ({@link keyLagrangeDomains}). `srs` must hold the powers the model's setup needs
 * (`srsG1Powers`); a smaller one gives a verdict naming what it lacks.
 */
export async function checkVerifyingKeySrs(vk: VerifyingKey, srs: Srs, engine: Engine = vk.kzg.engine): Promise<KeySrsCheck> {
  if (vk.insecureSrs !== srs.insecure)
    return { ok: false, reason: `the key was set up with ${vk.insecureSrs ? 'an insecure development SRS' : 'a ceremony'}, "${srs.name}" is ${srs.insecure ? 'a development SRS' : 'a ceremony'}` };
  const powers = keyG1Powers(vk.model.graph);
  const table = vk.kzg.rangeTable;
  const needed = Math.max(powers, table === undefined ? 0 : table.size + 1);
  if (srs.g1Count < needed || srs.g2Count < 2) return { ok: false, reason: `checking this key needs ${needed} G1 and 2 G2 powers; "${srs.name}" holds ${srs.g1Count} and ${srs.g2Count}` };
  const own = bytesToHex(srs.truncate(powers, 2).digest);
  const recorded = bytesToHex(vk.srsDigest);
  if (own !== recorded) return { ok: false, reason: `the key's SRS digest is ${recorded}; the first ${powers} G1 and 2 G2 powers of "${srs.name}" have ${own}` };
  if (!vk.kzg.g2One.point.equals(srs.g2Powers[0]) || !vk.kzg.g2Tau.point.equals(srs.g2Powers[1]))
    return { ok: false, reason: `the key's [1]₂ or [τ]₂ is not "${srs.name}"'s: its openings would be checked against another τ` };
  if (table !== undefined && !(await rangeVanishingFromPowers(srs.g1Powers, table.size, engine)).equals(table.vanishing.point))
    return { ok: false, reason: `the key's [Z_S(τ)]₁ is not the one of the range table {0, …, ${table.size - 1}} over "${srs.name}": its range checks could accept values outside the table` };
  for (const n of keyLagrangeDomains(vk.model)) {
    const basis = vk.lagrangeBases.get(n);
    if (basis === undefined || !(await lagrangeBasesHold(new Map([[n, basis]]), srs.g1Powers, engine)))
      return { ok: false, reason: `the key's Lagrange basis of H_${n} is not [L_i(τ)]₁ over "${srs.name}": it would commit the statement's rows to other polynomials` };
  }
  const wanted = verifierPoints(vk.model);
  if (wanted.length === 0) return { ok: true };
  const ceremony = await createKzgKey(engine, srs.g1Powers.slice(0, powers), srs.g2Powers[0], srs.g2Powers[1]);
  for (const { digest, commit, role } of wanted)
    if (!vk.verifierCommitments.get(digest)?.equals(await commit(ceremony)))
      return { ok: false, reason: `the key's commitment of ${digest} is not the one over "${srs.name}": ${role}` };
  return { ok: true };
}
