import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's own metrics (memory, CPU, event loop, GC, handles), made once per process: they
 * describe the process, however many applications it runs (the tests start several).
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Seconds; few buckets, so that each series stays cheap to keep and to scrape. */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5];

/** A client names its operations: past this many distinct names, new ones count as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Label values of two labels, each combination's child made once: no allocation per observation. */
class LabelledChildren<C> {
  private readonly children = new Map<string, Map<string, C>>();

  constructor(private readonly make: (first: string, second: string) => C) {}

  get(first: string, second: string): C {
    let inner = this.children.get(first);
    if (!inner) this.children.set(first, (inner = new Map<string, C>()));
    let child = inner.get(second);
    if (!child) inner.set(second, (child = this.make(first, second)));
    return child;
  }
}

/** What became of a ledger write: the transfer's kind once applied, or why not. */
export type TransferOutcome = 'posted' | 'pending' | 'voided' | 'replayed' | 'refused';

/**
 * The application's metrics, one registry per application, served at /metrics with the process's
 * (METRICS_TOKEN). Names start with `pumasi_`; docs/operations.md lists them.
 */
@Injectable()
export class Metrics {
  private readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly graphqlRequests: LabelledChildren<{ observe(seconds: number): void }>;
  private readonly transfers: LabelledChildren<{ inc(): void }>;

  constructor() {
    const graphql = new Histogram({
      name: 'pumasi_graphql_request_duration_seconds',
      help: 'GraphQL requests by operation name and outcome (ok, user_error, or the top-level error code), with their latency',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.graphqlRequests = new LabelledChildren((operation, outcome) => graphql.labels(operation, outcome));
    const transfers = new Counter({
      name: 'pumasi_ledger_transfers_total',
      help: 'Ledger writes by outcome (posted, pending, voided, replayed, refused) and refusal code ("none" unless refused)',
      labelNames: ['outcome', 'code'],
      registers: [this.registry],
    });
    this.transfers = new LabelledChildren((outcome, code) => transfers.labels(outcome, code));
  }

  /**
   * The label for a client's operation name: its own while the names stay few and well-formed,
   * "anonymous" without one, "other" past the bound.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (!OPERATION_NAME.test(name) || this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  observeGraphqlRequest(operation: string, outcome: string, seconds: number): void {
    this.graphqlRequests.get(operation, outcome).observe(seconds);
  }

  countTransfer(outcome: TransferOutcome, code = 'none'): void {
    this.transfers.get(outcome, code).inc();
  }

  /** A counter with one label, for a domain's own outcomes: count(value) adds one to that value's series. */
  labelledCounter(name: string, help: string, label: string): (value: string) => void {
    const counter = new Counter({ name, help, labelNames: [label], registers: [this.registry] });
    return (value) => counter.labels(value).inc();
  }

  /**
   * A gauge read when scraped, for what a cheap query or a pool can tell. A failed read leaves it
   * NaN for that scrape (the database may be down: /metrics must still answer).
   */
  gaugeReadOnScrape(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch (error) {
          this.set(Number.NaN);
          new Logger('Metrics').warn(`${name} could not be read: ${String(error)}`);
        }
      },
    });
  }

  /** The exposition text of the process's and the application's metrics. */
  async exposition(): Promise<string> {
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }

  readonly contentType = this.registry.contentType;
}

/** Makes the one `Metrics` of the application injectable everywhere. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
