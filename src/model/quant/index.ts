/**
 * Quantization: calibration, the quantized model (ops that map onto proof blocks), its exact integer
 * interpreter, the wrap-around bound analysis, and per-layer error reports.
 * @module
 */
export { calibrate, type Calibration, type Range } from './calibrate';
export { quantize } from './quantize';
export { DEFAULT_QUANT_OPTIONS, type QuantOptions } from './context';
export { runQuantized, quantizeInputs, dequantizeTensor, type Witness } from './interpret';
export { verifyBounds, opBound, intervalBits } from './bounds';
export { rescaleInt, quantizeReal, dequantize } from './rounding';
export { layerErrors, formatLayerErrors, type LayerError } from './report';
export type { Interval, LookupTable, OpBase, PatchGeometry, QInput, QOp, QOpKind, QTensor, QuantModel, TensorId, TensorRole } from './qmodel';
