import { CONVERSATION_ID, USER_ID } from '@paychat/contracts';
import { LimitQuery } from '@paychat/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { MAX_MEMBERS } from './conversation';

const memberIds = () => (target: object, key: string) => {
  IsArray()(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(MAX_MEMBERS - 1)(target, key);
  ArrayUnique()(target, key);
  Matches(USER_ID, { each: true, message: 'memberIds must be user ids' })(target, key);
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
  @Matches(CONVERSATION_ID, { message: 'id is not a conversation id' })
  id!: string;
}

export class ListConversationsQuery extends LimitQuery {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor is not valid' })
  cursor?: string;
}
