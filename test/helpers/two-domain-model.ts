/**
 * A one-MatMul model whose input (8 cells) and output (2 cells) lie on different domains, so that a key holds two
 * Lagrange bases (`keyLagrangeDomains`): the sample MLP's input and output share one domain, and a check that reads
 * only one of a key's bases passes on it.
 */
import { tensor } from '../../src/model/tensor';
import { compile } from '../../src/pipeline/compile';
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
