import { Extensions, Field, ID, InterfaceType, ObjectType, ObjectTypeOptions } from '@nestjs/graphql';
import { DATABASE_ID_EXTENSION, GlobalIdField } from './global-id.js';

/** What `node(id:)` found, by the type its id named: the interface's resolveType reads it. */
const nodeTypes = new WeakMap<object, string>();

/** Marks `value` as the `typeName` object `node`/`nodes` return. */
export function asNode<T extends object>(typeName: string, value: T): T {
  nodeTypes.set(value, typeName);
  return value;
}

@InterfaceType('Node', {
  description:
    'An object with a global id (Relay object identification): fetch it again with `node(id:)`, whoever calls, under the same rules as its own query.',
  resolveType: (value: object) => nodeTypes.get(value),
})
export abstract class Node {
  @Field(() => ID, {
    description:
      'Opaque and unique across every type: pass it back wherever this object is asked for, or to `node(id:)`.',
  })
  id: string;
}

const ID_DESCRIPTION =
  'Global id: opaque and unique across every type; pass it back wherever this object is asked for. (Before 0.2.0 it was the bare `databaseId`.)';
const DATABASE_ID_DESCRIPTION =
  'The bare database number that `id` was before 0.2.0 (decimal digits), to map records stored then; new code should keep `id`.';

/** `databaseId` reads the model's own id (encodeIds): it is already the bare number inside the server. */
function databaseIdField(target: object, property: string): void {
  Field(() => String, { description: DATABASE_ID_DESCRIPTION })(target, property);
  Extensions({ [DATABASE_ID_EXTENSION]: true })(target, property);
}

/**
 * An object type of `typeName` whose `id` property is its database id: `id` is exposed as its global
 * id, beside `databaseId`, and the type implements `Node` unless `node: false` (for types that
 * `node(id:)` does not load: say why where it is used). `idDescription` says what the id names and
 * where to pass it, before what every global id is. Use it in place of `@ObjectType(options)`,
 * leaving the class's `id` without a decorator.
 */
export function NodeType(
  typeName: string,
  {
    node = true,
    idDescription,
    ...options
  }: Omit<ObjectTypeOptions, 'implements'> & { node?: boolean; idDescription?: string } = {},
): ClassDecorator {
  return (target) => {
    // What this id names and where to pass it (the type's own words), then what every global id is.
    const description = idDescription ? `${idDescription} ${ID_DESCRIPTION}` : ID_DESCRIPTION;
    GlobalIdField(typeName, { description })(target.prototype as object, 'id');
    databaseIdField(target.prototype as object, 'databaseId');
    ObjectType(typeName, { ...options, ...(node ? { implements: () => [Node] } : {}) })(target);
  };
}
