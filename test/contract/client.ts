import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** A GraphQL error as the server sends it: `extensions.code` is one of docs/api.md's error codes. */
export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphqlResult<Data> {
  data?: Data | null;
  errors?: GraphqlError[];
}

/** An operation that declares no variables may be sent without them; any other needs its own. */
type VariablesArgument<Variables> =
  Record<string, never> extends Variables ? [variables?: Variables] : [variables: Variables];

export type Execute = <Data, Variables>(
  document: TypedDocumentNode<Data, Variables>,
  ...variables: VariablesArgument<Variables>
) => Promise<GraphqlResult<Data>>;

/**
 * All a partner needs to call the API with the generated documents: fetch, and graphql's `print`.
 * The result and the variables are typed by the document, so a field or a variable the schema
 * no longer has is a compile error in the partner's code, not a surprise at run time.
 */
export function typedClient(endpoint: string, headers: Record<string, string> = {}): Execute {
  return async function execute<Data, Variables>(
    document: TypedDocumentNode<Data, Variables>,
    ...[variables]: VariablesArgument<Variables>
  ): Promise<GraphqlResult<Data>> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(document), variables }),
    });
    // The one cast: the server validated the operation against the schema the document was typed by.
    return (await response.json()) as GraphqlResult<Data>;
  };
}
