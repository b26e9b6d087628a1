import { Injectable } from '@nestjs/common';
import { BalanceWrites, SettingsRepository } from '../settings/settings.repository';

export const LEGACY_VERSION = '1.0.0';

export interface StatusView {
  service: 'legacy';
  version: string;
  balanceWrites: BalanceWrites;
}

@Injectable()
export class StatusService {
  constructor(private readonly settings: SettingsRepository) {}

  async status(): Promise<StatusView> {
    return { service: 'legacy', version: LEGACY_VERSION, balanceWrites: await this.settings.balanceWrites() };
  }
}
