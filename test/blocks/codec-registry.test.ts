/**
 * The block codec registry (`blocks/codec-registry.ts`) and the built-in codecs (`blocks/builtin-codecs.ts`):
 * every built-in kind is registered under its own codec, and a second codec for a kind already known (a hostile
 * or careless override of a built-in, which would decode key files differently) is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_BLOCK_CODECS } from '../../blocks/builtin-codecs';
import { blockCodec, registerBlockCodec } from '../../blocks/codec-registry';
import { BlockfoldError } from '../../src/errors';

test('every built-in block kind has its codec registered, once', () => {
  const kinds = BUILTIN_BLOCK_CODECS.map((c) => c.kind);
  assert.equal(new Set(kinds).size, kinds.length, 'one codec per kind');
  for (const c of BUILTIN_BLOCK_CODECS) assert.equal(blockCodec(c.kind), c, c.kind);
  assert.equal(blockCodec('no-such-kind'), undefined);
});

test('a second codec for a registered kind is refused; registering the same codec again is harmless', () => {
  for (const c of BUILTIN_BLOCK_CODECS) {
    assert.throws(() => registerBlockCodec({ ...c }), (e: unknown) => e instanceof BlockfoldError && e.message.includes(`"${c.kind}" already has a codec`), c.kind);
    registerBlockCodec(c);
    assert.equal(blockCodec(c.kind), c);
  }
});
