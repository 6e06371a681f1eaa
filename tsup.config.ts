import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      blocks: 'blocks/index.ts',
      accumulation: 'accumulation/index.ts',
      // `blockfold/verify` for Node (the browser build is the second config).
      verify: 'src/verify.ts',
      // The WASM engine's worker thread, loaded by path next to the bundles (see src/engine/wasm/pool.ts).
      'engine-worker': 'src/engine/wasm/worker.ts',
      // The fold tree's worker thread, loaded by path next to the bundles (see accumulation/pool.ts).
      'fold-worker': 'accumulation/fold-worker.ts',
      // The `blockfold` bin (package.json "bin"); esbuild keeps the entry's `#!/usr/bin/env node` line.
      cli: 'src/cli.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    // dist/browser/ belongs to the browser build, which runs alongside.
    clean: ['!browser/**'],
    sourcemap: true,
    target: 'node20',
    // Gives the CJS bundles an import.meta.url, which the pool uses to find the worker entry.
    shims: true,
  },
  {
    // `blockfold/verify` under the `browser` condition: one self-contained ES module (dependencies
    // inlined, so a page can import it without a bundler), built with the package's `browser` imports
    // (no worker pools). Its types are the Node build's dist/verify.d.ts.
    entry: { verify: 'src/verify.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    // Everything but mathjs, which only the per-layer accuracy report loads (a dynamic import the verifier never
    // reaches); bundling it would split it into a chunk beside the one module a page imports.
    noExternal: [/^(?!mathjs$)/],
    external: ['mathjs'],
    // Minified (819 → 477 KiB, 152 KiB gzipped); class names kept, since error names are shown to users.
    minify: true,
    keepNames: true,
    clean: true,
    sourcemap: true,
  },
]);
