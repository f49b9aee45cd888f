import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { formatError } from './format-error.js';

export interface GraphqlSettings {
  /** Introspection and the GraphiQL landing page. */
  explorer: boolean;
  /** Where to write the SDL; omitted at run time, set by `npm run schema`. */
  schemaFile?: string;
  /** What each request adds to its context besides `req`, e.g. who is calling; may reject the request by throwing. */
  requestContext?: (req: RequestHeaders) => Promise<Record<string, unknown>>;
}

/** The part of an HTTP request the context needs: its headers. */
export interface RequestHeaders {
  headers: Record<string, string | string[] | undefined>;
}

export const QUERY_LIMITS = { maxDepth: 12, maxAliases: 10, maxDirectives: 20, maxCost: 5000, maxTokens: 2000 } as const;

/**
 * Every option that Apollo or Nest would otherwise derive from NODE_ENV is set here on purpose.
 */
export function graphqlOptions(settings: GraphqlSettings): ApolloDriverConfig {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases, allowList: [] },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    // Armor's token limit turns syntax errors into HTTP 500; Apollo's parser limit below does not.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !settings.explorer },
  }).protect();
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: settings.schemaFile ?? true,
    sortSchema: true,
    introspection: settings.explorer,
    graphiql: settings.explorer,
    includeStacktraceInErrorResponses: false,
    autoTransformHttpErrors: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: armor.validationRules,
    // Armor's typings resolve Apollo's CommonJS build, Nest's the ESM one: the same plugin type twice.
    plugins: armor.plugins as ApolloDriverConfig['plugins'],
    formatError,
    context: async ({ req }: { req: RequestHeaders }) => ({ req, ...(await settings.requestContext?.(req)) }),
  };
}
