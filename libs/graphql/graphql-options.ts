import { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, GraphQLSchema } from 'graphql';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.js';
import { Metrics } from '../observability/metrics.js';
import { createFormatError } from './format-error.js';
import { graphiqlLandingPage } from './graphiql.js';
import { encodeIds } from './global-id.js';
import { invalidInputAsUserErrors } from './invalid-input.js';
import { assertQueryCost, MAX_QUERY_COST } from './query-cost.js';
import { DateTimeScalar } from './scalars.js';
import { assertTextInputs } from './text-input.js';
import { unavailableAsHttp503, unavailableStatus } from './unavailable.js';

export interface GraphqlSettings {
  /** Introspection and the GraphiQL landing page. */
  explorer: boolean;
  /** Where each request's operation, outcome and latency are counted; absent for tools that only print the schema. */
  metrics?: Metrics;
  /** Where to write the SDL; omitted at run time, set by `npm run schema`. */
  schemaFile?: string;
  /** What each request adds to its context besides `req`, e.g. who is calling; may reject the request by throwing. */
  requestContext?: (req: RequestHeaders) => Promise<Record<string, unknown>>;
}

/** The part of an HTTP request the context needs: its headers. */
export interface RequestHeaders {
  headers: Record<string, string | string[] | undefined>;
}

export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 10,
  maxDirectives: 20,
  maxCost: MAX_QUERY_COST,
  maxTokens: 2000,
} as const;

/**
 * Checks that need the variables' values, so they run once the operation is known and before it
 * executes: the characters of every text input, and the query's cost. Subscriptions run them too.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): void {
  assertTextInputs(document, variables);
  assertQueryCost(schema, document, variables, operationName);
}

const operationChecks: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, schema, operationName }) {
        checkOperation(schema, document, request.variables, operationName ?? undefined);
      },
    };
  },
};

/** graphql-armor's depth, alias and directive limits (QUERY_LIMITS), over HTTP and subscriptions alike. */
export function armorProtection(): ReturnType<ApolloArmor['protect']> {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases, allowList: [] },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Armor's cost counts only page sizes written in the query text; ours (checkOperation) reads the variables too.
    costLimit: { enabled: false },
    // Armor's token limit turns syntax errors into HTTP 500; Apollo's parser limit (maxTokens) does not.
    maxTokens: { enabled: false },
    // formatError removes suggestions from every message, those of variables included.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/**
 * Every answer is `Cache-Control: no-store`: it is the caller's own. Apollo's cache-control plugin
 * said the same (no type or field carries a cache hint, so nothing is ever cacheable), at the cost
 * of a hook and a cache policy around every field of every request; it is off, and this says it.
 */
const noStore: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** The root types have no decorator of their own to carry a description, so the schema gets theirs here. */
const ROOT_TYPE_DESCRIPTIONS = {
  Query:
    'Reads. Each field says who may ask it; asking what you may not read answers FORBIDDEN, or null where the field says so.',
  Mutation:
    'Writes. An expected refusal comes back as `userErrors` in the payload and changes nothing; any other failure is in `errors[]` with `extensions.code`.',
  Subscription:
    'Live events over WebSocket on /graphql (graphql-ws, the graphql-transport-ws protocol), with the access token or API key in connection_init\'s payload as `authorization` (docs/api.md, "Subscriptions"). Each sends events in order, each once; pass the last event id as `after` when you reconnect.',
};

function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) root.description = ROOT_TYPE_DESCRIPTIONS[root.name as keyof typeof ROOT_TYPE_DESCRIPTIONS];
  }
  return schema;
}

/**
 * Every option that Apollo or Nest would otherwise derive from NODE_ENV is set here on purpose.
 */
export function graphqlOptions(settings: GraphqlSettings): ApolloDriverConfig {
  const armor = armorProtection();
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: settings.schemaFile ?? true,
    sortSchema: true,
    // The same schema for clients and for schema.gql: the file is the contract.
    transformSchema: (schema) => encodeIds(invalidInputAsUserErrors(describeRootTypes(schema))),
    transformAutoSchemaFile: true,
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    introspection: settings.explorer,
    // Nest's and Apollo's own explorers load their scripts from CDNs; ours come from this server (app.ts mounts them).
    graphiql: false,
    includeStacktraceInErrorResponses: false,
    autoTransformHttpErrors: false,
    // Nest would reset every response that has a `data` key to 200; unavailableStatus decides instead.
    preserveHttpStatusForExecutionErrors: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: armor.validationRules,
    // Armor's typings resolve Apollo's CommonJS build, Nest's the ESM one: the same plugin type twice.
    plugins: [
      ...(armor.plugins as NonNullable<ApolloDriverConfig['plugins']>),
      ApolloServerPluginCacheControlDisabled(),
      noStore,
      operationChecks,
      unavailableStatus,
      ...(settings.explorer ? [graphiqlLandingPage] : []),
      ...(settings.metrics ? [graphqlMetricsPlugin(settings.metrics)] : []),
    ],
    formatError: createFormatError({ explorer: settings.explorer }),
    context: async ({ req }: { req: RequestHeaders }) => {
      try {
        return { req, ...(await settings.requestContext?.(req)) };
      } catch (error) {
        throw unavailableAsHttp503(error);
      }
    },
  };
}
