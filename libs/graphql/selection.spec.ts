import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { selectedFieldNames } from './selection.js';

/** What a resolver of the operation's first root field is given: that field's nodes, and the document's fragments. */
function infoOf(source: string): GraphQLResolveInfo {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const field = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [field], fragments } as unknown as GraphQLResolveInfo;
}

describe('selectedFieldNames', () => {
  it('names the fields right under the resolved one, not deeper ones', () => {
    expect(selectedFieldNames(infoOf('subscription { activity { event { id } balance } }'))).toEqual(
      new Set(['event', 'balance']),
    );
  });

  it('looks through fragment spreads and inline fragments, and counts fields under directives', () => {
    const info = infoOf(`
      subscription { activity { event { id } ...Shown ... on Activity { account { id } } } }
      fragment Shown on Activity { transfer { id } ... @skip(if: true) { availableBalance } }`);
    expect(selectedFieldNames(info)).toEqual(new Set(['event', 'transfer', 'account', 'availableBalance']));
  });

  it('is empty for a field without a selection', () => {
    expect(selectedFieldNames(infoOf('{ ping }'))).toEqual(new Set());
  });
});
