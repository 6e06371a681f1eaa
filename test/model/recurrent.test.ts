/**
 * Recurrent ops (LSTM, GRU, RNN) are not supported: compiling a model with one names the node and says so, whichever
 * of its outputs the model reads (the state outputs too), instead of failing on a missing output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../src/model/errors';
import { tensor } from '../../src/model/tensor';
import { compile } from '../../src/pipeline/compile';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';

test('LSTM, GRU and RNN models fail with "op is not supported" naming the node', () => {
  const gates = { LSTM: 4, GRU: 3, RNN: 1 } as const;
  for (const [op, g] of Object.entries(gates)) {
    for (const outputs of [['y'], ['', 'h']]) {
      const read = outputs.find((o) => o !== '')!;
      const bytes = encodeModel({
        inputs: [valueInfo('x', [3, 1, 2])],
        outputs: [valueInfo(read, read === 'y' ? [3, 1, 1, 4] : [1, 1, 4])],
        initializers: [floatData('w', [1, g * 4, 2], new Array(g * 8).fill(0.1)), floatData('r', [1, g * 4, 4], new Array(g * 16).fill(0.1))],
        nodes: [node(op, ['x', 'w', 'r'], outputs, [attr.int('hidden_size', 4)], `my_${op}`)],
      });
      assert.throws(
        () => compile(bytes, [{ x: tensor([3, 1, 2], [1, 2, 3, 4, 5, 6]) }]),
        (e: unknown) => e instanceof UnsupportedOpError && e.node === `my_${op}` && e.opType === op && /op is not supported/.test(e.message),
        `${op} reading ${read}`,
      );
    }
  }
});
