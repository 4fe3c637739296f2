/** Test databases on the real server are copies of one migrated template, one per test file. */
export const TEMPLATE_DB = 'sitepulse_test_template';

/** DATABASE_URL with another database name (the server's `postgres` database by default). */
export function adminUrl(database = 'postgres'): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}
