// The import rules of Pumasi, checked in CI by `npm run deps`; `npm run deps:graph` prints the
// domain graph they keep. A domain is a folder src/<domain>/; the composition roots (src/*.ts:
// app.module, app, main, data-source, database; src/cli/, src/seed/) wire the domains together
// and may import anything in src/. There is no list of tolerated exceptions: a broken rule fails CI.

/** The domains, lowest first: a domain may import those below it, never one above. One row is one layer. */
const LAYERS = [
  ['access'],
  ['directory'],
  ['events'],
  ['audit'],
  ['ledger'],
  ['communities'],
  ['identity'],
  ['members', 'oauth'],
  ['webhooks'],
  ['listings'],
  ['exchanges'],
  ['insights', 'integrity', 'reports'],
  ['health'],
];

/** What one domain may import of another: its module, services, refusals and the types they speak in. */
const PUBLIC_SURFACE = [
  '^src/[^/]+/[^/]+[.](module|service|errors)[.]ts$',
  '^src/[^/]+/(models|dto|entities)/',
  // The directory is the shared rows every domain points at: all of it is public.
  '^src/directory/',
  // Access: who the caller is, the policy every domain asks, and the rate-limit decorator and limits.
  '^src/access/(actor|access[.]policy|rate-limited|rate-limits)[.]ts$',
  // The ledger: who writes (a caller and the system's reserved codes, both in LedgerService's own
  // signatures), and the invariant check that verification runs, tests and the benchmark share.
  '^src/ledger/(ledger-caller|ledger[.]invariants)[.]ts$',
  // Events: the vocabulary of event types, which subscribers (webhook endpoints) choose from.
  '^src/events/event-types[.]ts$',
];

const ROOTS = '^src/([^/]+[.]ts$|cli/|seed/)';

const layering = LAYERS.slice(0, -1).map((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return {
    name: 'layering',
    severity: 'error',
    comment: `${layer.join(', ')} must not import ${above.join(', ')} (higher layers) or a composition root.`,
    from: { path: `^src/(${layer.join('|')})/` },
    to: { path: [`^src/(${above.join('|')})/`, ROOTS] },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-is-domain-free',
      severity: 'error',
      comment: 'libs/ holds domain-free code: it imports nothing of the service, its tests or its migrations.',
      from: { path: '^libs/' },
      to: { path: '^(src|test|migrations)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes the modules one unit: neither can be understood, tested or loaded alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A module nothing imports and that imports nothing is dead. Ambient declarations (.d.ts) are never imported.',
      from: { orphan: true, pathNot: '[.]d[.]ts$' },
      to: {},
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'Production code never imports the tests or their helpers.',
      from: { path: '^(src|libs|migrations)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-migration-imports-from-runtime',
      severity: 'error',
      comment: 'Only src/data-source.ts lists the migrations; the service runs them, it never imports their code.',
      from: { path: '^(src|libs)/', pathNot: '^src/data-source[.]ts$' },
      to: { path: '^migrations/' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment:
        'A migration is history: it imports only typeorm and other migrations, so that no change to the ' +
        'service (or libs) can change what it does.',
      from: { path: '^migrations/' },
      to: { path: '^(src|libs|test)/' },
    },
    {
      name: 'domain-internals',
      severity: 'error',
      comment:
        "A domain imports only another domain's public surface (*.module.ts, *.service.ts, *.errors.ts, " +
        "models/, dto/, entities/, the directory, and access's actor, policy and rate limits); never its " +
        'repositories, resolvers, sweepers or helpers.',
      from: { path: '^src/([^/]+)/', pathNot: '^src/(cli|seed)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', ...PUBLIC_SURFACE] },
    },
    ...layering,
  ],
  options: {
    // The .mjs scripts under test/ import the compiled service from dist/, which is not looked into.
    doNotFollow: { path: ['node_modules', '^dist/'] },
    // Type-only imports count: they couple the code as much as the others.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
