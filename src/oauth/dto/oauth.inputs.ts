import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsOptional, IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

const HTTPS_URL = { protocols: ['https'], require_protocol: true };

@InputType({ description: "A partner app's OAuth profile, set as a whole: a field left out is cleared." })
export class UpdatePartnerAppProfileInput {
  @GlobalIdInput('PartnerApp', { description: 'The app to update, of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;

  @Field(() => [String], {
    description:
      'Where the OAuth server may send members back with a code, matched exactly: https, http on a loopback address, ' +
      "or an app's own scheme (com.example.app:/callback). Empty: the app cannot use OAuth.",
  })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  redirectUris: string[];

  @Field(() => String, { nullable: true, description: 'Who runs the app (a company, an association, a person).' })
  @IsOptional()
  @Length(1, 100)
  owner?: string;

  @Field(() => String, { nullable: true, description: "The app's website, https." })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl(HTTPS_URL, { message: 'websiteUrl must be an https URL' })
  websiteUrl?: string;

  @Field(() => String, {
    nullable: true,
    description: "The app's logo, https; the consent page shows it at 64×64 pixels.",
  })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl(HTTPS_URL, { message: 'logoUrl must be an https URL' })
  logoUrl?: string;

  @Field(() => String, { nullable: true, description: 'Whom members and coordinators write to about the app.' })
  @IsOptional()
  @MaxLength(254)
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  contactEmail?: string;
}

@InputType({ description: "Which members' consents to a partner app end, and why." })
export class RevokePartnerAppConsentsInput {
  @GlobalIdInput('PartnerApp', { description: 'The app whose consents end, of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;

  @GlobalIdInput('Member', { nullable: true, description: "Only this member's consent; without it, every member's." })
  @IsOptional()
  @IsDatabaseId()
  memberId?: string;

  @Field({ description: 'Why, for the audit log.' })
  @Length(1, 500)
  reason: string;
}
