import { IsUlid } from '@paychat/contracts';

export class PairRelationDto {
  @IsUlid('userId must be a user id')
  userId!: string;

  @IsUlid('otherUserId must be a user id')
  otherUserId!: string;
}
