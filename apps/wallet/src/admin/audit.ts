import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Sql } from '../db/sql';
import type { WalletCaller } from '../callers/wallet-caller';

/** The operator and the request an audited action belongs to. */
export interface AdminContext {
  actorId: string;
  requestId: string;
}

export const Admin = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { user: WalletCaller }>();
  return { actorId: request.user.userId, requestId: request.id };
});

/**
 * The audit log: every admin action and every read of personal data, with the request id that
 * ties it to the access log. Written in the same transaction as the action it records.
 */
@Injectable()
export class Audit {
  async record(
    m: Sql,
    who: AdminContext,
    entry: { action: string; targetType: string; targetId?: string; details?: Record<string, unknown> },
  ): Promise<void> {
    await m.query(
      'INSERT INTO audit_log (actor_id, action, target_type, target_id, request_id, details) VALUES (?, ?, ?, ?, ?, ?)',
      [
        who.actorId,
        entry.action,
        entry.targetType,
        entry.targetId ?? null,
        who.requestId,
        entry.details ? JSON.stringify(entry.details) : null,
      ],
    );
  }
}
