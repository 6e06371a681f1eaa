/**
 * The fuzz cases of `file-formats.test.ts`, run in a child process whose heap is capped (so a case that
 * allocates gigabytes fails the test instead of the machine). For each file format (proof, proving key,
 * verifying key, compiled model, the architecture inside them, `.ptau`, a prepared range basis, ONNX) fast-check mutates a valid file: bit flips, truncation, a
 * count or size field set huge (u32 or varint), windows of garbage, or garbage alone; the checksum of a blockfold container
 * is recomputed half of the time so that the structure behind it is reached (the cases that did are counted,
 * and the test asserts there are enough of them). Every case must end in a
 * typed error ({@link BlockfoldError}) or in a result that means the same as the original (the same key
 * digest, the same architecture, an accepted proof of the same statement, the same range basis), within the time cap.
 *
 * Prints one JSON line: the number of cases per format and the slowest case; exits 1 on the first failure.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { BlockfoldError } from '../../src/errors';
import { buildGraph } from '../../src/model/build';
import { parseOnnx } from '../../src/onnx/index';
import { architectureDigest, decodeArchitecture, encodeArchitecture } from '../../src/pipeline/architecture';
import { decodeCompiledModel, decodeProof, decodeProvingKey, decodeVerifyingKey, encodeProof, verifyProofFile } from '../../src/pipeline/artifacts';
import { readPtau } from '../../src/srs/ptau';
import { decodeRangeBasis, encodeRangeBasis } from '../../src/srs/range-basis-file';
import { splitContainer } from '../helpers/artifact-files';
import { sampleArtifacts } from '../helpers/sample-artifacts';

/** Longest a single case may take. */
const CASE_SECONDS = 10;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Offsets of the u32 count and size fields of a blockfold container (header length, blob count, blob lengths). */
function containerFields(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = view.getUint32(6, true);
  const fields = [6, 10 + n];
  let at = 14 + n;
  for (const b of splitContainer(bytes).blobs) {
    fields.push(at);
    at += 4 + b.length;
  }
  return fields;
}

/** A blockfold container with its Keccak checksum recomputed over the (mutated) body. */
function rechecksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 33) return bytes;
  const out = bytes.slice();
  out.set(keccak_256(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

/** Whether the last 32 bytes are the Keccak checksum of the rest, i.e. a decoder must look behind the checksum. */
function checksumHolds(bytes: Uint8Array): boolean {
  if (bytes.length < 33) return false;
  const sum = keccak_256(bytes.subarray(0, bytes.length - 32));
  return sum.every((b, i) => bytes[bytes.length - 32 + i] === b);
}

const CHECKSUM_ERROR = /checksum mismatch/;

const HUGE = [0xffffffff, 0x7fffffff, 1 << 24, 1 << 30, 0];

/** Mutations of `bytes`: `fields` are offsets of u32 count or size fields worth setting huge. */
function mutation(bytes: Uint8Array, fields: readonly number[], container: boolean): fc.Arbitrary<{ what: string; bytes: Uint8Array }> {
  const n = bytes.length;
  const raw = fc.oneof(
    fc.nat({ max: n * 8 - 1 }).map((bit) => {
      const b = bytes.slice();
      b[bit >> 3] ^= 1 << (bit & 7);
      return { what: `bit ${bit} flipped`, bytes: b };
    }),
    fc.nat({ max: n - 1 }).map((cut) => ({ what: `truncated to ${cut} bytes`, bytes: bytes.slice(0, cut) })),
    fc.tuple(fc.constantFrom(...(fields.length > 0 ? fields : [0])), fc.constantFrom(...HUGE)).map(([at, v]) => {
      const b = bytes.slice();
      if (at + 4 <= n) new DataView(b.buffer).setUint32(at, v, true);
      return { what: `u32 at ${at} set to ${v}`, bytes: b };
    }),
    fc.tuple(fc.nat({ max: Math.max(0, n - 4) }), fc.constantFrom(...HUGE)).map(([at, v]) => {
      const b = bytes.slice();
      new DataView(b.buffer).setUint32(at, v, true);
      return { what: `u32 at ${at} set to ${v} (any offset)`, bytes: b };
    }),
    // A varint count or size (architecture, weights) inflated: one byte replaced by a 5-byte varint of ~2^32 or a 9-byte one of ~2^60.
    fc.tuple(fc.nat({ max: n - 1 }), fc.constantFrom([0xff, 0xff, 0xff, 0xff, 0x0f], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f])).map(([at, v]) => ({
      what: `byte ${at} replaced by a ${v.length}-byte varint`,
      bytes: Uint8Array.from([...bytes.subarray(0, at), ...v, ...bytes.subarray(at + 1)]),
    })),
    fc.tuple(fc.nat({ max: n - 1 }), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, g]) => {
      const b = bytes.slice();
      b.set(g.subarray(0, n - at), at);
      return { what: `garbage at ${at}`, bytes: b };
    }),
    fc.uint8Array({ maxLength: 2048 }).map((g) => ({ what: 'garbage alone', bytes: g })),
    fc.uint8Array({ maxLength: 512 }).map((g) => ({ what: 'magic then garbage', bytes: Uint8Array.from([...bytes.subarray(0, 10), ...g]) })),
  );
  if (!container) return raw;
  return fc.tuple(raw, fc.boolean()).map(([m, fix]) => (fix ? { what: `${m.what}, checksum recomputed`, bytes: rechecksum(m.bytes) } : m));
}

interface Stats {
  cases: number;
  slowest: number;
  /** Cases that ended in a typed error (a rejected proof is a result, not an error). */
  typedErrors: number;
  /**
   * Container cases whose mutated file carries a valid checksum and was not refused for its checksum: the
   * cases that reach the decoders behind it (header, counts, points, recompilation).
   */
  pastChecksum: number;
}

/**
 * Runs `numRuns` mutations of `bytes` through `check`; any error must be typed, every case fast. `check`
 * returns the reason when it rejects without throwing (a refused proof), so that a checksum refusal is seen.
 */
async function fuzz(name: string, bytes: Uint8Array, fields: number[], container: boolean, numRuns: number, check: (b: Uint8Array) => Promise<string | void> | string | void): Promise<Stats> {
  const stats: Stats = { cases: 0, slowest: 0, typedErrors: 0, pastChecksum: 0 };
  await fc.assert(
    fc.asyncProperty(mutation(bytes, fields, container), async ({ what, bytes: b }) => {
      const t = performance.now();
      let failure = '';
      try {
        failure = (await check(b)) ?? '';
      } catch (e) {
        if (!(e instanceof BlockfoldError)) throw new Error(`${name}, ${what}: untyped ${(e as Error)?.name}: ${(e as Error)?.message}`);
        stats.typedErrors++;
        failure = e.message;
      }
      if (container && checksumHolds(b)) {
        if (CHECKSUM_ERROR.test(failure)) throw new Error(`${name}, ${what}: a valid checksum refused as a mismatch (${failure})`);
        stats.pastChecksum++;
      }
      const seconds = (performance.now() - t) / 1000;
      stats.cases++;
      stats.slowest = Math.max(stats.slowest, seconds);
      if (seconds > CASE_SECONDS) throw new Error(`${name}, ${what}: took ${seconds.toFixed(1)} s`);
    }),
    { numRuns, seed: 12, endOnFailure: true },
  );
  return stats;
}

const { onnx, compiled, pk, statement, proof, files } = await sampleArtifacts();
const digest = hex(pk.vk.digest);
const architecture = hex(architectureDigest(compiled.model));
const statementText = JSON.stringify(statement, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
const ptau = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/ptau/bn254-p4-prepared.ptau', import.meta.url))));

const formats = process.argv.slice(2);
const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_SCALE ?? 1)));
const out: Record<string, Stats> = {};
for (const format of formats) {
  switch (format) {
    case 'proof':
      out.proof = await fuzz('proof', files.proof, containerFields(files.proof), true, runs(60), async (b) => {
        const r = await verifyProofFile(pk.vk, b);
        if (r.ok && JSON.stringify(decodeProof(b).statement, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) !== statementText) throw new Error('accepted a changed statement');
        return r.ok ? undefined : r.reason;
      });
      // The model proof inside the file (its one length field: the wire section's, at offset 7), with the file rebuilt around it.
      out['proof bytes'] = await fuzz('proof bytes', proof.bytes, [7], false, runs(60), async (b) => {
        const r = await verifyProofFile(pk.vk, encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof: { bytes: b } }));
        if (r.ok && hex(b) !== hex(proof.bytes)) throw new Error('accepted changed proof bytes');
        return r.ok ? undefined : r.reason;
      });
      break;
    case 'proving-key':
      out['proving-key'] = await fuzz('proving key', files.pk, containerFields(files.pk), true, runs(40), async (b) => {
        if (hex((await decodeProvingKey(b)).pk.vk.digest) !== digest) throw new Error('decoded to another key');
      });
      break;
    case 'verifying-key':
      out['verifying-key'] = await fuzz('verifying key', files.vk, containerFields(files.vk), true, runs(40), async (b) => {
        if (hex((await decodeVerifyingKey(b)).vk.digest) !== digest) throw new Error('decoded to another key');
      });
      break;
    case 'compiled-model':
      out['compiled-model'] = await fuzz('compiled model', files.bfm, containerFields(files.bfm), true, runs(50), (b) => {
        if (hex(architectureDigest(decodeCompiledModel(b).model)) !== architecture) throw new Error('decoded to another architecture');
      });
      break;
    case 'architecture': {
      // The canonical architecture bytes alone (no checksum, no digest around them): whatever decodes must be canonical.
      const bytes = encodeArchitecture(compiled.model);
      out.architecture = await fuzz('architecture', bytes, [], false, runs(200), (b) => {
        if (hex(encodeArchitecture(decodeArchitecture(b))) !== hex(b)) throw new Error('decoded bytes that do not re-encode to themselves');
      });
      break;
    }
    case 'ptau':
      out.ptau = await fuzz('ptau', ptau, [8, 12, 16, 20, 24, 28], false, runs(40), async (b) => {
        await readPtau(b);
      });
      break;
    case 'range-basis': {
      // A prepared range basis of the fixture ceremony, read back with it (every point checked against its powers).
      const srs = await readPtau(ptau, { maxG2: 2 });
      const basis = (await srs.rangeBasis(16))!;
      const bytes = encodeRangeBasis(basis, srs);
      out['range-basis'] = await fuzz('range basis', bytes, [8, 12], false, runs(40), async (b) => {
        const read = await decodeRangeBasis(b, srs);
        if (![read.vanishing, read.shiftedVanishing, ...read.kBasis].every((p, i) => p.equals([basis.vanishing, basis.shiftedVanishing, ...basis.kBasis][i])))
          throw new Error('accepted another range basis');
      });
      break;
    }
    case 'onnx':
      out.onnx = await fuzz('onnx', onnx, [], false, runs(200), (b) => {
        buildGraph(parseOnnx(b));
      });
      break;
    default:
      throw new Error(`unknown format ${format}`);
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
