import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { ExportKind } from '../models/report.models.js';

const AS_OF = 'The instant to take the balances at (inclusive); now when omitted.';
const FROM = 'Inclusive start of the period; the beginning when omitted.';
const TO = 'Exclusive end of the period; now (inclusive) when omitted.';

@ArgsType()
export class BalanceReportArgs {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => Date, { nullable: true, description: AS_OF })
  @IsOptional()
  @IsDate({ message: 'asOf must be a valid ISO 8601 date-time' })
  asOf?: Date;
}

@ArgsType()
export class AccountStatementArgs extends PageArgs {
  @Field(() => ID)
  @IsDatabaseId()
  accountId: string;

  @Field(() => Date, { nullable: true, description: FROM })
  @IsOptional()
  @IsDate({ message: 'from must be a valid ISO 8601 date-time' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: TO })
  @IsOptional()
  @IsDate({ message: 'to must be a valid ISO 8601 date-time' })
  to?: Date;
}

@InputType({
  description: 'What to export: the parameters of the matching report. Only those of the chosen kind may be given.',
})
export class RequestExportInput {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => ExportKind)
  @IsEnum(ExportKind)
  kind: ExportKind;

  @Field(() => ID, { nullable: true, description: 'STATEMENT only, and required there: an account of the community.' })
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
