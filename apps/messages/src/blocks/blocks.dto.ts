import { IsUlid } from '@paychat/contracts';

export class BlockParams {
  @IsUlid('userId must be a user id')
  userId!: string;
}
