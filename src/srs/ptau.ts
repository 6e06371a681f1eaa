/**
 * Reader for snarkjs powers-of-tau files (`.ptau`, BN254 only).
 *
 * Layout (iden3 binfileutils container, every integer little-endian):
 * `"ptau"`, version u32 (1), section count u32, then sections `id u32, size u64, body`.
 * - Section 1, header: `n8 u32` (32), the base-field prime q (n8 bytes), `power u32`, `ceremonyPower u32`.
 * - Section 2: `[τ^i]₁` for `i < 2^(power+1) − 1`.  Section 3: `[τ^i]₂` for `i < 2^power`.
 * - Sections 4–7: α/β powers and the contributions (not used by KZG, not read).
 * - Section 12 (files after `prepare phase2`): the Lagrange bases `[L_i(τ)]₁` of the domains of
 *   size 1, 2, 4, …, 2^(power+1), concatenated; domain n starts at point n − 1.
 *
 * Points are affine and uncompressed, each coordinate n8 bytes little-endian in Montgomery form
 * (`x·2^256 mod q`); a G2 coordinate is `c0 ‖ c1`; all-zero bytes encode the point at infinity.
 *
 * Only the requested prefixes are read and decoded, so a large ceremony file serves a small model. Prepared
 * range-basis files (./range-basis-file.ts) of the ceremony can be read with it, checked against its powers.
 * @module
 */
import { withFileForReading } from '#files';
import { Fp2, G1, G2, type G1Point, type G2Point } from '../curve';
import { getDefaultEngine } from '../engine/index';
import type { Engine } from '../engine/engine';
import { SrsError } from '../errors';
import { Fp } from '../field';
import type { RangeBasis } from './range-basis';
import { decodeRangeBasis, readRangeBasisFileBytes } from './range-basis-file';
import { Srs, type SrsParts } from './srs';
import { validateSrsStructure } from './validate';

/** Bytes of one field element in a `.ptau` file for BN254. */
const N8 = 32;
const G1_PTAU_BYTES = 2 * N8;
const G2_PTAU_BYTES = 4 * N8;
const HEADER_SECTION_BYTES = 4 + N8 + 4 + 4;
/** snarkjs stops at 2^28 (the two-adicity of r − 1): a larger power in a header is corruption. */
const MAX_POWER = 28;
const P = Fp.ORDER;
/** 2^−256 mod q, to leave Montgomery form. */
const MONTGOMERY_INVERSE = Fp.inv(Fp.create(1n << 256n));

/** Section ids of a `.ptau` file. */
export const PtauSection = {
  header: 1,
  tauG1: 2,
  tauG2: 3,
  alphaTauG1: 4,
  betaTauG1: 5,
  betaG2: 6,
  contributions: 7,
  lagrangeG1: 12,
  lagrangeG2: 13,
  lagrangeAlphaTauG1: 14,
  lagrangeBetaTauG1: 15,
} as const;

/** Random access to the bytes of a `.ptau` file. */
export interface PtauSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset` (the caller keeps within `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** One section of the container: its body spans `[offset, offset + size)`. */
export interface PtauSectionEntry {
  readonly id: number;
  readonly offset: number;
  readonly size: number;
}

/** The container structure and header of a `.ptau` file. */
export interface PtauLayout {
  readonly version: number;
  readonly power: number;
  readonly ceremonyPower: number;
  readonly sections: readonly PtauSectionEntry[];
}

/** Options of {@link readPtau}. */
export interface ReadPtauOptions {
  /** G1 powers to read, `[τ^i]₁` for `i < maxG1` (default: all `2^(power+1) − 1`). */
  readonly maxG1?: number;
  /** G2 powers to read (default: all `2^power`). Each costs a subgroup check (~3 ms on noble): ask for what you need. */
  readonly maxG2?: number;
  /** Read the Lagrange bases of the domains n ≤ min(maxG1, 2^power) when the file has section 12 (default true). */
  readonly lagrange?: boolean;
  /** Engine for the MSMs and pairings of the consistency checks (default: the process default engine). */
  readonly engine?: Engine;
  /** Name of the resulting {@link Srs} (default `ptau(power=p)`). */
  readonly name?: string;
  /**
   * Prepared range-basis files of this ceremony (their bytes; `blockfold prepare-range` writes them): each is checked
   * against the powers read and held by the resulting {@link Srs} (`Srs.rangeBasis`), so no basis is computed.
   */
  readonly rangeBases?: readonly Uint8Array[];
}

/** Options of {@link readPtauFile}: those of {@link readPtau}, and prepared range-basis files by path. */
export interface ReadPtauFileOptions extends ReadPtauOptions {
  /** Paths of prepared range-basis files of this ceremony, read into {@link ReadPtauOptions.rangeBases}. */
  readonly rangeBasisFiles?: readonly string[];
}

/** A {@link PtauSource} over bytes in memory. */
export function bytesSource(bytes: Uint8Array): PtauSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** Parses the container and the header (section 1), checking that the file is for BN254 and that each section lies inside it. */
export async function readPtauLayout(source: PtauSource): Promise<PtauLayout> {
  if (source.size < 12) throw new SrsError(`not a .ptau file: ${source.size} bytes`);
  const head = await source.read(0, 12);
  if (String.fromCharCode(...head.subarray(0, 4)) !== 'ptau') throw new SrsError('not a .ptau file: bad magic');
  const version = u32(head, 4);
  if (version !== 1) throw new SrsError(`unsupported .ptau version ${version}`);
  const count = u32(head, 8);
  const sections: PtauSectionEntry[] = [];
  let pos = 12;
  for (let i = 0; i < count; i++) {
    if (pos + 12 > source.size) throw new SrsError(`truncated .ptau file: section table entry ${i} is past the end`);
    const entry = await source.read(pos, 12);
    const id = u32(entry, 0);
    const size = u32(entry, 4) + u32(entry, 8) * 2 ** 32;
    pos += 12;
    if (pos + size > source.size)
      throw new SrsError(`truncated .ptau file: section ${id} needs ${size} bytes at offset ${pos}, the file has ${source.size}`);
    sections.push({ id, offset: pos, size });
    pos += size;
  }
  if (pos !== source.size) throw new SrsError(`${source.size - pos} trailing bytes after the last .ptau section`);
  const header = uniqueSection(sections, PtauSection.header);
  if (header.size !== HEADER_SECTION_BYTES) throw new SrsError(`.ptau header has ${header.size} bytes, expected ${HEADER_SECTION_BYTES}`);
  const h = await source.read(header.offset, header.size);
  const n8 = u32(h, 0);
  if (n8 !== N8) throw new SrsError(`wrong curve: field elements of ${n8} bytes, BN254 uses ${N8}`);
  const q = leToBigint(h.subarray(4, 4 + N8));
  if (q !== P) throw new SrsError(`wrong curve: the file's prime is 0x${q.toString(16)}, not the BN254 base field prime`);
  const power = u32(h, 4 + N8);
  const ceremonyPower = u32(h, 8 + N8);
  if (power < 1 || power > MAX_POWER) throw new SrsError(`.ptau power ${power} is outside 1…${MAX_POWER}`);
  return { version, power, ceremonyPower, sections };
}

/** Reads and validates an SRS from the bytes of a `.ptau` file (see {@link readPtauFrom}). */
export function readPtau(bytes: Uint8Array, options: ReadPtauOptions = {}): Promise<Srs> {
  return readPtauFrom(bytesSource(bytes), options);
}

/** Reads and validates an SRS from a `.ptau` file on disk, reading only the requested prefixes, with its prepared range bases. */
export async function readPtauFile(path: string, options: ReadPtauFileOptions = {}): Promise<Srs> {
  const prepared: Uint8Array[] = [];
  for (const file of options.rangeBasisFiles ?? []) prepared.push(await readRangeBasisFileBytes(file));
  const rangeBases = [...(options.rangeBases ?? []), ...prepared];
  return withFileForReading(path, (file) =>
    readPtauFrom(
      {
        size: file.size,
        read: async (offset, length) => {
          const bytes = await file.read(offset, length);
          if (bytes.length !== length) throw new SrsError(`truncated .ptau file: short read at offset ${offset}`);
          return bytes;
        },
      },
      { ...options, rangeBases },
    ),
  );
}

/**
 * Reads `[τ^i]₁` (i < maxG1), `[τ^j]₂` (j < maxG2) and, when present, the Lagrange bases of domains
 * n ≤ min(maxG1, 2^power); decodes every point (canonical coordinates, on the curve, not at infinity,
 * G2 in the prime-order subgroup), then checks with random linear combinations and pairings that they
 * are consecutive powers of one τ ∉ {0, 1} and that the Lagrange bases match (`validateSrsStructure`); then reads
 * the prepared range bases given, each checked against those powers (`decodeRangeBasis`).
 * Every failure is an {@link SrsError}.
 */
export async function readPtauFrom(source: PtauSource, options: ReadPtauOptions = {}): Promise<Srs> {
  const layout = await readPtauLayout(source);
  const { power } = layout;
  const declaredG1 = 2 ** (power + 1) - 1;
  const declaredG2 = 2 ** power;
  const maxG1 = options.maxG1 ?? declaredG1;
  const maxG2 = options.maxG2 ?? declaredG2;
  if (!Number.isSafeInteger(maxG1) || !Number.isSafeInteger(maxG2) || maxG1 < 2 || maxG2 < 2)
    throw new SrsError(`maxG1 and maxG2 must be integers ≥ 2 (got ${maxG1}, ${maxG2})`);
  if (maxG1 > declaredG1 || maxG2 > declaredG2)
    throw new SrsError(
      `the .ptau file of power ${power} holds ${declaredG1} G1 and ${declaredG2} G2 powers; ${maxG1} and ${maxG2} were requested`,
    );

  const tauG1 = uniqueSection(layout.sections, PtauSection.tauG1);
  expectSize(tauG1, declaredG1 * G1_PTAU_BYTES, 'tauG1');
  const tauG2 = uniqueSection(layout.sections, PtauSection.tauG2);
  expectSize(tauG2, declaredG2 * G2_PTAU_BYTES, 'tauG2');

  const g1Powers = decodeG1s(await source.read(tauG1.offset, maxG1 * G1_PTAU_BYTES), 'tauG1');
  const g2Powers = decodeG2s(await source.read(tauG2.offset, maxG2 * G2_PTAU_BYTES), 'tauG2');

  const lagrangeG1 = new Map<number, readonly G1Point[]>();
  const lagrangeSection = layout.sections.some((s) => s.id === PtauSection.lagrangeG1);
  if (lagrangeSection && options.lagrange !== false) {
    const section = uniqueSection(layout.sections, PtauSection.lagrangeG1);
    expectSize(section, (2 ** (power + 2) - 1) * G1_PTAU_BYTES, 'lagrangeG1');
    // The largest domain, 2^(power+1), was computed by snarkjs with τ^(2^(power+1)−1) replaced by 0: it is
    // not a Lagrange basis of τ, and maxG1 < 2^(power+1) keeps it out.
    for (let n = 1; n <= Math.min(maxG1, declaredG2); n *= 2) {
      const bytes = await source.read(section.offset + (n - 1) * G1_PTAU_BYTES, n * G1_PTAU_BYTES);
      lagrangeG1.set(n, decodeG1s(bytes, `lagrangeG1[${n}]`));
    }
  }

  const parts: SrsParts = { g1Powers, g2Powers, power, lagrangeG1, insecure: false, name: options.name ?? `ptau(power=${power})` };
  const engine = options.engine ?? getDefaultEngine();
  const srs = new Srs(parts);
  await validateSrsStructure(srs, engine);
  if (options.rangeBases === undefined || options.rangeBases.length === 0) return srs;
  const rangeBases = new Map<number, RangeBasis>();
  for (const bytes of options.rangeBases) {
    const basis = await decodeRangeBasis(bytes, srs, engine);
    rangeBases.set(basis.size, basis);
  }
  return new Srs({ ...parts, rangeBases });
}

function uniqueSection(sections: readonly PtauSectionEntry[], id: number): PtauSectionEntry {
  const found = sections.filter((s) => s.id === id);
  if (found.length === 0) throw new SrsError(`.ptau file has no section ${id}`);
  if (found.length > 1) throw new SrsError(`.ptau file has ${found.length} sections with id ${id}`);
  return found[0];
}

function expectSize(section: PtauSectionEntry, bytes: number, what: string): void {
  if (section.size !== bytes) throw new SrsError(`.ptau section ${what} has ${section.size} bytes, the header's power implies ${bytes}`);
}

function u32(b: Uint8Array, offset: number): number {
  return new DataView(b.buffer, b.byteOffset + offset, 4).getUint32(0, true);
}

function leToBigint(b: Uint8Array): bigint {
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  let x = 0n;
  for (let i = b.length - 8; i >= 0; i -= 8) x = (x << 64n) | view.getBigUint64(i, true);
  return x;
}

/** A base-field coordinate: canonical Montgomery representative (< q) converted to its value. */
function coordinate(b: Uint8Array, offset: number, where: string): bigint {
  const m = leToBigint(b.subarray(offset, offset + N8));
  if (m >= P) throw new SrsError(`${where}: coordinate is not below q`);
  return Fp.mul(m, MONTGOMERY_INVERSE);
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function decodeG1s(bytes: Uint8Array, what: string): G1Point[] {
  const out = new Array<G1Point>(bytes.length / G1_PTAU_BYTES);
  for (let i = 0; i < out.length; i++) {
    const where = `${what} point ${i}`;
    const b = bytes.subarray(i * G1_PTAU_BYTES, (i + 1) * G1_PTAU_BYTES);
    if (isZero(b)) throw new SrsError(`${where}: point at infinity`);
    const x = coordinate(b, 0, where);
    const y = coordinate(b, N8, where);
    if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), 3n)) throw new SrsError(`${where}: not on the BN254 G1 curve`);
    // BN254 G1 has cofactor 1: every curve point is in the prime-order group.
    out[i] = G1.fromAffine({ x, y });
  }
  return out;
}

function decodeG2s(bytes: Uint8Array, what: string): G2Point[] {
  const b2 = G2.CURVE().b;
  const out = new Array<G2Point>(bytes.length / G2_PTAU_BYTES);
  for (let i = 0; i < out.length; i++) {
    const where = `${what} point ${i}`;
    const b = bytes.subarray(i * G2_PTAU_BYTES, (i + 1) * G2_PTAU_BYTES);
    if (isZero(b)) throw new SrsError(`${where}: point at infinity`);
    const x = Fp2.create({ c0: coordinate(b, 0, where), c1: coordinate(b, N8, where) });
    const y = Fp2.create({ c0: coordinate(b, 2 * N8, where), c1: coordinate(b, 3 * N8, where) });
    if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), b2))) throw new SrsError(`${where}: not on the BN254 G2 twist`);
    const point = G2.fromAffine({ x, y });
    if (!point.isTorsionFree()) throw new SrsError(`${where}: not in the prime-order subgroup of G2`);
    out[i] = point;
  }
  return out;
}
