/**
 * Import boundaries (docs/architecture.md). `npm run lint` fails on any violation.
 */
/** Tests and their fixtures wire whole apps on purpose; the rules govern production code. */
const TESTS = '(\\.test\\.ts$|\\.contract\\.ts$|/test-support/)';

const DRIVERS = 'node_modules/(pg|better-sqlite3|ioredis|@aws-sdk/[^/]+|onnxruntime-node|bullmq|s3rver)/';

module.exports = {
  forbidden: [
    {
      name: 'contracts-stand-alone',
      comment: 'contracts holds wire types only; it imports no other Capstan package',
      severity: 'error',
      from: { path: '^packages/contracts/', pathNot: TESTS },
      to: { path: '^packages/(sdk|server|cli)/' },
    },
    {
      name: 'sdk-only-on-contracts',
      comment: 'the SDK is an HTTP client: it never reaches into the server',
      severity: 'error',
      from: { path: '^packages/sdk/', pathNot: TESTS },
      to: { path: '^packages/(server|cli)/' },
    },
    {
      name: 'no-server-internals',
      comment: 'other packages use the server only through its index (or its light entries: model-server for capstan serve, monitoring-report and table-files for capstan monitor report)',
      severity: 'error',
      from: { path: '^packages/(cli|sdk|contracts)/', pathNot: TESTS },
      to: { path: '^packages/server/src/(?!index\\.ts$|model-server\\.ts$|monitoring-report\\.ts$|table-files\\.ts$)' },
    },
    {
      name: 'core-is-innermost',
      comment: 'core depends on nothing else in the server',
      severity: 'error',
      from: { path: '^packages/server/src/core/', pathNot: TESTS },
      to: { path: '^packages/server/src/(ports|adapters|modules|app)/' },
    },
    {
      name: 'ports-are-abstract',
      comment: 'ports are interfaces; they never import adapters or modules',
      severity: 'error',
      from: { path: '^packages/server/src/ports/', pathNot: TESTS },
      to: { path: '^packages/server/src/(adapters|modules|app)/' },
    },
    {
      name: 'adapters-not-modules',
      comment: 'adapters implement ports; they know nothing of modules',
      severity: 'error',
      from: { path: '^packages/server/src/adapters/', pathNot: TESTS },
      to: { path: '^packages/server/src/(modules|app)/' },
    },
    {
      name: 'modules-use-ports-not-adapters',
      comment: 'a module talks to a port, never to an adapter; app/ wires them',
      severity: 'error',
      from: { path: '^packages/server/src/modules/', pathNot: TESTS },
      to: { path: '^packages/server/src/(adapters|app)/' },
    },
    {
      name: 'modules-use-no-drivers',
      comment: 'drivers are adapter details',
      severity: 'error',
      from: { path: '^packages/server/src/(modules|core|ports)/', pathNot: TESTS },
      to: { path: DRIVERS },
    },
    {
      name: 'modules-through-their-index',
      comment: 'modules reach each other only through the other module\'s index.ts (or a light <name>.api.ts entry)',
      severity: 'error',
      from: { path: '^packages/server/src/modules/([^/]+)/', pathNot: TESTS },
      to: {
        path: '^packages/server/src/modules/([^/]+)/(?!index\\.ts$|[^/]+\\.api\\.ts$)',
        pathNot: '^packages/server/src/modules/$1/',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
