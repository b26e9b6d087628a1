import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { AdminUsersRepository } from './admin-users.repository';
import { userDetailPage, userListPage } from './admin-views';

/** Users a page of the old list shows. */
const USERS_PER_PAGE = 50;

/** The old admin's two screens: the user list and one user. */
@Injectable()
export class AdminUsersService {
  constructor(private readonly users: AdminUsersRepository) {}

  async listPage(after: number): Promise<string> {
    // One more than a page tells whether a next page exists without a count query.
    const rows = await this.users.page(after, USERS_PER_PAGE + 1);
    const shown = rows.slice(0, USERS_PER_PAGE);
    return userListPage(shown, rows.length > USERS_PER_PAGE ? shown[shown.length - 1]!.id : null);
  }

  async detailPage(id: number): Promise<string> {
    const user = await this.users.byId(id);
    if (!user) throw new AppError('not_found', 'No such legacy user');
    return userDetailPage(user);
  }
}
