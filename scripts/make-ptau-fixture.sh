#!/usr/bin/env bash
# Regenerates the snarkjs `.ptau` test fixtures in test/fixtures/ptau/ (development only).
#
# snarkjs is GPL-3.0: it is run through `npx` as a throwaway tool, never added to package.json, and
# nothing of it ships in the package; only the generated data files are committed.
#
# The output is deterministic (no random contribution, only a public beacon), so running this script
# again reproduces the committed files byte for byte:
#   bn254-p4-new.ptau       `powersoftau new` (τ = 1, no contribution): must be rejected by readPtau
#   bn254-p4-beacon.ptau    after one beacon contribution, without Lagrange sections
#   bn254-p4-prepared.ptau  after `prepare phase2`: with the Lagrange sections 12–15
set -euo pipefail

SNARKJS_VERSION=0.7.6
POWER=4
BEACON=0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20
OUT="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/ptau"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

snarkjs() { npx -y "snarkjs@${SNARKJS_VERSION}" "$@"; }

cd "$WORK"
snarkjs powersoftau new bn128 "$POWER" new.ptau
snarkjs powersoftau beacon new.ptau beacon.ptau "$BEACON" 10 -n="blockfold test fixture"
snarkjs powersoftau prepare phase2 beacon.ptau prepared.ptau
snarkjs powersoftau verify prepared.ptau

mkdir -p "$OUT"
cp new.ptau "$OUT/bn254-p${POWER}-new.ptau"
cp beacon.ptau "$OUT/bn254-p${POWER}-beacon.ptau"
cp prepared.ptau "$OUT/bn254-p${POWER}-prepared.ptau"
( cd "$OUT" && sha256sum ./*.ptau )
