/**
 * A block's parameter bytes through its registered codec, both ways, for codec tests: `encodeParams` writes them,
 * `decodeParams` reads them back under the graph limits a key would impose and requires every byte to be read.
 * @module
 */
import type { Block } from '../../blocks/block';
import { CellBudget, ParamReader, type ParamLimits } from '../../blocks/codec';
import { blockCodec } from '../../blocks/codec-registry';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';

/** The parameter bytes the codec of `block.kind` writes for `block`. */
export function encodeParams(block: Block): number[] {
  const w = new ByteWriter();
  blockCodec(block.kind)!.encode(block, w);
  return [...w.bytes()];
}

/** The block of kind `kind` the codec reads from `bytes` under `limits` (an error if a byte is left over). */
export function decodeParams<B extends Block>(kind: string, bytes: ArrayLike<number>, limits: ParamLimits): B {
  const r = new ParamReader(new ByteReader(Uint8Array.from(bytes)), limits, new CellBudget(1 << 20));
  const block = blockCodec(kind)!.decode(r) as B;
  r.finish(`${kind} parameters`);
  return block;
}
