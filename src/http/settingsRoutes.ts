import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { connectedApps, disconnectApp } from '../auth/oauth/grants.js';
import { csrfToken, type BrowserSession, type SessionUser } from '../auth/sessions.js';
import { createMcpToken, listTokens, maxExpiry, revokeToken } from '../auth/tokens.js';
import type { Db } from '../db/index.js';
import { AppError } from '../domain/errors.js';
import { checkedValues, formBody } from './forms.js';
import { pageHeaders, type Sessions } from './browserSession.js';
import { settingsPage, type SettingsView } from './pages/settingsPage.js';

const CreateForm = z.object({
  name: z.string().max(200).default(''),
  scope: checkedValues,
  expires_on: z.iso.date().optional(),
});
const RevokeApp = z.object({ client_id: z.string().min(1).max(2000) });

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A chosen day means "through the end of that day", except the last allowed day, which ends exactly six
 * months after now (the limit createMcpToken enforces).
 */
function expiryFor(day: string | undefined, now: Date): Date | undefined {
  if (!day) return undefined;
  const limit = maxExpiry(now);
  return day === ymd(limit) ? limit : new Date(`${day}T23:59:59.999Z`);
}

/** Settings → MCP: the signed-in user's MCP tokens and connected OAuth apps, on the login session. */
export function settingsRoutes(db: Db, sessions: Sessions): Router {
  const router = Router();

  async function render(res: Response, session: BrowserSession, extra: Pick<SettingsView, 'created' | 'error'> = {}, status = 200) {
    const user = session.user as SessionUser;
    const now = new Date();
    const view: SettingsView = {
      csrf: csrfToken(session.secret),
      userEmail: user.email,
      emailVerified: user.verified,
      tokens: await listTokens(db, user.id),
      apps: await connectedApps(db, user.id, now),
      minExpiry: ymd(new Date(now.getTime() + 24 * 60 * 60 * 1000)),
      maxExpiry: ymd(maxExpiry(now)),
      ...extra,
    };
    res.status(status).send(settingsPage(view));
  }

  /** The signed-in session of a CSRF-checked form post; a signed-out browser is sent to sign in. */
  async function signedInForm(req: Request, res: Response) {
    const session = await sessions.forForm(req, res);
    if (session && !session.user) res.redirect(303, '/login');
    return session?.user ? session : null;
  }

  router.use('/settings', pageHeaders);

  router.get('/settings/mcp', async (req, res) => {
    const session = await sessions.load(req);
    if (!session?.user) return res.redirect(303, '/login');
    await render(res, session);
  });

  router.post('/settings/mcp/tokens', formBody, async (req, res) => {
    const session = await signedInForm(req, res);
    if (!session) return;
    const body = CreateForm.safeParse(req.body);
    if (!body.success) return render(res, session, { error: 'Give the token a name, some scopes and an expiry date.' }, 422);
    const now = new Date();
    try {
      const { secret, token } = await createMcpToken(db, {
        userId: session.user!.id,
        name: body.data.name,
        scopes: body.data.scope,
        expiresAt: expiryFor(body.data.expires_on, now),
        now,
      });
      await render(res, session, { created: { name: token.name, secret } }, 201);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await render(res, session, { error: err.message }, err.status);
    }
  });

  router.post('/settings/mcp/tokens/:id/revoke', formBody, async (req, res) => {
    const session = await signedInForm(req, res);
    if (!session) return;
    const id = Number(req.params.id);
    if (Number.isSafeInteger(id) && id > 0) await revokeToken(db, { id, userId: session.user!.id });
    res.redirect(303, '/settings/mcp');
  });

  router.post('/settings/mcp/apps/revoke', formBody, async (req, res) => {
    const session = await signedInForm(req, res);
    if (!session) return;
    const body = RevokeApp.safeParse(req.body);
    if (body.success) await disconnectApp(db, session.user!.id, body.data.client_id, new Date());
    res.redirect(303, '/settings/mcp');
  });

  return router;
}
