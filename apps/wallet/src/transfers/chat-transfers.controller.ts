import { Body, Controller, Param, Post } from '@nestjs/common';
import { directPair, IsConversationId } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { TransferFunds } from './transfer-funds.usecase';
import { AmountAndMemoDto } from './transfers.dto';

export class ConversationParams {
  @IsConversationId()
  id!: string;
}

/**
 * Money in a chat. A direct chat's id names its two members, so the recipient is derived here
 * without asking the messages service: sending money works even while chat is down. The transfer
 * and its `transfer.created` event commit together; the relay then posts it into the chat.
 */
@Controller('v2/conversations/:id/transfers')
export class ChatTransfersController {
  constructor(private readonly transferFunds: TransferFunds) {}

  @Post()
  create(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Param() p: ConversationParams,
    @Body() dto: AmountAndMemoDto,
  ) {
    const pair = directPair(p.id);
    if (!pair) throw new AppError('not_direct_conversation', 'Money can be sent in direct chats only');
    // Not one of the pair: the same 404 as the messages service gives a non-member.
    if (!pair.includes(caller.userId)) throw new AppError('not_found', 'Conversation not found');
    const toUserId = pair[0] === caller.userId ? pair[1] : pair[0];
    return this.transferFunds.execute({ from: caller, toUserId, ...dto }, scope, { toUserId, ...dto });
  }
}
