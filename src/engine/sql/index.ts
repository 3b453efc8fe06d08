export { rulesToSql, SQL_RESULT_COLUMNS, type SqlOptions } from './generate';
export { SQL_DIALECTS, DIALECTS, type SqlDialect, type DialectSpec } from './dialects';
