// Entry of the blockfold WebAssembly kernels: the exports the engine's JavaScript side calls.
export { alloc, heapMark, heapRelease } from './alloc';
export { fr_mul, fr_mul3, fr_sqr, fr_add, fr_sub, fr_canon, fr_reduce2p, fr_inv, fr_fromWordsN, fr_toWordsN, fr_unpackN, fr_packN } from './generated/fr';
export { fp_mul, fp_mul3, fp_sqr, fp_sqr3, fp_add, fp_sub, fp_canon, fp_reduce2p, fp_inv, fp_fromWordsN, fp_toWordsN } from './generated/fp';
export { fr_powers, fr_ntt, fr_batchInv } from './ntt';
export { fr_productTrie, fr_mulPeriodic, fr_addTo, fr_gather } from './products';
export { fr_horner } from './horner';
export { fr_straightLine } from './straight-line';
export { fr_barycentricWeights, fr_barycentricSum } from './barycentric';
export { g1_msm, g1_msmSmall, g1_msmTables, g1_windowTables, g1_shiftTables, g1_msmShifted, g1_jacAdd, g1_batchToAffine, g1_loadProjective, g1_affToWords, g1_fixedBase, g1_groupSums } from './generated/g1';
export { g2_msm, g2_msmSmall, g2_msmTables, g2_windowTables, g2_jacAdd, g2_batchToAffine, g2_loadProjective, g2_affToWords, g2_fixedBase, g2_groupSums } from './generated/g2';
export { g1_glvBases, g1_glvSplit } from './generated/glv';
export { bn254_pairingProduct } from './pairing';
export { bn254_g1YsFromXs } from './decompress';
export { g1_combineSigned } from './combine';
export { g1_nttDif, g1_nttDit, g1_butterflies, g1_scaleEach, g1_fallingLeaves, g1_basesToJacobian } from './g1-transform';
export { keccak256 } from './keccak';
