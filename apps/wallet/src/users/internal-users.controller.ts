import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { LookupUsersDto } from './users.dto';
import { UsersRepository } from './users.repository';

/** The user directory for sibling services (messages checks chat members here). Signed calls only. */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('messages')
@Controller('internal/users')
export class InternalUsersController {
  constructor(private readonly users: UsersRepository) {}

  /** The active users among `userIds`; unknown and disabled ones are simply absent. */
  @Post('lookup')
  @HttpCode(200)
  async lookup(@Body() dto: LookupUsersDto) {
    return { users: await this.users.active(dto.userIds) };
  }
}
