import { defineConfig } from 'tsup';

export default defineConfig({
  // pool-worker: the worker-thread entry the pool loads by file name (src/parallel/pool.ts).
  entry: { index: 'src/index.ts', cli: 'src/cli/entry.ts', 'pool-worker': 'src/parallel/worker-entry.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  noExternal: ['commander', 'moo', 'nearley'],
  banner: { js: "import { createRequire as __ncCreateRequire } from 'node:module'; const require = __ncCreateRequire(import.meta.url);" },
});
