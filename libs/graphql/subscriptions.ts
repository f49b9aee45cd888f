import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  DocumentNode,
  ExecutionArgs,
  getOperationAST,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { ClientError, ErrorCode } from './error-code.js';

/** Who a socket's connection_init payload says the caller is. */
export interface Subscriber {
  /** The GraphQL context of the socket's operations. */
  context: Record<string, unknown>;
  /** Whose connections count together against the per-caller limit (a member, a partner app). */
  caller: string;
  /** Changes when the caller's rights change (roles, scopes): the socket then asks the client to reconnect. */
  rights: string;
}

export interface SubscriptionLimits {
  connectionsPerCaller: number;
  subscriptionsPerConnection: number;
  /** How often each socket's credentials are checked again. */
  recheckMs: number;
  /** WebSocket pings that keep the socket alive and find dead peers. */
  keepAliveMs: number;
  /** The largest message a client may send. */
  maxPayloadBytes: number;
}

export interface SubscriptionServerSettings {
  path: string;
  schema: GraphQLSchema;
  limits: SubscriptionLimits;
  /** From connection_init's payload, with the HTTP API's credentials; throws a ClientError to refuse. */
  authenticate(params: Readonly<Record<string, unknown>> | undefined): Promise<Subscriber>;
  /** The HTTP API's validation rules beyond graphql-js's own (depth, aliases, directives). */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  /** The HTTP API's checks that need the variables (cost, text inputs); throw to refuse. */
  checkOperation(document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string): void;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Close codes a client sees (docs/api.md, "Subscriptions"). graphql-ws clients do not retry the
 * 44xx ones; they reconnect after the others.
 */
export const SUBSCRIPTION_CLOSE = {
  /** No or bad credentials at connection_init, or they were revoked or expired since. */
  UNAUTHENTICATED: CloseCode.Unauthorized,
  /** The caller already has as many sockets open as allowed. */
  TOO_MANY_CONNECTIONS: CloseCode.Forbidden,
  /** The caller's rights changed (a role, a scope): reconnect to subscribe with the new ones. */
  RIGHTS_CHANGED: 4205,
  /** The database could not be reached to check the credentials: reconnect later. */
  UNAVAILABLE: 1013,
  /** The server is stopping: reconnect (to another replica) and resume from the last event id. */
  GOING_AWAY: 1001,
} as const;

interface SocketState {
  subscriber?: Subscriber;
  params?: Readonly<Record<string, unknown>>;
  socket: WebSocket;
  /** When its credentials are next checked again: recheckMs after the last check. */
  recheckAt: number;
}

/** Each socket is checked again recheckMs after its last check, by a sweep this many times an interval. */
const RECHECK_SWEEPS_PER_INTERVAL = 15;

type Extra = { socket: WebSocket; request: IncomingMessage; state?: SocketState };

/** Refused by GraphQL itself, labelled as Apollo labels it over HTTP, so that formatError maps both alike. */
function graphqlRefusal(code: ApolloServerErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

const clientRefusal = (code: ErrorCode, message: string): GraphQLError =>
  new GraphQLError(message, { originalError: new ClientError(code, message) });

/** As Apollo does over HTTP, an error without a code is INTERNAL_SERVER_ERROR until formatError looks closer. */
function formatted(error: GraphQLError, format: SubscriptionServerSettings['formatError']): GraphQLFormattedError {
  const json = error.toJSON();
  const code = json.extensions?.code ?? ApolloServerErrorCode.INTERNAL_SERVER_ERROR;
  return format({ ...json, extensions: { ...json.extensions, code } }, error);
}

/** A close reason fits in 123 bytes. */
const reason = (code: string, message: string): string => `${code}: ${message}`.slice(0, 120);

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the HTTP
 * server's `path`, with the HTTP API's authentication and limits. Only subscriptions: queries and
 * mutations go over HTTP, where rate limits, timeouts and idempotency apply. Returns a function that
 * closes every socket (1001, going away) and stops accepting new ones.
 */
export function serveSubscriptions(server: HttpServer, settings: SubscriptionServerSettings): () => Promise<void> {
  const { limits } = settings;
  const sockets = new Set<SocketState>();
  const perCaller = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== settings.path) return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const release = (state: SocketState): void => {
    sockets.delete(state);
    const caller = state.subscriber?.caller;
    if (caller === undefined) return;
    const open = (perCaller.get(caller) ?? 1) - 1;
    if (open > 0) perCaller.set(caller, open);
    else perCaller.delete(caller);
  };

  // Each socket on its own schedule, from the time it connected, so that a thousand sockets opened
  // over a minute are checked over a minute too: checked all at once, their sessions' lookups would
  // queue for the database's connections together, ahead of the requests then in flight.
  const recheck = setInterval(
    () => {
      const now = Date.now();
      for (const state of sockets)
        if (state.recheckAt <= now) {
          state.recheckAt = now + limits.recheckMs;
          void recheckSocket(state);
        }
    },
    Math.max(1, Math.floor(limits.recheckMs / RECHECK_SWEEPS_PER_INTERVAL)),
  );
  recheck.unref();

  async function recheckSocket(state: SocketState): Promise<void> {
    const before = state.subscriber;
    if (!before) return;
    try {
      const now = await settings.authenticate(state.params);
      if (now.caller !== before.caller || now.rights !== before.rights)
        state.socket.close(
          SUBSCRIPTION_CLOSE.RIGHTS_CHANGED,
          'RIGHTS_CHANGED: reconnect to subscribe with your new rights',
        );
    } catch (error) {
      closeRefused(state.socket, error);
    }
  }

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema: settings.schema,
      connectionInitWaitTimeout: 3000,
      onConnect: async (ctx) => {
        const state: SocketState = {
          socket: ctx.extra.socket,
          params: ctx.connectionParams,
          recheckAt: Date.now() + limits.recheckMs,
        };
        ctx.extra.state = state;
        try {
          state.subscriber = await settings.authenticate(ctx.connectionParams);
        } catch (error) {
          closeRefused(ctx.extra.socket, error);
          return false;
        }
        const { caller } = state.subscriber;
        const open = perCaller.get(caller) ?? 0;
        if (open >= limits.connectionsPerCaller) {
          state.subscriber = undefined;
          ctx.extra.socket.close(
            SUBSCRIPTION_CLOSE.TOO_MANY_CONNECTIONS,
            reason('TOO_MANY_CONNECTIONS', `at most ${limits.connectionsPerCaller} subscription sockets per caller`),
          );
          return false;
        }
        perCaller.set(caller, open + 1);
        sockets.add(state);
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.state) release(ctx.extra.state);
      },
      onSubscribe: (ctx, _id, payload) => prepare(ctx, payload),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatted(error, settings.formatError)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((error) => formatted(error, settings.formatError)) }
          : undefined,
    },
    wss,
    limits.keepAliveMs,
  );

  function prepare(
    ctx: Context<Record<string, unknown> | undefined, Extra>,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  ): ExecutionArgs | GraphQLError[] {
    if (Object.keys(ctx.subscriptions).length > limits.subscriptionsPerConnection)
      return [
        clientRefusal(
          ErrorCode.TOO_MANY_SUBSCRIPTIONS,
          `At most ${limits.subscriptionsPerConnection} subscriptions at once on one socket`,
        ),
      ];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: settings.maxTokens });
    } catch (error) {
      return [graphqlRefusal(ApolloServerErrorCode.GRAPHQL_PARSE_FAILED, (error as Error).message)];
    }
    const invalid = validate(settings.schema, document, [...specifiedRules, ...settings.validationRules]);
    if (invalid.length > 0)
      return invalid.map((error) => graphqlRefusal(ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, error.message));
    const operationName = payload.operationName ?? undefined;
    if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.SUBSCRIPTION)
      return [
        clientRefusal(
          ErrorCode.BAD_USER_INPUT,
          'Only subscriptions go over WebSocket; send queries and mutations over HTTP',
        ),
      ];
    const variables = payload.variables ?? undefined;
    try {
      settings.checkOperation(document, variables, operationName);
    } catch (error) {
      return [asGraphQLError(error)];
    }
    return {
      schema: settings.schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: ctx.extra.state!.subscriber!.context,
    };
  }

  return async () => {
    clearInterval(recheck);
    for (const state of sockets) state.socket.close(SUBSCRIPTION_CLOSE.GOING_AWAY, 'The server is stopping');
    await disposable.dispose();
    await new Promise<void>((done) => wss.close(() => done()));
  };
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError(error instanceof Error ? error.message : String(error), {
    originalError: error instanceof Error ? error : undefined,
  });
}

/** Refused credentials close the socket with their code; an unreachable database asks the client to come back. */
function closeRefused(socket: WebSocket, error: unknown): void {
  // Credentials are refused as a ClientError, or as a GraphQLError carrying one (with its HTTP status).
  const refused = error instanceof GraphQLError ? error.originalError : error;
  if (refused instanceof ClientError)
    socket.close(SUBSCRIPTION_CLOSE.UNAUTHENTICATED, reason(refused.code, refused.message));
  else socket.close(SUBSCRIPTION_CLOSE.UNAVAILABLE, reason(ErrorCode.SERVICE_UNAVAILABLE, 'try again later'));
}
