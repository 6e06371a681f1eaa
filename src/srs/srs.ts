/**
 * The structured reference string (SRS) of KZG: powers of a secret τ in G1 and G2.
 *
 * A powers-of-tau ceremony of power p publishes `[τ^i]₁` for `0 ≤ i ≤ 2^(p+1) − 2` and `[τ^i]₂` for
 * `0 ≤ i ≤ 2^p − 1`; a prepared file adds, for each domain size `n = 2^k ≤ 2^p`, the Lagrange basis
 * `[L_i(τ)]₁` of the n-th roots of unity. An {@link Srs} holds a prefix of those (only what a caller
 * asked for is read or computed) and remembers the declared power, so callers see both. It also gives the range
 * bases of public-denominator range tables ({@link RangeBasis}): held (read from prepared files), computed from τ
 * (the development SRS), or computed from the G1 powers on first use; and a development SRS's stacked bases
 * ({@link Srs.stackBasis}).
 * @module
 */
import { keccak256Concat } from '../engine/wasm/keccak';
import type { G1Point, G2Point } from '../curve';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { encodeG1, encodeG2 } from '../encoding/points';
import { SrsError } from '../errors';
import { isRangeTableSize, rangeBasisFromPowers, type RangeBasis, type RangeBasisFromPowersOptions } from './range-basis';

/** The Keccak-256 domain separator of {@link Srs.digest}. */
export const SRS_DIGEST_DOMAIN = 'blockfold/srs/v1';

/** What an {@link Srs} is built from. */
export interface SrsParts {
  /** `[τ^i]₁` for `i = 0 … g1Powers.length − 1`. */
  readonly g1Powers: readonly G1Point[];
  /** `[τ^i]₂` for `i = 0 … g2Powers.length − 1`. */
  readonly g2Powers: readonly G2Point[];
  /** The ceremony's power p: it declares `2^(p+1) − 1` G1 powers and `2^p` G2 powers. */
  readonly power: number;
  /** Lagrange bases `[L_i(τ)]₁` keyed by domain size n (a power of two, `n ≤ g1Powers.length`). */
  readonly lagrangeG1?: ReadonlyMap<number, readonly G1Point[]>;
  /**
   * Computes the Lagrange basis of a domain size n that {@link SrsParts.lagrangeG1} does not hold, for an SRS whose
   * τ is known (the development SRS); only asked for n a power of two with `n ≤ min(g1Powers.length, 2^power)`.
   * Truncations share it, so it should keep what it computed.
   */
  readonly computeLagrangeG1?: (n: number) => Promise<readonly G1Point[]>;
  /**
   * Computes the stacked basis `[τ^j·L_i(τ^k)]₁ (i < n)` of member j of a stack of k over H_n (`KzgKey.stackBases`), for
   * an SRS whose τ is known (the development SRS); only asked for n a power of two, 0 ≤ j < k and
   * `j + k·(n − 1) < g1Powers.length`. Truncations share it, so it should keep what it computed.
   */
  readonly computeStackBasis?: (n: number, k: number, j: number) => Promise<readonly G1Point[]>;
  /** Range bases held (read from prepared files, already checked against these powers), keyed by table size n. */
  readonly rangeBases?: ReadonlyMap<number, RangeBasis>;
  /**
   * Computes the {@link RangeBasis} of a range table of size n that {@link SrsParts.rangeBases} does not hold; only asked
   * for n a power of two with `n + 2 ≤ g1Powers.length`. Truncations share it, so it should keep what it computed.
   * Without it, the basis is computed from the G1 powers ({@link rangeBasisFromPowers}) and kept.
   */
  readonly computeRangeBasis?: (n: number, options?: RangeBasisOptions) => Promise<RangeBasis>;
  /** True for a development SRS whose τ is public. */
  readonly insecure: boolean;
  /** A name for logs and reports; an insecure SRS has `INSECURE` in it. */
  readonly name: string;
  /** Shown to users of an insecure SRS. */
  readonly warning?: string;
}

/** Options of {@link Srs.rangeBasis}. */
export interface RangeBasisOptions extends RangeBasisFromPowersOptions {
  /** Engine of a computation from the powers (default: the process default engine). */
  readonly engine?: Engine;
}

/**
 * A {@link SrsParts.computeRangeBasis} from the powers themselves: {@link rangeBasisFromPowers}, each size computed once
 * (with the options of its first request) and kept.
 */
function rangeBasesFromPowers(g1Powers: readonly G1Point[]): (n: number, options?: RangeBasisOptions) => Promise<RangeBasis> {
  const kept = new Map<number, Promise<RangeBasis>>();
  return (n, options = {}) => {
    let basis = kept.get(n);
    if (basis === undefined) {
      basis = rangeBasisFromPowers(g1Powers, n, options.engine ?? getDefaultEngine(), options);
      kept.set(n, basis);
      // A failed computation is not kept: a later request tries again.
      basis.catch(() => kept.delete(n));
    }
    return basis;
  };
}

/**
 * {@link Srs.digest} from the canonical encodings of the points: Keccak-256 of `"blockfold/srs/v1" ‖ u32(g1Count) ‖
 * u32(g2Count) ‖ encodings` (little-endian counts; the G1 powers' encodings, then the G2 powers'). A key file
 * computes it from the bytes it stores, before decoding any point.
 */
export function srsDigest(g1Count: number, g2Count: number, encodings: Iterable<Uint8Array>): Uint8Array {
  const counts = new Uint8Array(8);
  const view = new DataView(counts.buffer);
  view.setUint32(0, g1Count, true);
  view.setUint32(4, g2Count, true);
  return keccak256Concat([new TextEncoder().encode(SRS_DIGEST_DOMAIN), counts, ...encodings]);
}

/** Powers of τ in G1 and G2 (a validated prefix of a ceremony's), with optional Lagrange bases. */
export class Srs {
  readonly g1Powers: readonly G1Point[];
  readonly g2Powers: readonly G2Point[];
  readonly power: number;
  readonly insecure: boolean;
  readonly name: string;
  readonly warning: string | undefined;
  private readonly lagrange: ReadonlyMap<number, readonly G1Point[]>;
  private readonly computeLagrange: ((n: number) => Promise<readonly G1Point[]>) | undefined;
  private readonly computeStack: ((n: number, k: number, j: number) => Promise<readonly G1Point[]>) | undefined;
  private readonly ranges: ReadonlyMap<number, RangeBasis>;
  private readonly computeRange: (n: number, options?: RangeBasisOptions) => Promise<RangeBasis>;
  private cachedDigest: Uint8Array | undefined;

  constructor(parts: SrsParts) {
    if (parts.g1Powers.length > 2 ** (parts.power + 1) - 1 || parts.g2Powers.length > 2 ** parts.power)
      throw new SrsError(`an SRS of power ${parts.power} holds at most ${2 ** (parts.power + 1) - 1} G1 and ${2 ** parts.power} G2 powers`);
    for (const [n, basis] of parts.lagrangeG1 ?? []) {
      if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || basis.length !== n || n > parts.g1Powers.length)
        throw new SrsError(`Lagrange basis of domain ${n} has ${basis.length} points for ${parts.g1Powers.length} G1 powers`);
    }
    for (const [n, basis] of parts.rangeBases ?? []) {
      if (!isRangeTableSize(n) || basis.size !== n || basis.kBasis.length !== n || n + 2 > parts.g1Powers.length)
        throw new SrsError(`range basis of size ${n} (${basis.kBasis.length} K points) for ${parts.g1Powers.length} G1 powers`);
    }
    this.g1Powers = parts.g1Powers;
    this.g2Powers = parts.g2Powers;
    this.power = parts.power;
    this.insecure = parts.insecure;
    this.name = parts.name;
    this.warning = parts.warning;
    this.lagrange = parts.lagrangeG1 ?? new Map();
    this.computeLagrange = parts.computeLagrangeG1;
    this.computeStack = parts.computeStackBasis;
    this.ranges = parts.rangeBases ?? new Map();
    this.computeRange = parts.computeRangeBasis ?? rangeBasesFromPowers(parts.g1Powers);
  }

  /** Number of G1 powers held. */
  get g1Count(): number {
    return this.g1Powers.length;
  }

  /** Number of G2 powers held. */
  get g2Count(): number {
    return this.g2Powers.length;
  }

  /** G1 powers a full ceremony file of this power declares: `2^(power+1) − 1`. */
  get declaredG1Count(): number {
    return 2 ** (this.power + 1) - 1;
  }

  /** G2 powers a full ceremony file of this power declares: `2^power`. */
  get declaredG2Count(): number {
    return 2 ** this.power;
  }

  /** Domain sizes n for which the Lagrange basis `[L_i(τ)]₁` is held, ascending. */
  get lagrangeDomains(): number[] {
    return [...this.lagrange.keys()].sort((a, b) => a - b);
  }

  /** `[L_i(τ)]₁` for `i < n` over the n-th roots of unity (the canonical ω_n of `poly/roots`), if held. */
  lagrangeG1(n: number): readonly G1Point[] | undefined {
    return this.lagrange.get(n);
  }

  /**
   * `[L_i(τ)]₁` for `i < n`: the held basis, else the one an SRS that knows τ computes, else undefined. Only domains `n ≤ min(g1Count, 2^power)` have one: a ceremony prepares no larger, and a commitment
   * from values must equal the commitment of the interpolant, whose n coefficients need n powers.
   */
  lagrangeBasis(n: number): Promise<readonly G1Point[] | undefined> {
    const held = this.lagrange.get(n);
    if (held !== undefined) return Promise.resolve(held);
    const compute = this.computeLagrange;
    if (compute === undefined || !Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || n > Math.min(this.g1Count, 2 ** this.power))
      return Promise.resolve(undefined);
    return compute(n);
  }

  /**
   * `[τ^j·L_i(τ^k)]₁` for `i < n`, L_i the Lagrange polynomials of H_n (`KzgKey.stackBases`): the one an SRS that knows τ
   * computes, else undefined (a ceremony's file has no such sections). A basis is a combination of the powers
   * `[τ^0]₁ … [τ^(j + k·(n − 1))]₁`, so an SRS, truncated or not, gives one only when it holds them: an
   * {@link SrsError} when `j + k·(n − 1) ≥ g1Count`, n is not a power of two or j is outside [0, k).
   */
  stackBasis(n: number, k: number, j: number): Promise<readonly G1Point[] | undefined> {
    const compute = this.computeStack;
    if (compute === undefined) return Promise.resolve(undefined);
    if (!Number.isSafeInteger(n) || n < 1 || (n & (n - 1)) !== 0 || !Number.isSafeInteger(k) || k < 1 || !Number.isInteger(j) || j < 0 || j >= k || j + k * (n - 1) >= this.g1Count)
      return Promise.reject(new SrsError(`SRS "${this.name}" has no stacked basis for n = ${n}, k = ${k}, j = ${j}: it holds ${this.g1Count} G1 powers`));
    return compute(n, k, j);
  }

  /** Range-table sizes n whose {@link RangeBasis} is held, ascending. */
  get rangeBasisSizes(): number[] {
    return [...this.ranges.keys()].sort((a, b) => a - b);
  }

  /**
   * The {@link RangeBasis} of the range table `{0, …, n − 1}`: the held one, else the one an SRS that knows τ computes
   * (the development SRS: n + 2 fixed-base multiplications), else one computed from the G1 powers and kept
   * ({@link rangeBasisFromPowers}, with `options`). For a ceremony's SRS that last is a change of basis in G1 of
   * O(n·log² n) group operations: about a second for n = 2^8, about a quarter of an hour on one thread for n = 2^16, so
   * a large one is prepared once (`blockfold prepare-range`) and read with the SRS (`ReadPtauOptions.rangeBases`).
   * Only sizes with `n + 2 ≤ g1Count` have one (`τ·Z_S` has degree n + 1); undefined for any other n.
   */
  rangeBasis(n: number, options: RangeBasisOptions = {}): Promise<RangeBasis | undefined> {
    if (!isRangeTableSize(n) || n + 2 > this.g1Count) return Promise.resolve(undefined);
    const held = this.ranges.get(n);
    return held !== undefined ? Promise.resolve(held) : this.computeRange(n, options);
  }

  /**
   * Keccak-256 of `"blockfold/srs/v1" ‖ u32(#G1) ‖ u32(#G2) ‖ compressed G1 powers ‖ compressed G2 powers`
   * (little-endian counts, the canonical encodings of `encoding/points`). It identifies exactly the
   * powers held, not the file or the declared power: two truncations of one ceremony to the same
   * sizes have the same digest. Lagrange bases are not hashed: they are determined by the G1 powers
   * (and checked against them on reading). Computed once, then cached.
   */
  get digest(): Uint8Array {
    if (!this.cachedDigest) this.cachedDigest = srsDigest(this.g1Count, this.g2Count, [...this.g1Powers.map(encodeG1), ...this.g2Powers.map(encodeG2)]);
    return this.cachedDigest.slice();
  }

  /**
   * The first `g1` G1 powers and the first `g2` G2 powers (`[τ^i]₁, i < g1`; `[τ^j]₂, j < g2`), keeping
   * the Lagrange bases of domains `n ≤ g1` and the range bases of sizes `n + 2 ≤ g1` (held, or computed on demand, the
   * computed ones shared with this SRS), and the stacked bases within the `g1` powers ({@link Srs.stackBasis}). An
   * {@link SrsError} when more powers are asked for than are held.
   */
  truncate(g1: number, g2: number): Srs {
    if (!Number.isInteger(g1) || !Number.isInteger(g2) || g1 < 0 || g2 < 0)
      throw new SrsError(`invalid truncation sizes ${g1}, ${g2}`);
    if (g1 > this.g1Count || g2 > this.g2Count)
      throw new SrsError(
        `SRS "${this.name}" holds ${this.g1Count} G1 and ${this.g2Count} G2 powers; ${g1} and ${g2} were requested`,
      );
    const lagrange = new Map([...this.lagrange].filter(([n]) => n <= g1));
    return new Srs({
      g1Powers: this.g1Powers.slice(0, g1),
      g2Powers: this.g2Powers.slice(0, g2),
      power: this.power,
      lagrangeG1: lagrange,
      computeLagrangeG1: this.computeLagrange,
      computeStackBasis: this.computeStack,
      rangeBases: new Map([...this.ranges].filter(([n]) => n + 2 <= g1)),
      computeRangeBasis: this.computeRange,
      insecure: this.insecure,
      name: this.name,
      warning: this.warning,
    });
  }
}
