import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrate.js';
import { TEMPLATE_DB, adminUrl } from './postgres.js';
import { makeLoopbackCertificate } from './tls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    loopbackTls: { key: string; cert: string };
  }
}

/**
 * Migrate once per run, then let each test file copy the result: a PGlite data-dir dump (initdb takes
 * seconds; loading a dump well under one), or a PostgreSQL template database when DATABASE_URL is set.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'sitepulse-test-'));
  const tls = makeLoopbackCertificate(dir);
  process.env.NODE_EXTRA_CA_CERTS = tls.cert;
  project.provide('loopbackTls', tls);
  if (process.env.DATABASE_URL) {
    const admin = await openDatabase({ databaseUrl: adminUrl(), poolSize: 1 });
    await admin.raw(async (s) => {
      await s.exec(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
      await s.exec(`CREATE DATABASE ${TEMPLATE_DB}`);
    });
    await admin.close();
    const template = await openDatabase({ databaseUrl: adminUrl(TEMPLATE_DB), poolSize: 1 });
    await migrate(template);
    await template.close();
  }
  const lite = await PGlite.create();
  const database = await openDatabase({ pglite: lite });
  await migrate(database);
  const dump = join(dir, 'template.tar.gz');
  await writeFile(dump, Buffer.from(await (await lite.dumpDataDir('gzip')).arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', dump);
  return () => rm(dir, { recursive: true, force: true });
}
