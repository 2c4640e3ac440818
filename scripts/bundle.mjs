// The app as a few ES modules instead of ~900: Node spends most of the app's start-up resolving and
// compiling modules (Ink alone pulls in es-toolkit's whole compat barrel for one `throttle`), so the
// compiled output (dist/src, from tsc) is bundled with esbuild into dist/app. TensorFlow.js stays
// external: its wasm backend finds its .wasm files next to its own package. The workers are entries of their own,
// so `new URL('./trainWorker.js', import.meta.url)` finds them beside the chunk that starts them.
import { build } from 'esbuild';

await build({
  absWorkingDir: new URL('..', import.meta.url).pathname,
  entryPoints: { factorlens: 'dist/src/cli/main.js', trainWorker: 'dist/src/model/runtime/trainWorker.js', fitWorker: 'dist/src/model/runtime/fitWorker.js', tuneWorker: 'dist/src/model/runtime/tuneWorker.js', simulationWorker: 'dist/src/model/runtime/simulationWorker.js' },
  outdir: 'dist/app',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Ink loads its React devtools (and ws) only when DEV=true: not part of the app
  external: ['@tensorflow/*', 'react-devtools-core', 'ws', '*/devtools.js'],
  // CommonJS dependencies inside an ES module need a require
  banner: { js: "import { createRequire as __factorlensRequire } from 'node:module'; const require = __factorlensRequire(import.meta.url);" },
  // React's production build: its development build checks and times every render (performance.measure
  // entries pile up) and is several times slower
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
