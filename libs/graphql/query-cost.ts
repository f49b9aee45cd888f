import {
  BREAK,
  DocumentNode,
  getNamedType,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  isLeafType,
  Kind,
  visit,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { ClientError, ErrorCode } from './error-code.js';
import { MAX_PAGE_SIZE } from './pagination.js';

/**
 * What a query may cost: roughly the number of objects it can return. A leaf costs nothing (the
 * token limit bounds how many a document can name); an object costs 1 plus its selection; a field
 * with a page size (`first` or `last`, or the `ids` of `nodes`) costs its page size times that. So a page of 100 accounts,
 * each with a statement page of 100, costs about 30,000 and is refused, while a statement proof of
 * 1,000 entries (its documented maximum) costs about 5,000 and is served.
 */
export const MAX_QUERY_COST = 10_000;

/**
 * The page size a field's arguments ask for. A deprecated page size is left out: it sizes a nested
 * field that now takes its own (accountStatement's `first` sizes `lines`), which is costed there.
 * An optional page size left out may fall back on such a deprecated one, so it counts as the largest.
 * `nodes(ids:)`, which takes no page size, returns one object per id.
 */
const pageSizeOf = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number => {
  const pageSize = field.args.find((arg) => (arg.name === 'first' || arg.name === 'last') && !arg.deprecationReason);
  if (!pageSize) return Array.isArray(args.ids) && args.ids.length > 0 ? args.ids.length : 1;
  const size = args[pageSize.name];
  if (size === undefined || size === null) return MAX_PAGE_SIZE;
  return typeof size === 'number' && size > 0 ? size : 1;
};

const objectsReturned: ComplexityEstimator = ({ field, args, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : pageSizeOf(field, args) * (1 + childComplexity);

function refusal(code: ErrorCode, message: string, details?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    originalError: new ClientError(code, message, details),
    extensions: { http: { status: 400 } },
  });
}

/**
 * Whether a variable can change the document's cost: as a page size, or as the condition of an
 * @include or @skip (a cost first taken with the branch skipped must not serve a request that takes it).
 */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  const found = (): typeof BREAK => {
    depends = true;
    return BREAK;
  };
  visit(document, {
    [Kind.ARGUMENT]: (node) =>
      ['first', 'last', 'ids'].includes(node.name.value) && node.value.kind === Kind.VARIABLE ? found() : undefined,
    [Kind.DIRECTIVE]: (node) =>
      node.arguments?.some((argument) => argument.value.kind === Kind.VARIABLE) ? found() : undefined,
  });
  return depends;
}

/**
 * Costs that no variable can change, per operation of a parsed document: Apollo keeps parsed
 * documents, so the hot mutations (a transfer, say) are costed once, not on every request.
 */
const fixedCosts = new WeakMap<DocumentNode, Map<string, number>>();

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string,
): number {
  const known = fixedCosts.get(document)?.get(operationName);
  if (known !== undefined) return known;
  const cost = getComplexity({
    schema,
    query: document,
    variables,
    operationName: operationName || undefined,
    estimators: [objectsReturned],
  });
  if (!costDependsOnVariables(document))
    fixedCosts.set(document, (fixedCosts.get(document) ?? new Map<string, number>()).set(operationName, cost));
  return cost;
}

/**
 * The cost of the operation about to run, computed with its variables' values: a page size given
 * as a variable costs what the same number written in the query costs. Refused over MAX_QUERY_COST.
 */
export function assertQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): void {
  let cost: number;
  try {
    cost = costOf(schema, document, variables, operationName ?? '');
  } catch (error) {
    const message = (error as Error).message;
    // Fragments spread over and over can name more fields than the token limit suggests.
    if (/maximum allowed number of nodes/.test(message))
      throw refusal(ErrorCode.QUERY_TOO_COMPLEX, 'This query names too many fields once its fragments are spread');
    // Variables that cannot be coerced: execution would refuse them too, with the same message.
    throw refusal(ErrorCode.BAD_USER_INPUT, message);
  }
  if (cost > MAX_QUERY_COST) {
    throw refusal(
      ErrorCode.QUERY_TOO_COSTLY,
      `This query could return about ${cost} objects, more than the limit of ${MAX_QUERY_COST}: ask for smaller pages (first/last) or fewer nested lists`,
      { cost, maxCost: MAX_QUERY_COST },
    );
  }
}
