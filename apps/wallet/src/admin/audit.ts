import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { decodeCursor, type Page, pageOf } from '@paychat/platform';
import { toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { WalletCaller } from '../callers/wallet-caller';

/** The operator and the request an audited action belongs to. */
export interface AdminContext {
  actorId: string;
  requestId: string;
}

interface AuditRow {
  id: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string;
  details: string | null;
  created_at: Date;
}

/** The audit entry id to continue below. */
interface AuditCursor {
  id: number;
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

  /**
   * Newest first, narrowed by `filter` (each filter has its index; the time range bounds the
   * scan through ix_audit_time); the cursor holds the last id seen.
   */
  async page(
    m: Sql,
    limit: number,
    cursor?: string,
    filter: AuditFilter = {},
  ): Promise<Page<AuditEntryView>> {
    const below = cursor
      ? decodeCursor<AuditCursor>(cursor, (c) => Number.isSafeInteger(c.id)).id
      : Number.MAX_SAFE_INTEGER;
    const where = ['id < ?'];
    const params: unknown[] = [below];
    const narrow = (sql: string, value: unknown) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    narrow('actor_id = ?', filter.actorId);
    narrow('action = ?', filter.action);
    narrow('target_id = ?', filter.targetId);
    narrow('created_at >= ?', filter.from);
    narrow('created_at < ?', filter.to);
    const rows = (await m.query(
      `SELECT id, actor_id, action, target_type, target_id, request_id, details, created_at FROM audit_log
       WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, limit + 1],
    )) as AuditRow[];
    return pageOf(rows, limit, toView, (last) => ({ id: toSafeInt(last.id) }) satisfies AuditCursor);
  }
}

/** What an audit log page is narrowed to. */
export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditEntryView {
  id: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string;
  details: unknown;
  createdAt: string;
}

const toView = (r: AuditRow): AuditEntryView => ({
  id: String(r.id),
  actorId: r.actor_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  requestId: r.request_id,
  details: r.details ? (JSON.parse(r.details) as unknown) : null,
  createdAt: new Date(r.created_at).toISOString(),
});
