import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Legacy user ids are INT: anything else is a 400, never a query. */
const MAX_INT = 2_147_483_647;

/** `?after=<id>`: the page after that user (the "next" link carries it). */
export class UserListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  after: number = 0;
}

export class UserIdParams {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INT)
  id!: number;
}
