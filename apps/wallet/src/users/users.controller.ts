import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { HandleParams, UpdateProfileDto } from './users.dto';
import { UsersRepository } from './users.repository';

@Controller('v2')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  /** The first authenticated call has already provisioned the user and wallet (WalletCallerResolver). */
  @Get('me')
  me(@CurrentCaller() caller: WalletCaller) {
    return this.users.profile(caller.userId);
  }

  @Patch('me')
  async update(@CurrentCaller() caller: WalletCaller, @Body() dto: UpdateProfileDto) {
    await this.users.update(caller.userId, dto);
    return this.users.profile(caller.userId);
  }

  @Get('users/:handle')
  find(@Param() params: HandleParams) {
    return this.users.byHandle(params.handle);
  }
}
