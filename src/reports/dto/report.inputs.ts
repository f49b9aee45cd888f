import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { DEFAULT_PAGE_SIZE, PageCursorArg, PageSizeArg } from '../../../libs/graphql/pagination.js';
import { ExportKind } from '../models/report.models.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

const AS_OF = 'The instant to take the balances at (inclusive); now when omitted.';
const FROM = 'Inclusive start of the period; the beginning when omitted.';
const TO = 'Exclusive end of the period; now (inclusive) when omitted.';

@ArgsType()
export class BalanceReportArgs {
  @GlobalIdInput('Community', { description: 'The community to report on.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => Date, { nullable: true, description: AS_OF })
  @IsOptional()
  @IsDate({ message: 'asOf must be a valid ISO 8601 date-time' })
  asOf?: Date;
}

/** The statement's own paging arguments, kept for the clients that page the lines through them. */
const PAGE_THE_LINES =
  'Page the lines with AccountStatement.lines(first:, after:), which leaves the statement itself as it is. Removed on or after 2027-06-01.';

@ArgsType()
export class AccountStatementArgs {
  @GlobalIdInput('Account', {
    description: 'The account whose statement to give: yours, or one in a community you audit.',
  })
  @IsDatabaseId()
  accountId: string;

  @PageSizeArg({
    description: 'The page size of lines when lines(first:) is not given, 1 to 100.',
    deprecationReason: PAGE_THE_LINES,
  })
  first: number = DEFAULT_PAGE_SIZE;

  @PageCursorArg({
    description: 'The page of lines after this cursor when lines(after:) is not given.',
    deprecationReason: PAGE_THE_LINES,
  })
  after?: string;

  @Field(() => Date, { nullable: true, description: FROM })
  @IsOptional()
  @IsDate({ message: 'from must be a valid ISO 8601 date-time' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: TO })
  @IsOptional()
  @IsDate({ message: 'to must be a valid ISO 8601 date-time' })
  to?: Date;
}

@ArgsType()
export class StatementLinesArgs {
  @PageSizeArg({
    optional: true,
    description: 'Lines per page, 1 to 100; omitted, accountStatement(first:) (20 by default).',
  })
  first?: number;

  @PageCursorArg({
    description:
      "The endCursor of the previous page of lines: the next page starts at the line after it. Omitted, accountStatement(after:), or the period's first line.",
  })
  after?: string;
}

@InputType({
  description: 'What to export: the parameters of the matching report. Only those of the chosen kind may be given.',
})
export class RequestExportInput {
  @GlobalIdInput('Community', { description: 'The community the report belongs to.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => ExportKind, { description: 'Which report to export.' })
  @IsEnum(ExportKind)
  kind: ExportKind;

  @GlobalIdInput('Account', {
    nullable: true,
    description: 'STATEMENT only, and required there: an account of the community.',
  })
  @IsOptional()
  @IsDatabaseId()
  accountId?: string;

  @Field(() => Date, { nullable: true, description: `STATEMENT and TRANSFERS. ${FROM}` })
  @IsOptional()
  @IsDate({ message: 'from must be a valid ISO 8601 date-time' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: `STATEMENT and TRANSFERS. ${TO}` })
  @IsOptional()
  @IsDate({ message: 'to must be a valid ISO 8601 date-time' })
  to?: Date;

  @Field(() => Date, { nullable: true, description: `BALANCES only. ${AS_OF}` })
  @IsOptional()
  @IsDate({ message: 'asOf must be a valid ISO 8601 date-time' })
  asOf?: Date;
}

@InputType({
  description:
    'What requestReportExport exports: the parameters of the matching report. Only those of the chosen kind may be given (else INVALID_INPUT).',
})
export class RequestReportExportInput extends RequestExportInput {}
