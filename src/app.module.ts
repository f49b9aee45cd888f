import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../libs/config/app-config.js';
import { ConfigModule } from '../libs/config/config.module.js';
import { DatabaseModule } from '../libs/database/database.module.js';
import { ErrorsLoggedOnceFilter } from '../libs/graphql/errors-logged-once.filter.js';
import { graphqlOptions } from '../libs/graphql/graphql-options.js';
import { InputValidationPipe } from '../libs/graphql/invalid-input.js';
import { InFlightRequests } from '../libs/http/in-flight-requests.js';
import { Metrics, MetricsModule } from '../libs/observability/metrics.js';
import { IdentityModule } from './identity/identity.module.js';
import { IdentityService } from './identity/identity.service.js';
import { ListingsModule } from './listings/listings.module.js';
import { OAuthAccessService } from './oauth/oauth-access.service.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { MembersModule } from './members/members.module.js';
import { CommunitiesModule } from './communities/communities.module.js';
import { dataSourceOptions } from './data-source.js';
import { ExchangesModule } from './exchanges/exchanges.module.js';
import { HealthModule } from './health/health.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { IntegrityModule } from './integrity/integrity.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { actorContext } from './caller.js';
import { NodeResolver } from './node.resolver.js';
import { SubscriptionServer } from './subscription-server.js';
import { ReportsModule } from './reports/reports.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export interface AppModuleOptions {
  /** Set by `npm run schema` to write the SDL; the running server keeps it in memory. */
  schemaFile?: string;
  /** False for tools that only need the schema: no database connection is opened. */
  connectDatabase?: boolean;
}

@Module({})
export class AppModule {
  /** `config.databaseUrl` must be set by now: main starts the embedded database first when needed. */
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl!, config.dbPoolSize, config.resilience),
          manualInitialization: options.connectDatabase === false,
        }),
        DatabaseModule,
        MetricsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule, OAuthModule],
          inject: [IdentityService, OAuthAccessService, Metrics],
          useFactory: (identity: IdentityService, oauth: OAuthAccessService, metrics: Metrics) =>
            graphqlOptions({
              explorer: config.graphqlExplorer,
              metrics,
              schemaFile: options.schemaFile,
              requestContext: (req) => actorContext(identity, oauth, req),
            }),
        }),
        HealthModule,
        IdentityModule,
        LedgerModule,
        CommunitiesModule,
        MembersModule,
        ListingsModule,
        ExchangesModule,
        InsightsModule,
        IntegrityModule,
        ReportsModule,
        WebhooksModule,
        OAuthModule,
      ],
      providers: [
        { provide: APP_PIPE, useValue: new InputValidationPipe() },
        { provide: InFlightRequests, useValue: new InFlightRequests() },
        { provide: APP_FILTER, useClass: ErrorsLoggedOnceFilter },
        NodeResolver,
        SubscriptionServer,
      ],
    };
  }
}
