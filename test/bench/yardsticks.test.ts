/**
 * The yardsticks of the end-to-end bench: A (every ONNX node output, once) as issue 9 counts it for the bundled
 * models, the helper-cell count of a poly-IOP spec (committed message oracles and accumulators, plus the quotient),
 * and the benches' subjects (a bundled model or a ladder rung by name).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activationCount } from '../../bench/floor';
import { aggregateSubject, specHelperCells } from '../../bench/e2e';
import { benchSubject, transformerModel } from '../../bench/ladder';
import { at, lagrangePoly, pub, shiftedAt, term, type PolyIopSpec } from '../../blocks/poly-iop';

const MODELS = new URL('../../../shared/models/', import.meta.url);

test('A counts every ONNX node output once (the figures of the bundled models)', () => {
  const a = (m: string) => activationCount(readFileSync(new URL(`${m}.onnx`, MODELS)));
  assert.equal(a('fashion-mlp'), 784 + 64 + 64 + 10);
  assert.equal(a('fashion-cnn'), 10_986);
  assert.equal(a('fashion-attn'), 9_498);
});

test('helper cells: message oracles and the running sums\' accumulators at their domain size, and the one quotient of max (d − 1)·n', () => {
  const spec: PolyIopSpec = {
    foldKey: 'cells',
    statement: [{ name: 'F', sort: 'g1', origin: 'statement' }],
    slots: [{ name: 'G', sort: 'g1', origin: 'message' }, { name: 'H', sort: 'g1', origin: 'message' }],
    rounds: [{ kind: 'message', slots: ['G', 'H'] }],
    oracles: [{ name: 'f', domain: 8, commitment: 'F' }, { name: 'g', domain: 8, commitment: 'G' }, { name: 'h', domain: 4, commitment: 'H' }],
    publics: [lagrangePoly(8, 0), lagrangePoly(4, 0)],
    identities: [
      { name: 'cubic', domain: 8, terms: [term(1, at('f'), at('g'), pub('L0/8')), term(-1, shiftedAt('g'))] },
      { name: 'linear', domain: 4, terms: [term(1, at('h')), term(-1, pub('L0/4'))] },
    ],
  };
  // g and h are prover messages (8 + 4 cells), f is a statement; the quotient: max((3 − 1)·8, (1 − 1)·4).
  assert.equal(specHelperCells(spec), 8 + 4 + 16);
  // Two sum claims on H_4 share one accumulator (4 cells); its transition is linear, the quotient unchanged.
  const claims = [0, 1].map((i) => ({ name: `s${i}`, domain: 4, summand: [term(1, at('h'))] }));
  assert.equal(specHelperCells({ ...spec, sums: claims }), 8 + 4 + 4 + 16);
  assert.equal(aggregateSubject(2), 'aggregate×2');
});

test('benchSubject: a bundled model by name (its file and feeds), a ladder rung by name; another name is refused', () => {
  const sample = benchSubject('zktorch-sample-mlp');
  assert.ok(Buffer.from(sample.onnx).equals(readFileSync(new URL('zktorch-sample-mlp.onnx', MODELS))));
  assert.equal(sample.feeds.length, 1);
  const rung = benchSubject('transformer-2');
  assert.deepEqual(rung.onnx, transformerModel(2).onnx);
  assert.equal(rung.feeds.length, transformerModel(2).feeds.length);
  assert.throws(() => benchSubject('no-such-model'));
});
