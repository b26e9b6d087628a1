import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { ChatCaller } from '../users/chat-caller';
import { DeviceDto } from './devices.dto';
import { DevicesRepository } from './devices.repository';

@Controller('v2/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesRepository) {}

  @Post()
  @HttpCode(204)
  async register(@CurrentCaller() user: ChatCaller, @Body() dto: DeviceDto) {
    await this.devices.register(user.userId, dto);
  }

  @Delete()
  @HttpCode(204)
  async unregister(@CurrentCaller() user: ChatCaller, @Body() dto: DeviceDto) {
    await this.devices.unregister(user.userId, dto.token);
  }
}
