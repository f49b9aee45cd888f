import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Server } from 'node:http';
import { AppConfig } from '../libs/config/app-config.js';
import { ClientError, ErrorCode } from '../libs/graphql/error-code.js';
import { createFormatError } from '../libs/graphql/format-error.js';
import { armorProtection, checkOperation, QUERY_LIMITS } from '../libs/graphql/graphql-options.js';
import { serveSubscriptions, Subscriber } from '../libs/graphql/subscriptions.js';
import type { Actor } from './access/actor.js';
import { actorContext } from './caller.js';
import { IdentityService } from './identity/identity.service.js';
import { OAuthAccessService } from './oauth/oauth-access.service.js';

/** WebSocket pings every so often find dead peers, and keep proxies from closing a quiet socket. */
const KEEP_ALIVE_MS = 12_000;
/** A subscribe message is a query and its variables: as large as a GraphQL request may reasonably be. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** connection_init's payload, read as the HTTP headers of the same names (any case): `authorization`, `x-acting-for`. */
function headersOf(params: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {}))
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  return headers;
}

/** Whose sockets count together, and what they may do: a change of the second asks the client to reconnect. */
function subscriberOf(actor: Actor): Omit<Subscriber, 'context'> {
  if (actor.kind === 'anonymous')
    throw new ClientError(
      ErrorCode.UNAUTHENTICATED,
      'Subscriptions need an access token or API key in connection_init',
    );
  if (actor.kind === 'partner')
    return { caller: `partner:${actor.partnerAppId}`, rights: JSON.stringify([actor.communityId, actor.scopes]) };
  const standings = [...(actor.standings ?? [])].sort((a, b) => a.communityId.localeCompare(b.communityId));
  return {
    caller: `member:${actor.memberId}`,
    rights: JSON.stringify([actor.isAdmin, actor.viaPartnerAppId, actor.withinCommunityId, standings]),
  };
}

/**
 * GraphQL subscriptions on /graphql over WebSocket (docs/api.md, "Subscriptions"), with the HTTP
 * API's credentials, limits and error codes. Sockets close first when the server stops, so that
 * clients reconnect elsewhere and resume from the last event id.
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stop?: () => Promise<void>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly identity: IdentityService,
    private readonly oauth: OAuthAccessService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // An application context without HTTP (a command-line tool, a service test) serves no sockets.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const { schema } = this.schemaHost;
    const { realtime } = this.config;
    this.stop = serveSubscriptions(server, {
      path: '/graphql',
      schema,
      limits: {
        connectionsPerCaller: realtime.connectionsPerCaller,
        subscriptionsPerConnection: realtime.subscriptionsPerConnection,
        recheckMs: realtime.recheckMs,
        keepAliveMs: KEEP_ALIVE_MS,
        maxPayloadBytes: MAX_MESSAGE_BYTES,
      },
      authenticate: async (params) => {
        const context = await actorContext(this.identity, this.oauth, { headers: headersOf(params) });
        return { context, ...subscriberOf(context.actor) };
      },
      validationRules: armorProtection().validationRules ?? [],
      maxTokens: QUERY_LIMITS.maxTokens,
      checkOperation: (document, variables, operationName) =>
        checkOperation(schema, document, variables, operationName),
      formatError: createFormatError({ explorer: this.config.graphqlExplorer }),
    });
  }

  /** Closes every subscription socket (1001): main calls it before it waits for requests in flight. */
  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = undefined;
    await stop?.();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
