/**
 * `prove` checks its integer inputs against the bounds in the proving key before any proving (issue 12,
 * finding 7: out-of-bound integers failed deep inside a block). A key compiled in this process also runs the
 * quantized interpreter, which checks the same bounds; a key read from its file has no interpreter, so the
 * check at the door is all there is, and this test uses such a key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/model/index';
import { decodeProvingKey } from '../../src/pipeline/artifacts';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { prove } from '../../src/pipeline/prove-verify';
import { sampleArtifacts } from '../helpers/sample-artifacts';

test('a proving key read from its file refuses an input integer just outside its bound, naming the input and the bound', async () => {
  const { compiled, feeds, files } = await sampleArtifacts();
  const { pk } = await decodeProvingKey(files.pk);
  const inputs = quantizeFeeds(compiled.model, feeds);
  const [layout] = pk.model.inputs;
  const row = inputs[layout.id][0];
  for (const v of [layout.bound[1] + 1n, layout.bound[0] - 1n, 1n << 100n]) {
    const bad = { ...inputs, [layout.id]: [[v, ...row.slice(1)]] };
    await assert.rejects(
      prove(pk, bad),
      (e: unknown) => e instanceof InputError && e.message.includes(`input "${layout.name}"`) && /outside the bound/.test(e.message),
      `integer ${v}`,
    );
  }
  // The bound itself passes the door (an activation it drives out of its calibrated range is another error).
  const edge = { ...inputs, [layout.id]: [[layout.bound[1], ...row.slice(1)]] };
  await prove(pk, edge).catch((e: Error) => assert.doesNotMatch(e.message, /outside the bound/));
});
