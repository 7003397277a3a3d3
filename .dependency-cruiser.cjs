/**
 * `npm run check:architecture` (with scripts/checkFileLength.mjs): no import cycles anywhere, and
 * the collaboration core and the services never reach up into the HTTP layer (they are used by it,
 * and by the websocket path that has no HTTP request).
 *
 * TEMPORARY EXCEPTIONS: the files in `knownHttpImports` and `knownCycles` broke these rules on the
 * day this check came in and are being fixed in other branches; delete each entry (and then the
 * lists) once its file keeps the rule. Nothing else may be added here.
 */
const knownHttpImports = [
  '^server/collab/upgrade\\.ts$',
  '^server/services/accountAccess\\.ts$',
  '^server/services/membership\\.ts$',
  '^server/services/lifecycle\\.ts$',
];

const knownCycles = [
  // SqliteStore and the per-area stores it builds import each other.
  '^server/persistence/sqlite/(SqliteStore|sqliteSupervisorStores|sqliteReviewStores|sqliteMemberNotes|sqliteLearningStore)\\.ts$',
  '^client/features/review/(NoteRun|ReviewNote)\\.tsx$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that cannot be read, tested or loaded one without the other.',
      from: { pathNot: knownCycles },
      to: { circular: true },
    },
    {
      name: 'core-not-on-http',
      severity: 'error',
      comment: 'server/collab and server/services must not import server/http: the HTTP layer depends on them, not the reverse.',
      from: { path: '^server/(collab|services)/', pathNot: knownHttpImports },
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
