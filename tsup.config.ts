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
  banner: ({ format }) => (format === 'esm' ? {} : {}),
});
