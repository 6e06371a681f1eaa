// The development SRS's on-disk cache (src/srs/dev-cache.ts): a file another process wrote is read, checked against τ
// and gives the computed points; a file that fails any check (another point on the curve, two points swapped, a point
// off the curve, a truncation, another τ's file under this name, another format version) is ignored, the points are
// computed and the file written again; the process keeps what it read; openSrs goes through the cache, and
// BLOCKFOLD_DEV_SRS_CACHE moves it or turns it off (devSrsCacheDirectory, readFileIfReadable, makePrivateDirectory of src/files.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { G1_ONE, type G1Point } from '../../src/curve';
import type { Engine } from '../../src/engine/engine';
import { getDefaultEngine } from '../../src/engine/index';
import { encodeG1Uncompressed, G1_UNCOMPRESSED_BYTES } from '../../src/encoding/points';
import { openSrs } from '../../src/pipeline/api';
import { createInsecureDevSrs, devSrsTau } from '../../src/srs/dev';
import { devSrsCacheDirectory, makePrivateDirectory, readFileIfReadable } from '../../src/files';
import {
  cachedDevPoints,
  computedDevPoints,
  DEV_SRS_CACHE_MAGIC,
  DEV_SRS_CACHE_VERSION,
  devCacheFileName,
  devCacheKey,
  encodeDevCacheFile,
  readDevCacheFile,
} from '../../src/srs/dev-cache';
import { rangeBasisFromTau, rangeBasisScalars } from '../../src/srs/range-basis';

const engine = getDefaultEngine();
const SEED = 'dev-cache-test';
const tau = devSrsTau(SEED);
const HEADER = DEV_SRS_CACHE_MAGIC.length + 4 + 32;

/** `engine` with its fixed-base multiplications counted: a read from the cache makes none. */
function counting(inner: Engine): { engine: Engine; fixedBase: () => number } {
  let calls = 0;
  const engine = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'fixedBaseG1') return (...args: Parameters<Engine['fixedBaseG1']>) => (calls++, target.fixedBaseG1(...args));
      return Reflect.get(target, key, receiver);
    },
  });
  return { engine, fixedBase: () => calls };
}

const made: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-dev-cache-'));
  made.push(dir);
  return dir;
};
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const samePoints = (a: readonly G1Point[], b: readonly G1Point[]) => a.length === b.length && a.every((p, i) => p.equals(b[i]));

test('a dev SRS over the cache writes its G1 powers and range bases once; another process reads the same points and computes none', async () => {
  const plain = await createInsecureDevSrs(6, { seed: SEED, g1Powers: 40, g2Powers: 2, engine });
  const plainBasis = (await plain.rangeBasis(32))!;
  // A directory that does not exist yet: made, private to this user (makePrivateDirectory).
  const dir = join(fresh(), 'nested', 'cache');
  const first = counting(engine);
  const written = await createInsecureDevSrs(6, { seed: SEED, g1Powers: 40, g2Powers: 2, engine: first.engine, cacheDirectory: dir });
  const writtenBasis = (await written.rangeBasis(32))!;
  assert.equal(first.fixedBase(), 2, 'the G1 powers and the range basis computed');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(dir).sort(), [devCacheFileName('powers', tau, 40), devCacheFileName('range-basis', tau, 34)].sort(), 'two files, no temporary');
  assert.ok(samePoints(written.g1Powers, plain.g1Powers) && samePoints(writtenBasis.kBasis, plainBasis.kBasis));
  assert.deepEqual(written.digest, plain.digest);
  // Another process: files copied to a directory this process has not read yet, so they are read from disk.
  const other = fresh();
  for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(other, f));
  const second = counting(engine);
  const read = await createInsecureDevSrs(6, { seed: SEED, g1Powers: 40, g2Powers: 2, engine: second.engine, cacheDirectory: other });
  const readBasis = (await read.rangeBasis(32))!;
  assert.equal(second.fixedBase(), 0, 'no G1 point computed');
  assert.ok(samePoints(read.g1Powers, plain.g1Powers), 'G1 powers');
  assert.ok(readBasis.vanishing.equals(plainBasis.vanishing) && readBasis.shiftedVanishing.equals(plainBasis.shiftedVanishing) && samePoints(readBasis.kBasis, plainBasis.kBasis), 'range basis');
  // This process keeps what it read: the file is not read again, even when it is gone bad since.
  writeFileSync(join(other, devCacheFileName('powers', tau, 40)), 'gone');
  const again = await createInsecureDevSrs(6, { seed: SEED, g1Powers: 40, g2Powers: 2, engine: second.engine, cacheDirectory: other });
  assert.equal(second.fixedBase(), 0, 'nothing computed');
  assert.ok(samePoints(again.g1Powers, plain.g1Powers));
});

test('a cache file is checked against τ: a wrong point, a swap, an off-curve point, a truncation, another τ’s file or version is refused, and the points computed and written again', async () => {
  const scalars = rangeBasisScalars(tau, 16);
  const honest = await rangeBasisFromTau(tau, 16, engine);
  const points = [honest.vanishing, honest.shiftedVanishing, ...honest.kBasis];
  const key = devCacheKey('range-basis', tau, scalars.length);
  const file = encodeDevCacheFile(key, points);
  const at = (i: number) => HEADER + i * G1_UNCOMPRESSED_BYTES;
  const edited = (edit: (b: Uint8Array) => void) => {
    const b = file.slice();
    edit(b);
    return b;
  };
  assert.ok(samePoints(await computedDevPoints(engine)('range-basis', scalars), points), 'the scalars are the logarithms of the basis');
  const read = await readDevCacheFile(file, key, scalars, engine);
  assert.ok(read !== undefined && samePoints(read, points), 'the honest file');
  const forged: [string, Uint8Array][] = [
    ['K_3 moved by [1]₁, still on the curve', edited((b) => b.set(encodeG1Uncompressed(points[5].add(G1_ONE)), at(5)))],
    ['K_0 and K_1 swapped', edited((b) => (b.set(encodeG1Uncompressed(points[3]), at(2)), b.set(encodeG1Uncompressed(points[2]), at(3))))],
    ['[τ·Z_S]₁ off the curve', edited((b) => (b[at(2) - 1] ^= 1))],
    ['truncated', file.subarray(0, file.length - 1)],
    ['one point short', file.subarray(0, at(points.length - 1))],
    ['another τ’s key', edited((b) => b.set(devCacheKey('range-basis', tau + 1n, scalars.length), HEADER - 32))],
    ['another version', edited((b) => (b[DEV_SRS_CACHE_MAGIC.length] = DEV_SRS_CACHE_VERSION + 1))],
  ];
  for (const [what, bytes] of forged) assert.equal(await readDevCacheFile(bytes, key, scalars, engine), undefined, what);
  // Through the cache: a forged file under the right name is refused, the points computed, and the file replaced.
  for (const [what, bytes] of forged) {
    const dir = fresh();
    const name = devCacheFileName('range-basis', tau, scalars.length);
    writeFileSync(join(dir, name), bytes);
    const counted = counting(engine);
    const got = await cachedDevPoints(dir, tau, counted.engine)('range-basis', scalars);
    assert.ok(samePoints(got, points), what);
    assert.equal(counted.fixedBase(), 1, `${what}: computed`);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, name))), file, `${what}: written again`);
  }
});

test('openSrs goes through the cache of BLOCKFOLD_DEV_SRS_CACHE; off turns it off; a directory that cannot be written only costs the writing', async () => {
  const saved = process.env.BLOCKFOLD_DEV_SRS_CACHE;
  try {
    const dir = fresh();
    process.env.BLOCKFOLD_DEV_SRS_CACHE = dir;
    const cached = await openSrs({ kind: 'dev', seed: SEED }, 20);
    await cached.rangeBasis(16);
    assert.deepEqual(readdirSync(dir).sort(), [devCacheFileName('powers', tau, 20), devCacheFileName('range-basis', tau, 18)].sort());
    const held = counting(engine);
    await openSrs({ kind: 'dev', seed: SEED }, 20, held.engine);
    assert.equal(held.fixedBase(), 0, 'held by this process');
    process.env.BLOCKFOLD_DEV_SRS_CACHE = 'off';
    const computed = counting(engine);
    const uncached = await openSrs({ kind: 'dev', seed: SEED }, 20, computed.engine);
    assert.equal(computed.fixedBase(), 1, 'off: the G1 powers computed');
    assert.deepEqual(uncached.digest, cached.digest);
    // A file where the directory should be: nothing is written, the SRS is the same.
    const blocked = join(fresh(), 'a-file');
    writeFileSync(blocked, '');
    process.env.BLOCKFOLD_DEV_SRS_CACHE = blocked;
    const unwritten = await openSrs({ kind: 'dev', seed: SEED }, 24);
    assert.deepEqual(unwritten.digest, (await createInsecureDevSrs(5, { seed: SEED, g1Powers: 24, g2Powers: 2 })).digest);
    // The directory: the variable's, none for off, else one in the system's temporary directory.
    assert.equal(devSrsCacheDirectory(), blocked);
    delete process.env.BLOCKFOLD_DEV_SRS_CACHE;
    assert.equal(devSrsCacheDirectory(), join(tmpdir(), `blockfold-dev-srs-${process.getuid?.() ?? 'user'}`));
    process.env.BLOCKFOLD_DEV_SRS_CACHE = 'off';
    assert.equal(devSrsCacheDirectory(), undefined);
    assert.equal(await readFileIfReadable(join(dir, 'absent'), 0), undefined);
    assert.equal(await readFileIfReadable(join(blocked, 'below-a-file'), 0), undefined);
    // A file of another length is not read: a sparse 1 GiB file in a cache file's place costs no memory.
    const big = join(dir, 'big.bin');
    writeFileSync(big, 'x');
    truncateSync(big, 2 ** 30);
    const before = process.memoryUsage().arrayBuffers;
    assert.equal(await readFileIfReadable(big, 100), undefined);
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 26);
    assert.deepEqual(await readFileIfReadable(blocked, 0), new Uint8Array(0));
    // A cache directory open to others (as one another user made first would be) or a symbolic link is refused, so
    // nothing is written there; a private one of this user's is taken.
    const open = join(fresh(), 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    await assert.rejects(makePrivateDirectory(open), /not a directory of this user's closed to others/);
    const link = join(fresh(), 'link');
    symlinkSync(fresh(), link);
    await assert.rejects(makePrivateDirectory(link), /not a directory of this user's closed to others/);
    await makePrivateDirectory(join(fresh(), 'private'));
  } finally {
    if (saved === undefined) delete process.env.BLOCKFOLD_DEV_SRS_CACHE;
    else process.env.BLOCKFOLD_DEV_SRS_CACHE = saved;
  }
});
