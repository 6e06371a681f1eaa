// The prepared range-basis file (src/srs/range-basis-file.ts): written from a ceremony fixture's powers, read back with
// the ceremony (readPtau's rangeBases, readPtauFile's rangeBasisFiles), and refused with an SrsError naming the fault
// for every truncation, a bad magic or version, a size that is no table's, an invalid point, another SRS, and a valid
// file whose points are changed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { G1_ONE } from '../../src/curve';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { encodeG1 } from '../../src/encoding/points';
import { SrsError } from '../../src/errors';
import {
  createInsecureDevSrs,
  decodeRangeBasis,
  encodeRangeBasis,
  RANGE_BASIS_MAGIC,
  RANGE_BASIS_VERSION,
  rangeBasisSrsDigest,
  readPtau,
  readPtauFile,
  readRangeBasisFile,
  readRangeBasisFileBytes,
  writeRangeBasisFile,
} from '../../src/srs/index';

const engine = createWasmEngine();
after(() => engine.close());
/** A new temporary directory, removed when the file's tests end (one holds a sparse 1 GiB file). */
const made: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-range-'));
  made.push(dir);
  return dir;
};
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const ptauFile = fileURLToPath(new URL('../fixtures/ptau/bn254-p4-beacon.ptau', import.meta.url));
const ceremony = await readPtau(new Uint8Array(readFileSync(ptauFile)), { engine, maxG2: 2 });
const n = 16;
const basis = (await ceremony.rangeBasis(n, { engine }))!;
const file = encodeRangeBasis(basis, ceremony);

async function refused(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  await assert.rejects(decodeRangeBasis(bytes, ceremony, engine), (e: unknown) => {
    assert.ok(e instanceof SrsError, `expected SrsError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** A copy of `bytes` changed by `edit`. */
function edited(bytes: Uint8Array, edit: (b: Uint8Array, view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(copy, new DataView(copy.buffer));
  return copy;
}

test('a ceremony fixture\'s basis (computed from its powers) is written in 48 + 32·(n + 2) bytes and read back equal', async () => {
  assert.equal(file.length, 48 + 32 * (n + 2));
  assert.equal(new TextDecoder().decode(file.subarray(0, 8)), RANGE_BASIS_MAGIC);
  assert.deepEqual(file.subarray(16, 48), rangeBasisSrsDigest(ceremony, n));
  assert.deepEqual(rangeBasisSrsDigest(ceremony.truncate(n + 2, 2), n), rangeBasisSrsDigest(ceremony, n), 'any truncation holding the powers');
  const read = await decodeRangeBasis(file, ceremony, engine);
  assert.equal(read.size, n);
  assert.ok(read.vanishing.equals(basis.vanishing) && read.shiftedVanishing.equals(basis.shiftedVanishing));
  read.kBasis.forEach((k, v) => assert.ok(k.equals(basis.kBasis[v]), `K_${v}`));
});

test('every truncation, and an appended byte, is refused', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), async (length) => refused(file.subarray(0, length), /truncated range-basis file/)),
    { numRuns: 40 },
  );
  await refused(new Uint8Array([...file, 0]), /overlong range-basis file/);
});

test('a bad magic, another version, a size that is no table\'s are refused by name', async () => {
  await refused(edited(file, (b) => (b[0] ^= 1)), /bad magic/);
  for (const version of [0, RANGE_BASIS_VERSION + 1]) await refused(edited(file, (_, v) => v.setUint32(8, version, true)), new RegExp(`version ${version} is not supported`));
  await refused(edited(file, (_, v) => v.setUint32(12, 12, true)), /declares 12 entries/);
  // Another table size changes the expected length (and would need another SRS truncation).
  await refused(edited(file, (_, v) => v.setUint32(12, 8, true)), /overlong/);
});

test('an invalid point is refused with its index; a valid point changed is refused by the check', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: n + 1 }), async (i) => {
      // x = p − 1 + … : set the 254 bits below the flags to ones, an abscissa above p.
      await refused(edited(file, (b) => b.fill(0xff, 48 + 32 * i + 1, 48 + 32 * (i + 1)).fill(0x3f, 48 + 32 * i, 48 + 32 * i + 1)), new RegExp(`point ${i} is not a valid G1 encoding`));
    }),
    { numRuns: 10 },
  );
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: n + 1 }), fc.integer({ min: 2, max: 1000 }), async (i, k) => {
      await refused(edited(file, (b) => b.set(encodeG1(G1_ONE.multiply(BigInt(k))), 48 + 32 * i)), /K points/);
    }),
    { numRuns: 6 },
  );
  await refused(edited(file, (b) => b.set(encodeG1(basis.vanishing.double()), 48)), /\[Z_S\(τ\)\]₁/);
  await refused(edited(file, (b) => b.set(encodeG1(basis.vanishing), 48 + 32)), /\[τ·Z_S\(τ\)\]₁/);
});

test('a file of another SRS names both digests; one made for a larger table than the SRS holds is refused', async () => {
  const dev = await createInsecureDevSrs(5, { g2Powers: 2, engine });
  const devFile = encodeRangeBasis((await dev.rangeBasis(n))!, dev);
  const own = Buffer.from(rangeBasisSrsDigest(ceremony, n)).toString('hex');
  const theirs = Buffer.from(rangeBasisSrsDigest(dev, n)).toString('hex');
  await refused(devFile, new RegExp(`belongs to the SRS of digest ${theirs}, not to "ptau\\(power=4\\)" \\(digest ${own}`));
  // The same digest field with another SRS's points: the digest check passes, the points do not.
  await refused(edited(devFile, (b) => b.set(file.subarray(16, 48), 16)), /not the SRS's/);
  await assert.rejects(decodeRangeBasis(file, ceremony.truncate(n + 1, 2), engine), /needs 18 G1 and 2 G2 powers/);
});

test('readPtau and readPtauFile hold the prepared bases they are given (checked, not recomputed); the file is written whole', async () => {
  const dir = scratch();
  const path = join(dir, 'beacon.range-16.bin');
  await writeRangeBasisFile(path, basis, ceremony);
  assert.deepEqual(readdirSync(dir), ['beacon.range-16.bin'], 'no temporary left');
  assert.deepEqual(new Uint8Array(readFileSync(path)), file);
  const fromFile = await readPtauFile(ptauFile, { engine, maxG2: 2, rangeBasisFiles: [path] });
  assert.deepEqual(fromFile.rangeBasisSizes, [n]);
  const held = (await fromFile.rangeBasis(n))!;
  held.kBasis.forEach((k, v) => assert.ok(k.equals(basis.kBasis[v])));
  const fromBytes = await readPtau(new Uint8Array(readFileSync(ptauFile)), { engine, maxG2: 2, rangeBases: [file] });
  assert.deepEqual(fromBytes.rangeBasisSizes, [n]);
  assert.ok((await readRangeBasisFile(path, ceremony, engine)).vanishing.equals(basis.vanishing));
  await assert.rejects(readPtau(new Uint8Array(readFileSync(ptauFile)), { engine, maxG2: 2, rangeBases: [edited(file, (b) => (b[0] ^= 1))] }), /bad magic/);
  await assert.rejects(readPtauFile(ptauFile, { engine, maxG2: 2, rangeBasisFiles: [join(dir, 'missing.bin')] }), /ENOENT/);
  assert.equal(existsSync(join(dir, 'missing.bin')), false);
});

test('a large file that is no range basis (a .ptau given by mistake) is refused from its header, not read whole', async () => {
  const dir = scratch();
  const big = join(dir, 'not-a-basis.bin');
  // A sparse 1 GiB file: reading it whole would allocate 1 GiB before its magic is looked at.
  const fd = openSync(big, 'w');
  writeSync(fd, new Uint8Array([1]), 0, 1, 2 ** 30 - 1);
  closeSync(fd);
  const before = process.memoryUsage().arrayBuffers;
  for (const read of [() => readRangeBasisFileBytes(big), () => readRangeBasisFile(big, ceremony, engine), () => readPtauFile(ptauFile, { engine, maxG2: 2, rangeBasisFiles: [big] })])
    await assert.rejects(read(), (e: unknown) => e instanceof SrsError && /bad magic/.test(e.message));
  assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 26, 'less than 64 MiB allocated');
  // A file with a basis's header whose length is another size's is refused by its length, before its points are read.
  const short = join(dir, 'short.bin');
  const fd2 = openSync(short, 'w');
  writeSync(fd2, file.subarray(0, 48));
  writeSync(fd2, new Uint8Array([0]), 0, 1, 2 ** 30 - 1);
  closeSync(fd2);
  await assert.rejects(readRangeBasisFileBytes(short), /overlong range-basis file: 16 entries take 624 bytes, the file has 1073741824/);
});
