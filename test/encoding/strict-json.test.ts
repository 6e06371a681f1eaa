// parseJsonUniqueKeys (src/encoding/strict-json.ts): JSON.parse's value when every object's keys are distinct; a key
// written twice in any object, at any depth, is refused naming it and where; escapes and strings holding JSON
// punctuation do not confuse the scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonKeyError, parseJsonUniqueKeys } from '../../src/encoding/strict-json';

test('parseJsonUniqueKeys gives JSON.parse\'s value for any JSON value (fast-check), and refuses a key written twice at any depth', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v);
      assert.deepEqual(parseJsonUniqueKeys(text), JSON.parse(text));
    }),
  );
  const twice = (text: string, key: string, where: string) =>
    assert.throws(() => parseJsonUniqueKeys(text), (e: unknown) => e instanceof JsonKeyError && e.message === `the key ${JSON.stringify(key)} is written twice in ${where}`);
  twice('{"a":1,"a":2}', 'a', '$');
  twice('{"s":{"o":{"x":[1],"x":[2]}}}', 'x', '$.s.o');
  twice('[{"k":1},{"k":1,"k":1}]', 'k', '$[]');
  twice('{"a\\u0062":1,"ab":2}', 'ab', '$');
  // Equal keys in different objects, and keys inside strings, are not twice.
  assert.deepEqual(parseJsonUniqueKeys('{"a":{"a":1},"b":[{"a":2},{"a":3}],"c":"\\"a\\":{,}"}'), { a: { a: 1 }, b: [{ a: 2 }, { a: 3 }], c: '"a":{,}' });
  assert.throws(() => parseJsonUniqueKeys('{"a":'), SyntaxError);
  assert.deepEqual(parseJsonUniqueKeys('\ufeff{"a":[1]}'), { a: [1] }, 'a leading byte-order mark is read past');
  assert.throws(() => parseJsonUniqueKeys('\ufeff{"a":1,"a":2}'), JsonKeyError);
});
