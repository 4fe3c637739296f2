import { z } from 'zod';

/** Every setting, read once from the environment and validated, so a typo fails at start, not at 3 a.m. */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./.sitepulse'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_PRIVATE_TARGETS: flag.default(false),
  /** Comma-separated extra browser origins allowed to call /mcp (the PUBLIC_URL origin always is). */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Comma-separated custom URI schemes native MCP clients may register as OAuth redirect URIs. */
  OAUTH_REDIRECT_SCHEMES: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*(,[a-z][a-z0-9+.-]*)*$/, 'comma-separated lowercase URI schemes')
    .default('cursor,vscode,vscode-insiders,windsurf,claude,zed'),
});

export interface Config {
  port: number;
  host: string;
  /** Where users and clients reach this server, without a trailing slash. */
  publicUrl: string;
  /** The protected resource: `<publicUrl>/mcp`, bound into every token issued for it. */
  resource: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  allowPrivateTargets: boolean;
  allowedOrigins: ReadonlySet<string>;
  /** Custom schemes (without ':') allowed in OAuth redirect URIs, besides https and loopback http. */
  redirectSchemes: ReadonlySet<string>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset, so `DATABASE_URL= npm start` means the embedded default.
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const origins = e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    resource: `${publicUrl}/mcp`,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    allowPrivateTargets: e.ALLOW_PRIVATE_TARGETS,
    allowedOrigins: new Set([new URL(publicUrl).origin, ...origins]),
    redirectSchemes: new Set(e.OAUTH_REDIRECT_SCHEMES.split(',')),
  };
}
