/**
 * `npm run check:architecture` (with scripts/checkFileLength.mjs): no import cycles anywhere, and
 * the collaboration core and the services never reach up into the HTTP layer (they are used by it,
 * and by the websocket path that has no HTTP request).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that cannot be read, tested or loaded one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-on-http',
      severity: 'error',
      comment: 'server/collab and server/services must not import server/http: the HTTP layer depends on them, not the reverse.',
      from: { path: '^server/(collab|services)/' },
      to: { path: '^server/http/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types still ties the modules' meaning together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
