/**
 * A one-MatMul model whose input (8 cells) and output (2 cells) lie on different domains, so that a key holds two
 * Lagrange bases (`keyLagrangeDomains`): the sample MLP's input and output share one domain, and a check that reads
 * only one of a key's bases passes on it.
 */
import { tensor } from '../../src/model/tensor';
import { compile, type CompileOptions } from '../../src/pipeline/compile';
import { encodeModel, floatRaw, node, valueInfo } from '../onnx/builder';

const cells = [0.5, -0.25, 0.125, 0.75, 0.25, 0.5, -0.375, 0.125];

/** The model compiled, calibrated on one input. */
export function compileTwoDomainModel(): ReturnType<typeof compile> {
  const onnx = encodeModel({
    inputs: [valueInfo('x', [1, 8])],
    outputs: [valueInfo('y', [1, 2])],
    initializers: [floatRaw('w', [8, 2], [...cells, ...cells.map((v) => -v)])],
    nodes: [node('MatMul', ['x', 'w'], ['y'])],
  });
  return compile(onnx, [{ x: tensor([1, 8], cells) }]);
}

/**
 * A two-layer MLP whose hidden layer of 10 cells is padded to H_16 while its input (8 cells) and output (2 cells) lie
 * on H_8 and H_2: its hidden rescale's linear check reads the selector of H_16's first 10 cells, a domain on which a
 * verifying key holds no Lagrange basis, so a verifier reads that selector's commitment from the key
 * (`VerifyingKey.verifierCommitments`) or has to make it from the powers. `options` are compile's (visibility).
 */
export function compilePaddedHiddenModel(options: CompileOptions = {}): ReturnType<typeof compile> {
  const hidden = Array.from({ length: 80 }, (_, i) => ((i * 37) % 17) / 16 - 0.5);
  const out = Array.from({ length: 20 }, (_, i) => ((i * 11) % 7) / 8 - 0.375);
  const onnx = encodeModel({
    inputs: [valueInfo('x', [1, 8])],
    outputs: [valueInfo('y', [1, 2])],
    initializers: [floatRaw('w1', [8, 10], hidden), floatRaw('w2', [10, 2], out)],
    nodes: [node('MatMul', ['x', 'w1'], ['h']), node('Relu', ['h'], ['r']), node('MatMul', ['r', 'w2'], ['y'])],
  });
  return compile(onnx, [{ x: tensor([1, 8], cells) }], options);
}
