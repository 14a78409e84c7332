import { defineConfig } from 'tsup';

export default defineConfig({
  // pool-worker: the worker-thread entry the pool loads by file name (src/parallel/pool.ts).
  // propagation-worker: one shard of a threaded propagation (src/propagation/threaded.ts).
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli/entry.ts',
    'pool-worker': 'src/parallel/worker-entry.ts',
    'propagation-worker': 'src/propagation/shard-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  // Bundled rather than imported from node_modules: they are CommonJS, and importing CommonJS
  // from ESM costs ~30 ms at start-up (the CJS loader, cjs-module-lexer, package resolution).
  noExternal: ['commander', 'moo', 'nearley'],
  // ESM has no `require`, and esbuild's shim for the bundled packages' require('node:events')…
  // throws without one; esbuild renames the sources' own top-level `require`s around this.
  banner: { js: "import { createRequire as __ncCreateRequire } from 'node:module'; const require = __ncCreateRequire(import.meta.url);" },
});
