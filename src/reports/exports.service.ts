import { Injectable } from '@nestjs/common';
import type { Readable, Transform } from 'node:stream';
import { AppConfig } from '../../libs/config/app-config.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ClientError } from '../../libs/graphql/error-code.js';
import { InvalidInput } from '../../libs/graphql/invalid-input.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor, AuthenticatedActor } from '../access/actor.js';
import { AuditLogService, AuditedAction } from '../audit/audit-log.service.js';
import { IdentityService } from '../identity/identity.service.js';
import { newToken, tokenHash } from '../../libs/security/tokens.js';
import { csvTransform } from './csv.js';
import { RequestExportInput } from './dto/report.inputs.js';
import { BALANCE_COLUMNS, exportFilename, STATEMENT_COLUMNS, TRANSFER_COLUMNS } from './export-formats.js';
import { ExportKind, ExportLink } from './models/report.models.js';
import { DownloadRefusal, ExportDownloadRefused } from './reports.errors.js';
import {
  balanceLinesQuery,
  ExportLinkRecord,
  ReportsRepository,
  SqlQuery,
  statementLinesQuery,
  toBalanceLine,
  toStatementLine,
  toTransferRecord,
  transfersQuery,
} from './reports.repository.js';
import { ReportsService, throughInstant } from './reports.service.js';

/** Long enough to start a download, short enough that a leaked link is soon worthless. */
export const EXPORT_LINK_SECONDS = 5 * 60;
/** Export tokens say what they are, like the other bearer secrets of libs/security/tokens.ts. */
const EXPORT_TOKEN_PREFIX = 'px_';
const EXPORT_TOKEN = /^px_[A-Za-z0-9_-]{43}$/;
/**
 * Downloads one replica serves at once. Each holds a database connection for as long as it
 * streams, so that the rest of the pool stays free for the API.
 */
export const MAX_CONCURRENT_DOWNLOADS = 4;

/** The parameters of `input` that only other kinds take: naming one is a mistake worth telling. */
const FOREIGN_PARAMETERS: Record<ExportKind, (keyof RequestExportInput)[]> = {
  [ExportKind.STATEMENT]: ['asOf'],
  [ExportKind.TRANSFERS]: ['accountId', 'asOf'],
  [ExportKind.BALANCES]: ['accountId', 'from', 'to'],
};

/** What to read and how to write it: the SQL of the matching report, and the CSV of its fields. */
interface ExportPlan {
  query: SqlQuery;
  csv(): Transform;
}

export interface ExportDownload {
  filename: string;
  rows: Readable;
  csv: Transform;
  /** Ends the snapshot and frees the connection; call it once the response is done, however it ended. */
  close(): Promise<void>;
}

/** The requester as stored with a link: the actor without what it caches (standings are read again at download). */
function storedActor(actor: AuthenticatedActor): Record<string, unknown> {
  if (actor.kind === 'partner') return { ...actor };
  const { standings: _cached, ...member } = actor;
  return member;
}

function filenameOf(link: Pick<ExportLinkRecord, 'kind' | 'communityId' | 'accountId' | 'period' | 'asOf'>): string {
  if (link.kind === ExportKind.BALANCES) return exportFilename(['balances', `community${link.communityId}`, link.asOf]);
  const subject = link.kind === ExportKind.STATEMENT ? `account${link.accountId}` : `community${link.communityId}`;
  return exportFilename([link.kind, subject, link.period!.from, link.period!.to]);
}

/**
 * CSV exports: a short-lived link is made (audited) with the access check of the matching query,
 * stored in the database so any replica can serve it; GET /exports/<token> streams the file from a
 * database cursor, in one snapshot, rechecking that the requester may still read it: their session
 * or partner app (and consent) still live, their rights in the community still held.
 * Links are built on PUBLIC_URL: a request's Host header is the client's to forge.
 */
@Injectable()
export class ExportsService {
  private downloading = 0;

  constructor(
    private readonly repository: ReportsRepository,
    private readonly reports: ReportsService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly identity: IdentityService,
    private readonly config: AppConfig,
  ) {}

  async requestExport(actor: Actor, input: RequestExportInput): Promise<ExportLink> {
    const requester = this.access.requireAuthenticated(actor);
    const foreign = FOREIGN_PARAMETERS[input.kind].find((name) => input[name] !== undefined && input[name] !== null);
    if (foreign)
      throw new InvalidInput(
        [{ field: foreign, message: `${foreign} does not apply to a ${input.kind} export` }],
        'input',
      );
    if (input.kind === ExportKind.STATEMENT && !input.accountId)
      throw new InvalidInput([{ field: 'accountId', message: 'a statement export needs accountId' }], 'input');
    await this.authorize(requester, input.kind, input.communityId, input.accountId ?? null);
    const parameters = {
      communityId: input.communityId,
      kind: input.kind,
      accountId: input.accountId ?? null,
      period: input.kind === ExportKind.BALANCES ? null : await this.reports.period(input.from, input.to, 'input'),
      asOf: input.kind === ExportKind.BALANCES ? await this.reports.asOf(input.asOf) : null,
    };
    const token = newToken(EXPORT_TOKEN_PREFIX);
    const role = await this.auditRole(requester, input.communityId);
    const link = await this.db.transaction(async () => {
      const stored = await this.repository.insertExportLink({
        ...parameters,
        tokenHash: tokenHash(token),
        requester: storedActor(requester),
        lifetimeSeconds: EXPORT_LINK_SECONDS,
      });
      await this.audit.record(requester, {
        as: role,
        action: 'report.export',
        communityId: input.communityId,
        targetType: parameters.accountId ? 'account' : 'community',
        targetId: parameters.accountId ?? input.communityId,
        details: {
          kind: input.kind,
          from: parameters.period?.from ?? null,
          to: parameters.period?.to ?? null,
          asOf: parameters.asOf,
          expiresAt: stored.expiresAt,
        },
      });
      return stored;
    });
    return {
      url: `${this.config.publicUrl}/exports/${token}`,
      expiresAt: link.expiresAt,
      kind: link.kind,
      filename: filenameOf(link),
    };
  }

  /**
   * Opens the file behind a token: refused (ExportDownloadRefused) before any byte is sent when
   * the link is unknown, expired, or no longer readable by its requester, or when this server is
   * already serving its share of downloads.
   */
  async openDownload(token: string): Promise<ExportDownload> {
    const found = EXPORT_TOKEN.test(token) ? await this.repository.findExportLink(tokenHash(token)) : null;
    if (!found) throw new ExportDownloadRefused(DownloadRefusal.unknown);
    if (found.expired) throw new ExportDownloadRefused(DownloadRefusal.expired);
    const plan = await this.plan(found.link);
    if (this.downloading >= MAX_CONCURRENT_DOWNLOADS) throw new ExportDownloadRefused(DownloadRefusal.unavailable);
    this.downloading++;
    try {
      const stream = await this.repository.stream(plan.query);
      let open = true;
      const close = async (): Promise<void> => {
        if (!open) return;
        open = false;
        try {
          await stream.close();
        } finally {
          this.downloading--;
        }
      };
      return { filename: filenameOf(found.link), rows: stream.rows, csv: plan.csv(), close };
    } catch (error) {
      this.downloading--;
      throw error;
    }
  }

  /** The query and the CSV of a link, after the requester's standing and rights are checked again as the matching query checks them. */
  private async plan(link: ExportLinkRecord): Promise<ExportPlan> {
    const requester = await this.identity.currentStanding(link.requester as unknown as AuthenticatedActor);
    if (!requester) throw new ExportDownloadRefused(DownloadRefusal.forbidden);
    try {
      await this.authorize(requester, link.kind, link.communityId, link.accountId);
    } catch (error) {
      throw error instanceof ClientError ? new ExportDownloadRefused(DownloadRefusal.forbidden) : error;
    }
    if (link.kind === ExportKind.TRANSFERS) {
      return {
        query: transfersQuery({ communityId: link.communityId, period: link.period! }),
        csv: () => csvTransform(TRANSFER_COLUMNS, toTransferRecord),
      };
    }
    if (link.kind === ExportKind.BALANCES) {
      return {
        query: balanceLinesQuery({ communityId: link.communityId, before: throughInstant(link.asOf!) }),
        csv: () => csvTransform(BALANCE_COLUMNS, toBalanceLine),
      };
    }
    const view = await this.reports.lineView(requester, link.communityId);
    return {
      query: statementLinesQuery({ accountId: link.accountId!, period: link.period! }),
      csv: () => csvTransform(STATEMENT_COLUMNS, (row: Record<string, unknown>) => view(toStatementLine(row))),
    };
  }

  /** The matching query's check; a statement's account must also be of the community named, or the link could cross communities. */
  private async authorize(
    actor: Actor,
    kind: ExportKind,
    communityId: string,
    accountId: string | null,
  ): Promise<void> {
    if (kind !== ExportKind.STATEMENT) return this.reports.requireCommunityAuditor(actor, communityId);
    const facts = await this.reports.requireStatementReader(actor, accountId!);
    if (facts.communityId !== communityId) throw forbidden();
  }

  private async auditRole(actor: AuthenticatedActor, communityId: string): Promise<AuditedAction['as']> {
    if (actor.kind === 'partner') return 'partner';
    return (await this.access.managerRole(actor, communityId)) ?? 'member';
  }
}
