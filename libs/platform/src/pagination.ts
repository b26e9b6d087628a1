import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCursor } from '@paychat/contracts';

/** Every list's answer: a page of items and the cursor of the next one (`null` at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `?limit=` for every list (1–100, default 20); lists add their own cursor shape. */
export class LimitQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

/** `?limit=&cursor=`: the opaque cursor is the previous page's `nextCursor`. */
export class PageQuery extends LimitQuery {
  @IsOptional()
  @IsCursor()
  cursor?: string;
}
