import { IsConversationId, IsUlid } from '@paychat/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { MAX_MEMBERS } from './conversation';

const memberIds = () => (target: object, key: string) => {
  IsArray()(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(MAX_MEMBERS - 1)(target, key);
  ArrayUnique()(target, key);
  IsUlid('memberIds must be user ids', true)(target, key);
};

export class CreateConversationDto {
  /** The other participants; the caller is always a member. */
  @memberIds()
  memberIds!: string[];

  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string;
}

export class AddMembersDto {
  @memberIds()
  memberIds!: string[];
}

export class ConversationParams {
  @IsConversationId()
  id!: string;
}
