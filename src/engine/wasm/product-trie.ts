/**
 * The programs of the `fr_productTrie` kernel (wasm/products.ts): an identity `Σ_t c_t·Π_{f ∈ F_t} v_f` evaluated
 * as its terms' factor trie instead of term by term. Terms are read as factor sequences; the trie has a node per
 * distinct non-empty prefix, and a node's value is
 *
 *   val(node) = c(node) + Σ_{child = node·f} v_f · val(child),
 *
 * c(node) being the sum of the coefficients of the terms whose sequence ends at the node (0 if none), so that
 * val(root) is the identity: expanding the recursion yields each term's coefficient times the product of the
 * factors on its path, exactly once. The evaluation is exact field arithmetic, so the values (and every proof
 * built on them) equal the term-by-term sum; only the work differs: one multiplication per trie edge instead of
 * one per factor of each term. Identities built by expanding products of sums (a constraint's `(a + b·c)·(…)`)
 * share long prefixes. Factors commute, so each term may be read in any order: the program takes the order with
 * fewer edges of two, the terms' own (the expansion's nesting) or each term's factors by decreasing number of terms
 * they occur in (a common factor such as a selector first, shared by all its terms). The quotient reads its factors in
 * plain form ({@link plainFactorProgram} scales the coefficients for them).
 * @module
 */
import { Fr } from '../../field';
import type { ProductTerm } from '../engine';

/** Instruction codes, as wasm/products.ts reads them. */
const CONST = 0;
const MUL_SET = 1;
const MUL_ADD = 2;
const MULC_SET = 3;
const MULC_ADD = 4;

/** A program of `fr_productTrie`: its instructions (op, d, f, c words), coefficients and register count. */
export interface ProductTrieProgram {
  /** Four u32 words per instruction: op, register d, factor f, coefficient c. */
  readonly words: Uint32Array;
  /** The distinct coefficients the instructions index, canonical Fr elements. */
  readonly coeffs: readonly bigint[];
  /** Registers the program touches (the deepest term's length plus one). */
  readonly registers: number;
}

interface TrieNode {
  /** The summed coefficient of the terms ending here; undefined when none does. */
  coeff?: bigint;
  readonly children: Map<number, TrieNode>;
}

/** The factor trie of `terms` read in the order `order` gives each term, its edge count and depth. */
function trieOf(terms: readonly ProductTerm[], order: (factors: readonly number[]) => readonly number[]): { root: TrieNode; edges: number; depth: number } {
  const root: TrieNode = { children: new Map() };
  let edges = 0;
  let depth = 0;
  for (const { coeff, factors } of terms) {
    let node = root;
    for (const f of order(factors)) {
      let child = node.children.get(f);
      if (child === undefined) {
        node.children.set(f, (child = { children: new Map() }));
        edges++;
      }
      node = child;
    }
    node.coeff = node.coeff === undefined ? coeff : Fr.add(node.coeff, coeff);
    depth = Math.max(depth, factors.length);
  }
  return { root, edges, depth };
}

/**
 * The program computing `Σ_t coeff_t·Π_{f ∈ factors_t} v_f` (coefficients canonical): a post-order walk of the
 * factor trie, over the terms' factors as given or by decreasing occurrence (whichever trie has fewer edges). A
 * node's register is set by its coefficient (CONST) or by its first child's product (*_SET), and the other
 * children's products are added (*_ADD); a leaf child's value is its coefficient, multiplied directly (MULC_*), so
 * the walk has exactly one multiplication per edge. No term gives the constant 0.
 */
export function productTrieProgram(terms: readonly ProductTerm[]): ProductTrieProgram {
  const occurrences = new Map<number, number>();
  for (const { factors } of terms) for (const f of factors) occurrences.set(f, (occurrences.get(f) ?? 0) + 1);
  const given = trieOf(terms, (factors) => factors);
  const byOccurrence = trieOf(terms, (factors) => [...factors].sort((a, b) => occurrences.get(b)! - occurrences.get(a)! || a - b));
  const { root, depth } = byOccurrence.edges < given.edges ? byOccurrence : given;
  const coeffs: bigint[] = [];
  const coeffIndex = new Map<bigint, number>();
  const indexOf = (c: bigint): number => {
    let i = coeffIndex.get(c);
    if (i === undefined) coeffIndex.set(c, (i = coeffs.push(c) - 1));
    return i;
  };
  const words: number[] = [];
  const emit = (node: TrieNode, d: number): void => {
    let set = node.coeff === undefined;
    if (!set) words.push(CONST, d, 0, indexOf(node.coeff!));
    for (const [f, child] of node.children) {
      if (child.children.size === 0) words.push(set ? MULC_SET : MULC_ADD, d, f, indexOf(child.coeff!));
      else {
        emit(child, d + 1);
        words.push(set ? MUL_SET : MUL_ADD, d, f, 0);
      }
      set = false;
    }
    if (set) words.push(CONST, d, 0, indexOf(0n));
  };
  emit(root, 0);
  return { words: Uint32Array.from(words), coeffs, registers: depth + 1 };
}

/** The kernels' Montgomery factor R = 2^261 mod r (9 limbs of 29 bits) and its inverse. */
const MONTGOMERY = Fr.create(1n << 261n);
const MONTGOMERY_INVERSE = Fr.inv(MONTGOMERY);

/**
 * `program` for factors in plain form (their values' own limbs, where Montgomery form holds `v·R`), so that factors
 * need no conversion into Montgomery form. The kernel's product of a plain factor and a register is their product
 * times R^(−1), so walking the trie down from the root to a register of depth d divides by R^d: a value stored at
 * depth d must be its value times R^d for the root to end plain. A CONST at register d is therefore stored as `c·R^d`
 * and a MULC coefficient at register d as `c·R^(d+1)`; `coeffs` lists the canonical integers whose Montgomery forms
 * (`x·R`) these are, `c·R^(d−1)` and `c·R^d`, one entry per distinct scaled value. The result r_0 is the identity's
 * value in plain form, as the plain factors' linear maps (coset NTTs with Montgomery constants) keep it.
 */
export function plainFactorProgram(program: ProductTrieProgram): ProductTrieProgram {
  const words = Uint32Array.from(program.words);
  const coeffs: bigint[] = [];
  const indexOf = new Map<bigint, number>();
  // R^(k−1) for k = 0, 1, …: the factor turning a coefficient at level k into the integer whose Montgomery form it is.
  const powers: bigint[] = [MONTGOMERY_INVERSE];
  for (let i = 0; i < words.length; i += 4) {
    const op = words[i];
    if (op !== CONST && op !== MULC_SET && op !== MULC_ADD) continue;
    const level = words[i + 1] + (op === CONST ? 0 : 1);
    while (powers.length <= level) powers.push(Fr.mul(powers[powers.length - 1], MONTGOMERY));
    const scaled = Fr.mul(program.coeffs[words[i + 3]], powers[level]);
    let c = indexOf.get(scaled);
    if (c === undefined) indexOf.set(scaled, (c = coeffs.push(scaled) - 1));
    words[i + 3] = c;
  }
  return { words, coeffs, registers: program.registers };
}
