// The import rules of DESIGN.md ("Import rules"), checked by `npm run lint:deps` in `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-not-to-runner-or-server',
      comment: 'lib/ is the scenario API and the shared core: it never imports the runner or the target',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(runner|server)/' },
    },
    {
      name: 'scenarios-only-public-api',
      comment: 'scenarios import only the public API: lib/index.ts and its named sub-paths (lib/helpers.ts)',
      severity: 'error',
      from: { path: '^scenarios/' },
      to: { pathNot: '^lib/(index|helpers)\\.ts$' },
    },
    {
      name: 'server-not-to-runner-or-node-engine',
      comment: 'the target knows nothing of its load generator',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(runner/|lib/node/)' },
    },
    {
      name: 'k6-not-to-node-engine-or-hdr',
      comment: 'a k6 bundle holds no Node engine and no HDR code (lib/metrics/, hdr-histogram-js; k6 has no WebAssembly): k6 records through k6/metrics',
      severity: 'error',
      from: { path: '^lib/k6/' },
      to: { path: '^(lib/node/|lib/metrics/|node_modules/hdr-histogram-js/)' },
    },
    {
      name: 'k6-not-to-hdr-transitively',
      comment: 'nor through another module: what lib/k6 reaches ends up in the k6 bundle',
      severity: 'error',
      from: { path: '^lib/k6/' },
      to: { path: '^(lib/node/|lib/metrics/|node_modules/hdr-histogram-js/)', reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles (type-only imports included)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a cycle of types is still a cycle for a reader
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
