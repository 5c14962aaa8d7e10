import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    rpc: 'src/rpc.ts',
    app: 'src/app/index.ts',
    cli: 'src/adapters/cli/main.ts',
    'daemon-main': 'src/adapters/cli/daemon-main.ts',
  },
  shims: true,
  // One copy of shared modules (error classes above all) for index, rpc and the CLI, in CommonJS too.
  splitting: true,
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  // p-retry and its one dependency ship as ESM only; bundling them keeps the
  // CommonJS build loadable with require() on every Node 20 release.
  noExternal: ['p-retry', 'is-network-error'],
})
