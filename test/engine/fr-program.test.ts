/**
 * `Engine.frProgram`: straight-line programs over Fr written with `FrProgramWriter` (src/engine/fr-program.ts) and run
 * by `runFrProgram` (the reference engine, bigints) and by the kernels (`runFrProgramWasm`, wasm/straight-line.ts).
 * A program written by hand computes what its instructions say (a constant given as any integer is taken mod r),
 * outputs never written read 0; random programs
 * (products, sums and differences, a destination equal to an operand, constants 0, 1, r − 1 and full-width ones, inputs
 * at the field's edges) give the same outputs on both engines (fast-check); a wrong number of inputs or an input
 * that is no canonical element is refused with the engine's typed error by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { checkProgramInputs, FrProgramWriter, runFrProgram, type Register } from '../../src/engine/fr-program';
import { EngineError } from '../../src/errors';
import { Fr, R } from '../../src/field';

const wasm = createWasmEngine();
const reference = createReferenceEngine();

test.after(() => wasm.close());

test('a program written by hand: its outputs, in order, and 0 for an output never written', () => {
  const p = new FrProgramWriter();
  const [x, y] = [p.input(), p.input()];
  // The third output is never written.
  const [sum, cube, , difference] = [p.output(), p.output(), p.output(), p.output()];
  p.add(sum, x, p.constant(7n));
  p.mul(cube, p.product(x, x), x);
  // −1 is the constant r − 1.
  p.sub(difference, y, p.product(x, p.constant(-1n)));
  // A destination that is one of its operands: sum ← sum + sum.
  p.add(sum, sum, sum);
  const program = p.finish();
  assert.equal(program.inputs, 2);
  assert.deepEqual(program.constants, [7n, R - 1n]);
  assert.equal(program.outputs, 4);
  const x0 = R - 3n;
  const y0 = 5n;
  const expected = [Fr.mul(2n, Fr.add(x0, 7n)), Fr.mul(Fr.mul(x0, x0), x0), 0n, Fr.add(y0, x0)];
  for (const engine of [reference, wasm]) assert.deepEqual(engine.frProgram(program, [x0, y0]), expected, engine.name);
  assert.deepEqual(runFrProgram(program, [x0, y0]), expected);
});

const element = fc.oneof(fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n), fc.bigInt({ min: 0n, max: R - 1n }));

test('random programs: the kernels and the reference engine agree', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(element, { maxLength: 4 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 60 }),
      fc.array(element, { minLength: 6, maxLength: 6 }),
      (outputs, constants, code, inputs) => {
        const p = new FrProgramWriter();
        const registers: Register[] = [...inputs.map(() => p.input()), ...constants.map((c) => p.constant(c))];
        const outs = Array.from({ length: outputs }, () => p.output());
        registers.push(...outs);
        for (const [op, d, a, b, fresh] of code) {
          const pick = (i: number) => registers[i % registers.length];
          const to = fresh ? p.temporary() : outs[d % outs.length];
          [p.mul, p.add, p.sub][op].call(p, to, pick(a), pick(b));
          if (fresh) registers.push(to);
        }
        const program = p.finish();
        assert.deepEqual(wasm.frProgram(program, inputs), reference.frProgram(program, inputs));
      },
    ),
    { numRuns: 200 },
  );
});

test('a wrong number of inputs, an input that is no canonical element, or a program that is not well formed is refused by both engines', () => {
  const p = new FrProgramWriter();
  const x = p.input();
  p.mul(p.output(), x, x);
  const program = p.finish();
  for (const engine of [reference, wasm]) {
    assert.throws(() => engine.frProgram(program, []), EngineError, engine.name);
    assert.throws(() => engine.frProgram(program, [1n, 2n]), EngineError, engine.name);
    assert.throws(() => engine.frProgram(program, [R]), EngineError, engine.name);
    assert.throws(() => engine.frProgram(program, [-1n]), EngineError, engine.name);
    assert.deepEqual(engine.frProgram(program, [R - 1n]), [1n], engine.name);
    // A register beyond the program's (the kernels would write past its registers), an unknown code, a partial
    // instruction, a non-canonical constant, too few registers: each refused before anything runs.
    const edited = (w: (words: Uint32Array) => void, extra: Partial<typeof program> = {}) => {
      const words = program.words.slice();
      w(words);
      return { ...program, ...extra, words };
    };
    for (const bad of [
      edited((w) => (w[1] = program.registers)),
      edited((w) => (w[3] = 1 << 30)),
      edited((w) => (w[0] = 3)),
      { ...program, words: program.words.slice(0, 3) },
      { ...program, constants: [R] },
      { ...program, registers: 1 },
    ])
      assert.throws(() => engine.frProgram(bad, [2n]), EngineError, engine.name);
  }
  // The shared check both engines run first.
  assert.doesNotThrow(() => checkProgramInputs(program, [2n]));
  assert.throws(() => checkProgramInputs({ ...program, registers: 1 }, [2n]), /registers do not hold/);
});
