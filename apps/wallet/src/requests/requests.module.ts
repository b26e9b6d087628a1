import { Module } from '@nestjs/common';
import { TransfersModule } from '../transfers/transfers.module';
import { Parties } from '../users/parties';
import { ChatRelations } from './chat-relations';
import { ListRequests } from './list-requests.usecase';
import { PaymentRequests } from './payment-requests';
import { RequestsController } from './requests.controller';
import { RequestsRepository } from './requests.repository';

@Module({
  imports: [TransfersModule],
  controllers: [RequestsController],
  providers: [PaymentRequests, ListRequests, RequestsRepository, Parties, ChatRelations],
  exports: [PaymentRequests],
})
export class RequestsModule {}
