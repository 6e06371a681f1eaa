/**
 * `printable` (`src/cli/printable.ts`): what the command line prints as text from strings it did not write holds no
 * character a terminal acts on, and every other character prints as itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/cli/printable';

test('printable escapes every C0 and C1 control, DEL and bidirectional formatting character, as JSON.stringify writes them, and leaves the rest', () => {
  assert.equal(printable('\r\x1b[2Kaccepted\noutput\t= [1]\x1b[8m'), '\\r\\u001b[2Kaccepted\\noutput\\t= [1]\\u001b[8m');
  const escaped = (c: number) => ({ 9: '\\t', 10: '\\n', 13: '\\r' })[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
  const controls = [...Array.from({ length: 0x20 }, (_, c) => c), 0x7f, 0x80, 0x9b, 0x9f, 0x61c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069];
  for (const c of controls) assert.equal(printable(`a${String.fromCharCode(c)}b`), `a${escaped(c)}b`, `U+${c.toString(16)}`);
  const plain = 'output "y" = [0, 0.1104, −3.5e-7] τ Z_S(τ) ≈ 1.2 KB ✓ 模型 é';
  assert.equal(printable(plain), plain);
  assert.equal(printable(''), '');
});
