// Keccak-256 in the kernels: the sponge of Keccak-f[1600] with rate 136 bytes and the original Keccak padding
// (0x01 … 0x80, as Ethereum and `@noble/hashes`' keccak_256, not SHA-3's 0x06), for the Fiat–Shamir transcript,
// which hashes a short message per absorbed element. Lanes are little-endian u64, as WebAssembly loads them.

/** The round constants of ι. */
const RC = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b, 0x0000000080000001,
  0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
  0x000000000000800a, 0x800000008000000a, 0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]);

// ρ rotates lane x + 5y by (0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14)
// and π moves it to lane y + 5·((2x + 3y) mod 5); both are written out in keccakF.

const RATE: u32 = 136;
const STATE = memory.data(200);
const PAD = memory.data(136);

/** Keccak-f[1600] on the 25 lanes at STATE: 24 rounds of θ, ρ and π, χ, ι, the lanes held in locals. */
function keccakF(): void {
  let a0 = load<u64>(STATE, 0); let a1 = load<u64>(STATE, 8); let a2 = load<u64>(STATE, 16); let a3 = load<u64>(STATE, 24); let a4 = load<u64>(STATE, 32);
  let a5 = load<u64>(STATE, 40); let a6 = load<u64>(STATE, 48); let a7 = load<u64>(STATE, 56); let a8 = load<u64>(STATE, 64); let a9 = load<u64>(STATE, 72);
  let a10 = load<u64>(STATE, 80); let a11 = load<u64>(STATE, 88); let a12 = load<u64>(STATE, 96); let a13 = load<u64>(STATE, 104); let a14 = load<u64>(STATE, 112);
  let a15 = load<u64>(STATE, 120); let a16 = load<u64>(STATE, 128); let a17 = load<u64>(STATE, 136); let a18 = load<u64>(STATE, 144); let a19 = load<u64>(STATE, 152);
  let a20 = load<u64>(STATE, 160); let a21 = load<u64>(STATE, 168); let a22 = load<u64>(STATE, 176); let a23 = load<u64>(STATE, 184); let a24 = load<u64>(STATE, 192);
  for (let round: usize = 0; round < 24; round++) {
    // θ: every lane xored with the parities of the two neighbouring columns.
    const c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    const c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    const c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    const c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    const c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    const d0 = c4 ^ rotl<u64>(c1, 1);
    const d1 = c0 ^ rotl<u64>(c2, 1);
    const d2 = c1 ^ rotl<u64>(c3, 1);
    const d3 = c2 ^ rotl<u64>(c4, 1);
    const d4 = c3 ^ rotl<u64>(c0, 1);
    a0 ^= d0; a1 ^= d1; a2 ^= d2; a3 ^= d3; a4 ^= d4;
    a5 ^= d0; a6 ^= d1; a7 ^= d2; a8 ^= d3; a9 ^= d4;
    a10 ^= d0; a11 ^= d1; a12 ^= d2; a13 ^= d3; a14 ^= d4;
    a15 ^= d0; a16 ^= d1; a17 ^= d2; a18 ^= d3; a19 ^= d4;
    a20 ^= d0; a21 ^= d1; a22 ^= d2; a23 ^= d3; a24 ^= d4;
    // ρ and π: lane i rotated by ρ(i) moves to π(i).
    const b0 = a0; const b1 = rotl<u64>(a6, 44); const b2 = rotl<u64>(a12, 43); const b3 = rotl<u64>(a18, 21); const b4 = rotl<u64>(a24, 14);
    const b5 = rotl<u64>(a3, 28); const b6 = rotl<u64>(a9, 20); const b7 = rotl<u64>(a10, 3); const b8 = rotl<u64>(a16, 45); const b9 = rotl<u64>(a22, 61);
    const b10 = rotl<u64>(a1, 1); const b11 = rotl<u64>(a7, 6); const b12 = rotl<u64>(a13, 25); const b13 = rotl<u64>(a19, 8); const b14 = rotl<u64>(a20, 18);
    const b15 = rotl<u64>(a4, 27); const b16 = rotl<u64>(a5, 36); const b17 = rotl<u64>(a11, 10); const b18 = rotl<u64>(a17, 15); const b19 = rotl<u64>(a23, 56);
    const b20 = rotl<u64>(a2, 62); const b21 = rotl<u64>(a8, 55); const b22 = rotl<u64>(a14, 39); const b23 = rotl<u64>(a15, 41); const b24 = rotl<u64>(a21, 2);
    // χ: a[x, y] = b[x, y] ^ (¬b[x + 1, y] & b[x + 2, y]); ι on lane 0.
    a0 = b0 ^ (~b1 & b2); a1 = b1 ^ (~b2 & b3); a2 = b2 ^ (~b3 & b4); a3 = b3 ^ (~b4 & b0); a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7); a6 = b6 ^ (~b7 & b8); a7 = b7 ^ (~b8 & b9); a8 = b8 ^ (~b9 & b5); a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);
    a0 ^= load<u64>(RC + (round << 3));
  }
  store<u64>(STATE, a0, 0); store<u64>(STATE, a1, 8); store<u64>(STATE, a2, 16); store<u64>(STATE, a3, 24); store<u64>(STATE, a4, 32);
  store<u64>(STATE, a5, 40); store<u64>(STATE, a6, 48); store<u64>(STATE, a7, 56); store<u64>(STATE, a8, 64); store<u64>(STATE, a9, 72);
  store<u64>(STATE, a10, 80); store<u64>(STATE, a11, 88); store<u64>(STATE, a12, 96); store<u64>(STATE, a13, 104); store<u64>(STATE, a14, 112);
  store<u64>(STATE, a15, 120); store<u64>(STATE, a16, 128); store<u64>(STATE, a17, 136); store<u64>(STATE, a18, 144); store<u64>(STATE, a19, 152);
  store<u64>(STATE, a20, 160); store<u64>(STATE, a21, 168); store<u64>(STATE, a22, 176); store<u64>(STATE, a23, 184); store<u64>(STATE, a24, 192);
}

/** STATE[0 … RATE) ^= the block at `block`. */
function absorbBlock(block: usize): void {
  for (let i: usize = 0; i < <usize>RATE; i += 8) store<u64>(STATE + i, load<u64>(STATE + i) ^ load<u64>(block + i));
}

/** out (32 bytes) = Keccak-256 of the `len` bytes at `input`. */
export function keccak256(out: usize, input: usize, len: u32): void {
  memory.fill(STATE, 0, 200);
  let at: usize = input;
  let left = len;
  while (left >= RATE) {
    absorbBlock(at);
    keccakF();
    at += <usize>RATE;
    left -= RATE;
  }
  memory.fill(PAD, 0, <usize>RATE);
  memory.copy(PAD, at, <usize>left);
  store<u8>(PAD + <usize>left, load<u8>(PAD + <usize>left) ^ 0x01);
  store<u8>(PAD + <usize>RATE - 1, load<u8>(PAD + <usize>RATE - 1) ^ 0x80);
  absorbBlock(PAD);
  keccakF();
  memory.copy(out, STATE, 32);
}
