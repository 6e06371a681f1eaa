/**
 * The block codec registry, keyed by {@link Block.kind}: the built-in codecs, plus the codecs of custom blocks
 * registered through {@link registerBlockCodec}. A key file can only hold blocks whose kind has a codec here, and
 * is read back with the same registry.
 * @module
 */
import { BlockfoldError } from '../src/errors';
import type { Block } from './block';
import { BUILTIN_BLOCK_CODECS } from './builtin-codecs';
import type { BlockCodec } from './codec';

const registry = new Map<string, BlockCodec>(BUILTIN_BLOCK_CODECS.map((c) => [c.kind, c]));

/**
 * Registers the codec of a custom block kind, so that a model holding such blocks can be saved in key files and
 * read back. A kind has one codec: registering another for a kind already registered (a built-in one included) is
 * a {@link BlockfoldError}; registering the same codec again is allowed.
 *
 * @example
 * ```ts
 * import { registerBlockCodec } from 'blockfold/blocks';
 *
 * registerBlockCodec<SquareBlock>({
 *   kind: 'square',
 *   encode: (block, w) => void w.uvarint(block.domain),
 *   decode: (r) => new SquareBlock(r.domain('square domain')),
 * });
 * ```
 */
export function registerBlockCodec<B extends Block>(codec: BlockCodec<B>): void {
  const known = registry.get(codec.kind);
  if (known && known !== codec) throw new BlockfoldError('BLOCK', `block kind "${codec.kind}" already has a codec`);
  registry.set(codec.kind, codec as unknown as BlockCodec);
}

/** The codec of a block kind, if one is registered. */
export function blockCodec(kind: string): BlockCodec | undefined {
  return registry.get(kind);
}
