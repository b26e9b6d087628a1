import { Controller, Get } from '@nestjs/common';
import { StatusService } from './status.service';

/** Who answers `/v1` (the gateway's strangler routing is checked against it) and whether balances may change. */
@Controller('v1')
export class StatusController {
  constructor(private readonly statusService: StatusService) {}

  @Get('status')
  status() {
    return this.statusService.status();
  }
}
