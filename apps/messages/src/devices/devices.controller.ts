import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ChatUser, type ChatCaller } from '../users/chat-user';
import { DeviceDto } from './devices.dto';
import { DevicesRepository } from './devices.repository';

@Controller('v2/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesRepository) {}

  @Post()
  @HttpCode(204)
  async register(@ChatUser() user: ChatCaller, @Body() dto: DeviceDto) {
    await this.devices.register(user.userId, dto);
  }

  @Delete()
  @HttpCode(204)
  async unregister(@ChatUser() user: ChatCaller, @Body() dto: DeviceDto) {
    await this.devices.unregister(user.userId, dto.token);
  }
}
