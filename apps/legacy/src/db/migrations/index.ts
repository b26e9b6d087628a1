import { Schema1795400000000 } from './1795400000000-Schema';
import { DemoUsers1795410000000 } from './1795410000000-DemoUsers';
import { RetireSqlRunner1795420000000 } from './1795420000000-RetireSqlRunner';

/** Every legacy migration, in order: listed explicitly so the bundle and tests need no glob. */
export const LEGACY_MIGRATIONS = [Schema1795400000000, DemoUsers1795410000000, RetireSqlRunner1795420000000];
