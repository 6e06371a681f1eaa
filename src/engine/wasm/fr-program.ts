/**
 * {@link Engine.frProgram} on the kernels: the registers in scratch memory as Montgomery elements, the inputs and
 * constants converted in with one call, the instructions run by `fr_straightLine` (wasm/straight-line.ts) in one
 * call, the outputs (consecutive registers) converted back with one call.
 * @module
 */
import type { Engine } from '../engine';
import { checkProgramInputs, type FrProgram } from '../fr-program';
import { readWordsArray, writeWordsArray } from './codec';
import { FR_BYTES, type Kernels } from './kernels';

/** `program`'s outputs on `inputs`, canonical (see {@link Engine.frProgram}). */
export function runFrProgramWasm(kernels: Kernels, program: FrProgram, inputs: readonly bigint[]): bigint[] {
  checkProgramInputs(program, inputs);
  const loaded = program.inputs + program.constants.length;
  return kernels.scratch((alloc) => {
    const regs = alloc(program.registers * FR_BYTES);
    const words = alloc(Math.max(loaded, program.outputs) * 32);
    const code = alloc(program.words.byteLength);
    const memory = kernels.exports.memory.buffer;
    // Outputs and temporaries start at 0 (zero limbs are the Montgomery form of 0).
    new Uint8Array(memory, regs + loaded * FR_BYTES, (program.registers - loaded) * FR_BYTES).fill(0);
    new Uint32Array(memory, code, program.words.length).set(program.words);
    const view = kernels.view();
    writeWordsArray(view, words, inputs);
    writeWordsArray(view, words + 32 * inputs.length, program.constants);
    kernels.exports.fr_fromWordsN(regs, words, loaded);
    kernels.exports.fr_straightLine(regs, code, program.words.length / 4);
    kernels.exports.fr_toWordsN(words, regs + loaded * FR_BYTES, program.outputs);
    return readWordsArray(view, words, program.outputs);
  });
}
