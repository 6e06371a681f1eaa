import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    blocks: 'blocks/index.ts',
    accumulation: 'accumulation/index.ts',
    // The WASM engine's worker thread, loaded by path next to the bundles (see src/engine/wasm/pool.ts).
    'engine-worker': 'src/engine/wasm/worker.ts',
    // The fold tree's worker thread, loaded by path next to the bundles (see accumulation/pool.ts).
    'fold-worker': 'accumulation/fold-worker.ts',
    // The `blockfold` bin (package.json "bin"); esbuild keeps the entry's `#!/usr/bin/env node` line.
    cli: 'src/cli.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Gives the CJS bundles an import.meta.url, which the pool uses to find the worker entry.
  shims: true,
});
