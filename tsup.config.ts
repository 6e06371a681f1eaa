import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    blocks: 'blocks/index.ts',
    accumulation: 'accumulation/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  loader: { '.wasm': 'binary' },
});
