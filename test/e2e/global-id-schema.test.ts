import { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost, TypeMetadataStorage } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLID,
  GraphQLInputType,
  GraphQLOutputType,
  GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { loadConfig } from '../../libs/config/app-config.js';
import { GLOBAL_ID_ARGUMENTS, GLOBAL_ID_EXTENSION } from '../../libs/graphql/global-id.js';
import { createApp } from '../../src/app.js';

/**
 * The rule that keeps ids global: every ID the schema has (an output field, an input field, an
 * argument) goes through the global-id decorators of libs/graphql/global-id.ts, so a bare
 * `@Field(() => ID)` or `@Args('x', { type: () => ID })` added later fails here; and every type
 * with an `id: ID!` implements Node, unless it is listed below with its reason.
 */

/** Types with an `id` that `node(id:)` does not load, and why (docs/api.md, "Ids"). */
const NOT_NODES: Record<string, string> = {
  AuditEntry: 'read only as pages of a community log; no query of its own',
  Event: 'read only as pages of the event feed (and, later, subscriptions); no query of its own',
  LedgerCheckpoint: "read only as pages of a community's checkpoints; no query of its own",
  LedgerPeriod: "read only as pages of a community's periods; no query of its own",
  VerificationRun: "read only as pages of a community's runs; no query of its own",
  Posting: 'read only inside its transfer or a statement; no query of its own',
  Review: 'read only inside an exchange or a member summary; no query of its own',
  PartnerApp: "read only as a community's list, for its coordinators; no query of its own",
  WebhookDelivery: "read only as pages of an endpoint's log; no query of its own",
  RiskTransfer: 'evidence showing a transfer: its id is the Transfer global id, which node(id:) loads as a Transfer',
};

const isId = (type: GraphQLOutputType | GraphQLInputType): boolean => getNamedType(type) === GraphQLID;

/** `Parent.field(argument:)` of every argument the decorators handle: `@GlobalIdArg`, and `@GlobalIdInput` in an @ArgsType. */
function handledArguments(): Set<string> {
  const handlers = [
    ...TypeMetadataStorage.getQueriesMetadata().map((handler) => ({ parent: 'Query', handler })),
    ...TypeMetadataStorage.getMutationsMetadata().map((handler) => ({ parent: 'Mutation', handler })),
    ...TypeMetadataStorage.getSubscriptionsMetadata().map((handler) => ({ parent: 'Subscription', handler })),
  ];
  const handled = new Set<string>();
  for (const { parent, handler } of handlers) {
    const resolverClass = handler.target as unknown as object;
    for (const use of GLOBAL_ID_ARGUMENTS)
      if (use.target === resolverClass && use.method === handler.methodName)
        handled.add(`${parent}.${handler.schemaName}(${use.argument}:)`);
    for (const arg of handler.methodArgs ?? []) {
      if (arg.kind !== 'args') continue;
      let argsClass = arg.typeFn() as unknown as (new () => object) | undefined;
      while (argsClass && argsClass !== Object.prototype.constructor) {
        const argsType = TypeMetadataStorage.getArgumentsMetadataByTarget(argsClass);
        for (const property of argsType?.properties ?? [])
          if (property.extensions?.[GLOBAL_ID_EXTENSION])
            handled.add(`${parent}.${handler.schemaName}(${property.schemaName}:)`);
        argsClass = Object.getPrototypeOf(argsClass) as (new () => object) | undefined;
      }
    }
  }
  return handled;
}

describe('Global ids: the schema rule', () => {
  let app: INestApplication;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://schema-only@127.0.0.1:1/none',
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'error',
    });
    app = await createApp(config, { connectDatabase: false });
    schema = app.get(GraphQLSchemaHost).schema;
  });

  afterAll(() => app.close());

  const namedTypes = () => Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));

  it('encodes every ID an object type returns', () => {
    const bare = namedTypes()
      .filter(isObjectType)
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => isId(field.type) && !field.extensions?.[GLOBAL_ID_EXTENSION])
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(bare).toEqual([]);
  });

  it('decodes every ID an input type takes', () => {
    const bare = namedTypes()
      .filter(isInputObjectType)
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => isId(field.type) && !field.extensions?.[GLOBAL_ID_EXTENSION])
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(bare).toEqual([]);
  });

  it('decodes every ID argument', () => {
    const handled = handledArguments();
    const idArguments = namedTypes()
      .filter((type) => isObjectType(type) || isInterfaceType(type))
      .flatMap((type) =>
        Object.values((type as { getFields(): Record<string, any> }).getFields()).flatMap(
          (field: { name: string; args: { name: string; type: GraphQLInputType }[] }) =>
            field.args.filter((arg) => isId(arg.type)).map((arg) => `${type.name}.${field.name}(${arg.name}:)`),
        ),
      );
    expect(idArguments.length).toBeGreaterThan(30); // the walk found them
    expect(idArguments.filter((coordinate) => !handled.has(coordinate))).toEqual([]);
  });

  it('makes every type with an id a Node, but those listed with their reason', () => {
    const withId = namedTypes()
      .filter(isObjectType)
      .filter((type) => type.getFields().id && isId(type.getFields().id.type));
    const notNodes = withId
      .filter((type) => !type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect(notNodes).toEqual(Object.keys(NOT_NODES).sort());
    // Each Node type, and each listed one but the evidence, can be mapped to stored records.
    for (const type of withId.filter((type) => type.name !== 'RiskTransfer'))
      expect(`${type.name}.databaseId: ${String(type.getFields().databaseId?.type)}`).toBe(
        `${type.name}.databaseId: String!`,
      );
  });
});
