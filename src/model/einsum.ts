/**
 * Einsum of one or two operands as public index maps: every output cell o is `Σ_c Π_k x_k[map_k(o, c)]` over the
 * cells c of the contracted (summed) indices, so the equation becomes, per operand, a copy into rows [O, C]; the
 * quantizer multiplies the two copies cell by cell and sums the rows. Repeated indices in an operand (a diagonal),
 * transposes, sums and products are all this one form. `...` stands for the same leading axes in every operand.
 * @module
 */
import type { OnnxNode } from '../onnx/types';
import { attrString } from './attributes';
import { ShapeError } from './errors';
import { unsupported } from './node-inputs';
import type { Op } from './op';
import { sizeOf, stridesOf, type Shape } from './shape';

/** Largest O·C the copies may hold: past it the rows dwarf any model's own tensors. */
export const MAX_EINSUM_PRODUCTS = 1 << 20;

/** Letters standing for the axes `...` covers (not letters an equation may use). */
const ELLIPSIS_LETTERS = '0123456789';

/** The Einsum op of `node` over operands of `shapes`: the output shape, the count C of summed cells, one map per operand. */
export function resolveEinsum(node: OnnxNode, shapes: readonly Shape[]): Extract<Op, { type: 'Einsum' }> {
  const equation = attrString(node, 'equation', '').replace(/\s+/g, '');
  if (shapes.length < 1 || shapes.length > 2) unsupported(node, `Einsum of ${shapes.length} operands is not supported (one or two)`);
  const [lhs, rhs] = equation.split('->');
  const terms = lhs.split(',');
  if (terms.length !== shapes.length || terms.some((t) => !/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(t)) || (rhs !== undefined && !/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(rhs)))
    throw new ShapeError(`node "${node.name}": Einsum equation "${equation}" does not fit ${shapes.length} operands`);
  // "..." becomes the same run of stand-in letters in every operand (its axes must agree, no broadcasting).
  let ellipsis: Shape | undefined;
  const letters = terms.map((t, k) => {
    const explicit = t.replace('...', '');
    if (!t.includes('...')) {
      if (explicit.length !== shapes[k].length) throw new ShapeError(`node "${node.name}": Einsum term "${t}" does not match operand rank ${shapes[k].length}`);
      return [...explicit];
    }
    const covered = shapes[k].length - explicit.length;
    const at = t.indexOf('...');
    const axes = shapes[k].slice(at, at + covered);
    if (covered < 0 || (ellipsis !== undefined && (ellipsis.length !== axes.length || ellipsis.some((d, i) => d !== axes[i])))) unsupported(node, `Einsum "${equation}": the axes of "..." must be the same in every operand`);
    ellipsis = axes;
    return [...t.slice(0, at), ...ELLIPSIS_LETTERS.slice(0, covered), ...t.slice(at + 3)];
  });
  const size = new Map<string, number>();
  letters.forEach((ls, k) =>
    ls.forEach((l, i) => {
      const d = shapes[k][i];
      if (size.has(l) && size.get(l) !== d) throw new ShapeError(`node "${node.name}": Einsum index "${l}" has sizes ${size.get(l)} and ${d}`);
      size.set(l, d);
    }),
  );
  const dots = ELLIPSIS_LETTERS.slice(0, ellipsis?.length ?? 0);
  let out: string[];
  if (rhs === undefined) {
    // Implicit output: the ellipsis axes, then the indices that appear once, in alphabetical order.
    const once = [...size.keys()].filter((l) => !dots.includes(l) && letters.flat().filter((m) => m === l).length === 1).sort();
    out = [...dots, ...once];
  } else out = rhs.includes('...') ? [...rhs.slice(0, rhs.indexOf('...')), ...dots, ...rhs.slice(rhs.indexOf('...') + 3)] : [...rhs];
  if (new Set(out).size !== out.length || out.some((l) => !size.has(l))) throw new ShapeError(`node "${node.name}": Einsum output "${rhs}" repeats an index or names one no operand has`);
  const summed = [...size.keys()].filter((l) => !out.includes(l));
  const shape = out.map((l) => size.get(l)!);
  const o = sizeOf(shape);
  const c = sizeOf(summed.map((l) => size.get(l)!));
  if (o * c > MAX_EINSUM_PRODUCTS) unsupported(node, `Einsum "${equation}" needs ${o * c} products, more than the ${MAX_EINSUM_PRODUCTS} its generic form allows (export a matrix product as MatMul)`);
  const all = [...out, ...summed];
  const dims = all.map((l) => size.get(l)!);
  const value = new Array<number>(all.length).fill(0);
  const maps = letters.map(() => new Int32Array(o * c));
  const strides = letters.map((_, k) => stridesOf(shapes[k]));
  const slots = letters.map((ls) => ls.map((l) => all.indexOf(l)));
  for (let cell = 0; cell < o * c; cell++) {
    let rest = cell;
    for (let i = all.length - 1; i >= 0; i--) {
      value[i] = rest % dims[i];
      rest = Math.floor(rest / dims[i]);
    }
    letters.forEach((_, k) => {
      let flat = 0;
      slots[k].forEach((slot, i) => (flat += value[slot] * strides[k][i]));
      maps[k][cell] = flat;
    });
  }
  return { type: 'Einsum', shape, summed: c, maps };
}
