/**
 * Test helpers for artifact files: rewrite a file's JSON header or blobs and fix the checksum (a consistent
 * file whose content is wrong), and enumerate single-field forgeries of a header.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

/** Header and blobs of an artifact container (see `src/pipeline/artifacts.ts`), without checking anything. */
export function splitContainer(bytes: Uint8Array): { prefix: Uint8Array; header: Record<string, any>; blobs: Uint8Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = view.getUint32(6, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(10, 10 + n)));
  let at = 10 + n;
  const count = view.getUint32(at, true);
  at += 4;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(at, true);
    blobs.push(bytes.slice(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return { prefix: bytes.slice(0, 6), header, blobs };
}

/** Rewrites a file's header and blobs and recomputes the checksum. */
export function rewriteFile(bytes: Uint8Array, edit: (header: Record<string, any>, blobs: Uint8Array[]) => void): Uint8Array {
  const { prefix, header, blobs } = splitContainer(bytes);
  edit(header, blobs);
  return sealContainer(prefix, JSON.stringify(header), blobs);
}

/** Rewrites a file's header as text, which can say what no JSON value holds (a key written twice), and recomputes the checksum. */
export function rewriteHeaderText(bytes: Uint8Array, edit: (json: string) => string): Uint8Array {
  const { prefix, header, blobs } = splitContainer(bytes);
  return sealContainer(prefix, edit(JSON.stringify(header)), blobs);
}

/** A container from its prefix (magic, version, kind), header text and blobs, with its checksum. */
function sealContainer(prefix: Uint8Array, header: string, blobs: readonly Uint8Array[]): Uint8Array {
  const json = new TextEncoder().encode(header);
  // Written into one buffer: a proving key is megabytes, too many for an array of numbers.
  const out = new Uint8Array(prefix.length + 8 + json.length + blobs.reduce((n, b) => n + 4 + b.length, 0) + 32);
  const view = new DataView(out.buffer);
  let at = 0;
  const put = (b: Uint8Array) => (out.set(b, at), (at += b.length));
  const u32 = (x: number) => (view.setUint32(at, x, true), (at += 4));
  put(prefix);
  u32(json.length);
  put(json);
  u32(blobs.length);
  for (const b of blobs) {
    u32(b.length);
    put(b);
  }
  out.set(keccak_256(out.subarray(0, at)), at);
  return out;
}

/** Rewrites a file's JSON header and fixes the checksum. */
export function rewriteHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  return rewriteFile(bytes, (h) => edit(h));
}

type Path = readonly (string | number)[];
const DELETE = Symbol('delete');

/** Changed values of one JSON value: numbers moved, strings altered (hex stays hex, decimals stay decimal), arrays shortened and extended, objects given an extra field. */
function variants(v: unknown): unknown[] {
  if (typeof v === 'number') return [v + 1, -v - 1, 1e300];
  if (typeof v === 'boolean') return [!v];
  if (typeof v === 'string') {
    if (/^-?[0-9]+$/.test(v)) return [String(BigInt(v) + 1n)];
    if (/^([0-9a-f]{2})+$/.test(v)) return [v.slice(0, -1) + (v.endsWith('0') ? '1' : '0')];
    return [`${v}x`, ''];
  }
  if (v === null) return [0];
  if (Array.isArray(v)) return v.length > 0 ? [v.slice(0, -1), [...v, v[v.length - 1]], [...v].reverse()] : [[0]];
  return [{ ...(v as object), extra: 1 }];
}

/** A single-field forgery of a header: where, what, and the edit. */
export interface Forgery {
  readonly where: string;
  readonly apply: (header: Record<string, any>) => void;
}

/**
 * Every field of a header changed in every way {@link variants} knows, plus each field deleted; array
 * elements of the same field (the same path with indices as `*`) are forged once, at their first occurrence.
 */
export function headerForgeries(header: Record<string, unknown>): Forgery[] {
  const out: Forgery[] = [];
  const seen = new Set<string>();
  const set = (h: any, path: Path, value: unknown) => {
    const parent = path.slice(0, -1).reduce((o, k) => o[k], h);
    const key = path[path.length - 1];
    if (value === DELETE) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else parent[key] = value;
  };
  const walk = (v: unknown, path: Path) => {
    const signature = path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');
    if (path.length > 0 && !seen.has(signature)) {
      seen.add(signature);
      for (const x of [...variants(v), DELETE]) out.push({ where: `${path.join('.')} → ${x === DELETE ? 'deleted' : JSON.stringify(x).slice(0, 40)}`, apply: (h) => set(h, path, x === DELETE ? DELETE : structuredClone(x)) });
    }
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
  };
  walk(header, []);
  out.push({ where: 'extra top-level field', apply: (h) => (h.extra = 1) });
  return out;
}
