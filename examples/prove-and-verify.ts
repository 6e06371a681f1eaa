/**
 * Proves one inference of the sample MLP that ships with blockfold, then verifies it, with the library API.
 *
 * Run it after `npm install blockfold` with `npx tsx prove-and-verify.ts` in an ES module project (`"type": "module"` in
 * its package.json: the example uses top-level await), or in a checkout of the repository
 * with `node --import tsx examples/prove-and-verify.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, createInsecureDevSrs, prove, quantizeFeeds, setup, tensor, verify } from 'blockfold';

// The model and its sample input ship in the package (ZKTorch's sample MLP: 4 inputs, 4 outputs).
const onnx = readFileSync(fileURLToPath(import.meta.resolve('blockfold/models/zktorch-sample-mlp.onnx')));
const sample = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('blockfold/models/zktorch-sample-mlp.input.json')), 'utf8'));
const input = tensor([4], sample.input_data[0]);

// Calibration inputs fix the fixed-point scales; in practice, pass a few representative inputs.
const model = compile(onnx, [{ input }]);

// The development SRS is INSECURE (its τ comes from a public seed): for anything real, read a
// powers-of-tau ceremony file with readPtauFile instead.
const srs = await createInsecureDevSrs(Math.ceil(Math.log2(model.srsG1Powers)), { g1Powers: model.srsG1Powers, g2Powers: 2 });
const pk = await setup(model, srs); // pk.vk, the verifying key, holds the model commitment

const { statement, proof } = await prove(pk, quantizeFeeds(model, { input }));
const verdict = await verify(pk.vk, statement, proof.bytes);
console.log(`proof: ${proof.size.total} bytes; accepted: ${verdict.ok}`);

// verify reports the outputs the proof binds: the statement's integers, read back at the key's fixed-point scales.
if (verdict.ok) for (const o of verdict.outputs) console.log(`${o.name} = [${o.values.join(', ')}]`);
else process.exitCode = 1;
