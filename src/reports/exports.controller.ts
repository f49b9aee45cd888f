import { Controller, Get, Logger, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { isUnavailable } from '../../libs/database/pg-errors.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { ExportsService } from './exports.service.js';
import { DownloadRefusal, ExportDownloadRefused } from './reports.errors.js';

/** A client that goes away mid-file ends the stream this way: nothing to report. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/**
 * GET /exports/<token>: the CSV file behind a link from the requestExport mutation. The token is
 * the credential (it names one export, for five minutes). Refusals are JSON, shaped like GraphQL
 * errors: 404 EXPORT_LINK_UNKNOWN, 410 EXPORT_LINK_EXPIRED, 403 FORBIDDEN, 503 SERVICE_UNAVAILABLE.
 */
@Controller('exports')
export class ExportsController {
  private readonly logger = new Logger(ExportsController.name);

  constructor(private readonly exports: ExportsService) {}

  @Get(':token')
  async download(@Param('token') token: string, @Res() response: Response): Promise<void> {
    let download;
    try {
      download = await this.exports.openDownload(token);
    } catch (error) {
      this.refuse(response, error);
      return;
    }
    response.status(200).set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${download.filename}"`,
      'cache-control': 'no-store',
    });
    try {
      // Backpressure end to end: the cursor fetches the next batch only when the client has taken the last.
      await pipeline(download.rows, download.csv, response);
    } catch (error) {
      // pipeline has destroyed the response: the client sees an incomplete file (no final chunk), never a complete-looking one.
      if (!CLIENT_GONE.has((error as { code?: string }).code ?? ''))
        this.logger.error(`Export ${download.filename} failed: ${String(error)}`);
    } finally {
      await download
        .close()
        .catch((error: unknown) =>
          this.logger.error(`Export ${download.filename} did not release its connection cleanly: ${String(error)}`),
        );
    }
  }

  private refuse(response: Response, error: unknown): void {
    let refusal: { status: number; code: string; message: string };
    if (error instanceof ExportDownloadRefused) refusal = error.refusal;
    else if (isUnavailable(error)) refusal = DownloadRefusal.unavailable;
    else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      refusal = { status: 500, code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
    }
    if (refusal.status === 503) response.set('retry-after', '5');
    response
      .status(refusal.status)
      .json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  }
}
