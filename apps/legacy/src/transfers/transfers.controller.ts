import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { LegacyCaller } from '../sessions/legacy-caller';
import { LegacySessionGuard } from '../sessions/legacy-session.guard';
import { LegacyUser } from '../sessions/legacy-user.decorator';
import { TransferDto } from './transfers.dto';
import { TransfersService } from './transfers.service';

@Controller('v1')
@UseGuards(LegacySessionGuard)
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post('transfers')
  @HttpCode(201)
  transfer(@LegacyUser() user: LegacyCaller, @Body() dto: TransferDto) {
    return this.transfers.transfer(user, dto);
  }
}
