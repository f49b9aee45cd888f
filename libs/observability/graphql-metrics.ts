import { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { performance } from 'node:perf_hooks';
import { Metrics } from './metrics.js';

/** Before its operation is known (a syntax or validation error), a request's name cannot be trusted to exist. */
const UNRESOLVED_OPERATION = 'unknown';

/**
 * ok, user_error when a root field's payload carries `userErrors` (a refusal is data, not an
 * error), or the code of the first top-level error (formatError gives every error one).
 */
export function requestOutcome(response: GraphQLResponse): string {
  if (response.body.kind !== 'single') return 'ok';
  const { errors, data } = response.body.singleResult;
  if (errors?.length) {
    const code = errors[0].extensions?.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  }
  for (const key in data) {
    const userErrors = (data[key] as { userErrors?: unknown[] } | null)?.userErrors;
    if (userErrors?.length) return 'user_error';
  }
  return 'ok';
}

/** Times every GraphQL request and counts it by operation and outcome. */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = UNRESOLVED_OPERATION;
      return {
        async didResolveOperation({ operationName }) {
          operation = metrics.operationLabel(operationName);
        },
        async willSendResponse({ response }) {
          metrics.observeGraphqlRequest(operation, requestOutcome(response), (performance.now() - started) / 1000);
        },
      };
    },
  };
}
