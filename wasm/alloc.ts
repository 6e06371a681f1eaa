// A bump allocator over the module's linear memory. Resident data (SRS bases, twiddle tables) is
// allocated once; every call allocates its scratch above a mark and releases back to it on return.

let top: usize = (__heap_base + 15) & ~(<usize>15);

/** Returns 16-byte aligned memory of `bytes` bytes, growing the memory when needed. */
export function alloc(bytes: usize): usize {
  const p = top;
  top = (top + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (top > have) {
    if (memory.grow(<i32>((top - have + 0xffff) >> 16)) < 0) unreachable();
  }
  return p;
}

/** The current top of the heap, to pass to {@link heapRelease} later. */
export function heapMark(): usize {
  return top;
}

/** Frees everything allocated since `mark`. */
export function heapRelease(mark: usize): void {
  top = mark;
}
