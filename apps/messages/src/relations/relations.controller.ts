import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { PairRelation, type PairRelationView } from './pair-relation';
import { PairRelationDto } from './relations.dto';

/**
 * Service-to-service only (a signed call; never routed by the gateway): the wallet asks before
 * writing a payment request. A POST, as every signed internal call, though it only reads.
 */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('wallet')
@Controller('internal/relations')
export class RelationsController {
  constructor(private readonly relation: PairRelation) {}

  @Post('lookup')
  @HttpCode(200)
  lookup(@Body() dto: PairRelationDto): Promise<PairRelationView> {
    return this.relation.lookup(dto.userId, dto.otherUserId);
  }
}
