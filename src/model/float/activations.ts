/**
 * Scalar float semantics of the elementwise activations and unary math ops (ONNX definitions), shared by the
 * float interpreter and by the quantizer, which tabulates the same functions.
 * @module
 */
import type { Op } from '../op';
import { erf } from './erf';
import { relu, sigmoid } from './elementwise';

/** log(1 + eˣ), without overflow for large x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Round half to even (ONNX Round). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** max(0, min(1, αx + β)). */
export function hardSigmoid(x: number, alpha: number, beta: number): number {
  return Math.max(0, Math.min(1, alpha * x + beta));
}

const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  Relu: relu,
  Sigmoid: sigmoid,
  Tanh: Math.tanh,
  Erf: erf,
  Sqrt: Math.sqrt,
  Exp: Math.exp,
  Log: Math.log,
  Reciprocal: (x) => 1 / x,
  Sin: Math.sin,
  Cos: Math.cos,
  Tan: Math.tan,
  Asin: Math.asin,
  Acos: Math.acos,
  Atan: Math.atan,
  Sinh: Math.sinh,
  Cosh: Math.cosh,
  Asinh: Math.asinh,
  Acosh: Math.acosh,
  Atanh: Math.atanh,
  Softsign: (x) => x / (1 + Math.abs(x)),
  Neg: (x) => -x,
  Abs: Math.abs,
  Sign: Math.sign,
  Floor: Math.floor,
  Ceil: Math.ceil,
  Round: roundHalfEven,
  Softplus: softplus,
  Mish: (x) => x * Math.tanh(softplus(x)),
  HardSwish: (x) => x * hardSigmoid(x, 1 / 6, 0.5),
  Not: (x) => Number(x === 0),
};

/** The scalar function of an elementwise unary op, or undefined for other ops. */
export function unaryFunction(op: Op): ((x: number) => number) | undefined {
  switch (op.type) {
    case 'LeakyRelu':
      return (x) => (x < 0 ? op.alpha * x : x);
    case 'Elu':
      return (x) => (x < 0 ? op.alpha * (Math.exp(x) - 1) : x);
    case 'Celu':
      return (x) => Math.max(0, x) + Math.min(0, op.alpha * (Math.exp(x / op.alpha) - 1));
    case 'Selu':
      return (x) => (x > 0 ? op.gamma * x : op.gamma * op.alpha * (Math.exp(x) - 1));
    case 'HardSigmoid':
      return (x) => hardSigmoid(x, op.alpha, op.beta);
    case 'ThresholdedRelu':
      return (x) => (x > op.alpha ? x : 0);
    case 'Shrink':
      return (x) => (x > op.lambd ? x - op.bias : x < -op.lambd ? x + op.bias : 0);
    default:
      return FUNCTIONS[op.type];
  }
}
