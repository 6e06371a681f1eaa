/**
 * Straight-line programs over Fr: a fixed sequence of products, sums and differences of registers, written once (per
 * protocol, say) and run on new inputs many times ({@link Engine.frProgram}). A verifier's scalar work of one proof,
 * thousands of products of a few hundred slot values in an order the protocol fixes, then runs in the kernels in one
 * call instead of as thousands of bigint products and reductions (about 0.4 µs each, against a few tens of ns).
 *
 * Registers are numbered from 0: first the inputs (given per run), then the constants (fixed by the program), then
 * the outputs (read back per run), then temporaries; every register other than an input or a constant starts at 0.
 * @module
 */
import { EngineError } from '../errors';
import { Fr, R } from '../field';

/** Instruction codes (wasm/straight-line.ts reads them). */
const MUL = 0;
const ADD = 1;
const SUB = 2;

/** A straight-line program: `r_d = r_a·r_b`, `r_a + r_b` or `r_a − r_b`, in order (see the module comment). */
export interface FrProgram {
  /** The number of inputs, registers `0 … inputs − 1`. */
  readonly inputs: number;
  /** The constants (canonical Fr elements), the registers from `inputs` on. */
  readonly constants: readonly bigint[];
  /** The number of outputs, the registers from `inputs + constants.length` on. */
  readonly outputs: number;
  /** Registers in all. */
  readonly registers: number;
  /** Four u32 words per instruction: op (0 product, 1 sum, 2 difference), d, a, b. */
  readonly words: Uint32Array;
}

/** A register of a program being written: its region and its index there (placed when the program is finished). */
export interface Register {
  readonly region: 'input' | 'constant' | 'output' | 'temporary';
  readonly index: number;
}

/** Writes an {@link FrProgram}: registers by region, instructions in order. */
export class FrProgramWriter {
  private readonly counts = { input: 0, constant: 0, output: 0, temporary: 0 };
  private readonly constants: bigint[] = [];
  private readonly constantOf = new Map<bigint, Register>();
  private readonly code: [number, Register, Register, Register][] = [];

  /** The next input register (inputs are given in the order of these calls). */
  input(): Register {
    return { region: 'input', index: this.counts.input++ };
  }

  /** A register holding the constant `c mod r` (any integer c; one register per distinct element). */
  constant(value: bigint): Register {
    const c = ((value % R) + R) % R;
    let r = this.constantOf.get(c);
    if (r === undefined) {
      this.constantOf.set(c, (r = { region: 'constant', index: this.counts.constant++ }));
      this.constants.push(c);
    }
    return r;
  }

  /** The next output register (read back in the order of these calls), 0 until written. */
  output(): Register {
    return { region: 'output', index: this.counts.output++ };
  }

  /** A new temporary register, 0 until written. */
  temporary(): Register {
    return { region: 'temporary', index: this.counts.temporary++ };
  }

  /** `d = a·b`. */
  mul(d: Register, a: Register, b: Register): void {
    this.code.push([MUL, d, a, b]);
  }

  /** `d = a + b`. */
  add(d: Register, a: Register, b: Register): void {
    this.code.push([ADD, d, a, b]);
  }

  /** `d = a − b`. */
  sub(d: Register, a: Register, b: Register): void {
    this.code.push([SUB, d, a, b]);
  }

  /** A new temporary holding `a·b`. */
  product(a: Register, b: Register): Register {
    const d = this.temporary();
    this.mul(d, a, b);
    return d;
  }

  /** The program: registers placed input, constant, output, temporary. */
  finish(): FrProgram {
    const { input, constant, output, temporary } = this.counts;
    const base = { input: 0, constant: input, output: input + constant, temporary: input + constant + output };
    const words = new Uint32Array(4 * this.code.length);
    this.code.forEach(([op, d, a, b], i) => {
      words[4 * i] = op;
      words[4 * i + 1] = base[d.region] + d.index;
      words[4 * i + 2] = base[a.region] + a.index;
      words[4 * i + 3] = base[b.region] + b.index;
    });
    return { inputs: input, constants: this.constants, outputs: output, registers: base.temporary + temporary, words };
  }
}

/**
 * Refuses, as every engine's {@link Engine.frProgram} does, inputs of the wrong count or not canonical, and a program
 * that is not well formed: an instruction code other than the three, a register outside `program.registers` (the
 * kernels would read and write memory beyond the program's registers), or constants that do not fit their region.
 * A program comes from {@link FrProgramWriter}, which writes none of these; the check is a few comparisons per
 * instruction, against a product each.
 */
export function checkProgramInputs(program: FrProgram, inputs: readonly bigint[]): void {
  if (inputs.length !== program.inputs) throw new EngineError(`a program of ${program.inputs} inputs was given ${inputs.length}`);
  for (const x of inputs) if (x < 0n || x >= R) throw new EngineError('a program input is not a canonical Fr element');
  const { words, registers } = program;
  if (!Number.isInteger(registers) || registers < program.inputs + program.constants.length + program.outputs || words.length % 4 !== 0)
    throw new EngineError('a program whose registers do not hold its inputs, constants and outputs, or whose code is not whole instructions');
  for (const c of program.constants) if (c < 0n || c >= R) throw new EngineError('a program constant is not a canonical Fr element');
  for (let p = 0; p < words.length; p += 4)
    if (words[p] > SUB || words[p + 1] >= registers || words[p + 2] >= registers || words[p + 3] >= registers)
      throw new EngineError(`instruction ${p / 4} of a program of ${registers} registers is not one (code ${words[p]}, registers ${words[p + 1]}, ${words[p + 2]}, ${words[p + 3]})`);
}

/** Runs `program` on `inputs` in bigints (the reference engine's {@link Engine.frProgram}): its outputs, canonical. */
export function runFrProgram(program: FrProgram, inputs: readonly bigint[]): bigint[] {
  checkProgramInputs(program, inputs);
  const r = new Array<bigint>(program.registers).fill(0n);
  inputs.forEach((x, i) => (r[i] = x));
  program.constants.forEach((c, i) => (r[program.inputs + i] = c));
  const w = program.words;
  for (let p = 0; p < w.length; p += 4) {
    const a = r[w[p + 2]];
    const b = r[w[p + 3]];
    r[w[p + 1]] = w[p] === MUL ? Fr.mul(a, b) : w[p] === ADD ? Fr.add(a, b) : Fr.sub(a, b);
  }
  const first = program.inputs + program.constants.length;
  return r.slice(first, first + program.outputs);
}
