import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WalletCaller } from '../callers/wallet-caller';
import type { RequestsQuery } from './requests.dto';
import { RequestsRepository } from './requests.repository';

/** One page of the requests the caller pays (incoming) or asked for (outgoing), newest first. */
@Injectable()
export class ListRequests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
  ) {}

  execute(caller: WalletCaller, q: RequestsQuery) {
    return this.requests.page(this.dataSource.manager, caller.userId, q.role, q.status, q.limit, q.cursor);
  }
}
