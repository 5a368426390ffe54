/**
 * The layers of src/, from the top: cli → server → app → http → domain → store, with two leaves
 * every layer may use: kernel/ (time, ids, pagination types, the error type) and contract/ (the
 * wire schemas). A layer imports only layers below it; http reaches the store only through a
 * domain verb. `npm run lint` runs these rules; test/architecture/layers.test.ts shows a
 * deliberate violation failing them. ARCHITECTURE.md explains the why.
 */
const layer = (name) => `^src/${name}(/|\\.ts$)`;
const TOP = ['main', 'cli', 'demo', 'simulator', 'config'];

/** `from` may import only the layers named in `allowed` (its own always included). */
const only = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${from} may import only ${allowed.join(', ')}`,
  from: { path: layer(from) },
  to: { path: '^src/', pathNot: [layer(from), ...allowed.map(layer)] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports has no bottom: split the shared part into a module both use.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    only('kernel-is-a-leaf', 'kernel', []),
    only('contract-is-a-leaf', 'contract', ['kernel']),
    {
      ...only('store-below-domain', 'store', ['kernel']),
      from: { path: layer('store'), pathNot: layer('store/migrations') },
    },
    // A migration that backfills a rendered body renders it as the contract says.
    only('migrations-below-domain', 'store/migrations', ['store', 'contract', 'kernel']),
    only('domain-above-store', 'domain', ['store', 'contract', 'kernel']),
    only('http-through-domain', 'http', ['domain', 'contract', 'kernel']),
    only('app-composes-http', 'app', ['http', 'domain', 'store', 'contract', 'kernel', 'config']),
    only('server-wires-app', 'server', ['app', 'http', 'domain', 'store', 'contract', 'kernel', 'config']),
    {
      name: 'nothing-imports-the-top',
      severity: 'error',
      comment: 'main, cli and the tools are entry points: only other entry points import them.',
      from: { path: '^src/', pathNot: TOP.map(layer) },
      to: { path: TOP.filter((t) => t !== 'config').map(layer) },
    },
    {
      name: 'config-read-at-the-top',
      severity: 'error',
      comment: 'config.ts reads the environment once; only the entry points, server and app see it.',
      from: { path: '^src/', pathNot: [...TOP, 'server', 'app'].map(layer) },
      to: { path: layer('config') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
