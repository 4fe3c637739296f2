import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';
import { ALL_SCOPES } from '../access/scopes.js';

/** RFC 9728 protected-resource metadata, at the path-suffixed location and at the root. */
export function wellKnownRoutes(config: Config): Router {
  const router = Router();
  const metadata = {
    resource: config.resource,
    authorization_servers: [config.publicUrl],
    scopes_supported: ALL_SCOPES,
    bearer_methods_supported: ['header'],
    resource_name: 'SitePulse MCP',
    resource_documentation: `${config.publicUrl}/`,
  };
  const send = (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=3600').json(metadata);
  };
  router.get('/.well-known/oauth-protected-resource/mcp', send);
  router.get('/.well-known/oauth-protected-resource', send);
  return router;
}
