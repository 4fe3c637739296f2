import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { parseAuthorizationRequest, redirectWith, savePendingAuthorization } from '../auth/oauth/authorizationRequest.js';
import { HANDLE_RE, decide, findPending, type PendingAuthorization } from '../auth/oauth/consent.js';
import { checkCredentials } from '../auth/login.js';
import { csrfToken, endSession, signIn, type BrowserSession } from '../auth/sessions.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { pageHeaders, type Sessions } from './browserSession.js';
import { checkedValues, formBody } from './forms.js';
import { consentPage } from './pages/consentPage.js';
import { html } from './pages/html.js';
import { loginPage } from './pages/loginPage.js';
import { messagePage } from './pages/messagePage.js';

const EXPIRED = 'This sign-in request has expired, was already answered, or was opened in another browser. Start again from your application.';


const LoginForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  request: z.string().regex(HANDLE_RE).optional(),
});
const DecisionForm = z.object({ request: z.string(), decision: z.enum(['allow', 'deny']), scope: checkedValues });

/** The browser half of the authorization code flow: /authorize, sign-in, consent and the decision. */
export function authorizeRoutes(config: Config, db: Db, sessions: Sessions): Router {
  const router = Router();
  const policy = config;
  const consentUrl = (handle: string) => `/authorize/consent?request=${encodeURIComponent(handle)}`;

  function showConsent(res: Response, session: BrowserSession, handle: string, pending: PendingAuthorization, error?: string) {
    const user = session.user!;
    if (!user.verified) {
      const cancel = html`<form method="post" action="/authorize/decision"><input type="hidden" name="csrf" value="${csrfToken(session.secret)}"><input type="hidden" name="request" value="${handle}"><button type="submit" name="decision" value="deny" class="secondary">Back to ${pending.clientName}</button></form>`;
      return void res.status(403).send(messagePage('Verify your email first', `${user.email} is not verified yet. Open the link SitePulse emailed you, then connect ${pending.clientName} again.`, cancel));
    }
    res.status(error ? 400 : 200).send(
      consentPage({
        csrf: csrfToken(session.secret),
        request: handle,
        userEmail: user.email,
        clientName: pending.clientName,
        clientId: pending.clientId,
        clientKind: pending.clientKind,
        redirectUri: pending.redirectUri,
        scopes: pending.scopes,
        error,
      }),
    );
  }

  router.use(['/authorize', '/login', '/logout'], pageHeaders);

  router.get('/authorize', async (req, res) => {
    const now = new Date();
    const outcome = await parseAuthorizationRequest({ db, policy, resource: config.resource, ip: req.ip ?? 'unknown', now }, req.query);
    if (!outcome.ok && 'show' in outcome) return void res.status(400).send(messagePage('This connection link cannot be used', outcome.show.description));
    if (!outcome.ok) {
      const { redirect: err, redirectUri, state } = outcome;
      return res.redirect(303, redirectWith(redirectUri, { error: err.code, error_description: err.description, state, iss: config.publicUrl }));
    }
    const session = await sessions.ensure(req, res);
    const handle = await savePendingAuthorization(db, session.id, outcome.request, now);
    res.redirect(303, consentUrl(handle));
  });

  router.get('/authorize/consent', async (req, res) => {
    const handle = typeof req.query.request === 'string' ? req.query.request : '';
    const session = await sessions.load(req);
    const pending = session && (await findPending(db, handle, session.id, new Date()));
    if (!session || !pending) return void res.status(400).send(messagePage('Start again', EXPIRED));
    if (!session.user) return void res.send(loginPage({ csrf: csrfToken(session.secret), request: handle, clientName: pending.clientName }));
    showConsent(res, session, handle, pending);
  });

  router.post('/authorize/decision', formBody, async (req, res) => {
    const session = await sessions.forForm(req, res);
    if (!session) return;
    const body = DecisionForm.safeParse(req.body);
    const now = new Date();
    const pending = body.success && session.user ? await findPending(db, body.data.request, session.id, now) : null;
    if (!body.success || !pending) return void res.status(400).send(messagePage('Start again', EXPIRED));
    const { request: handle, decision, scope } = body.data;
    let target: string | null;
    if (decision === 'deny') target = await decide(db, handle, session.id, { allow: false }, config.publicUrl, now);
    else {
      if (!session.user!.verified) return showConsent(res, session, handle, pending);
      const chosen = pending.scopes.filter((s) => scope.includes(s));
      if (!chosen.length || scope.some((s) => !pending.scopes.includes(s))) {
        return showConsent(res, session, handle, pending, 'Tick at least one of the permissions below, or choose Deny.');
      }
      target = await decide(db, handle, session.id, { allow: true, userId: session.user!.id, scopes: chosen }, config.publicUrl, now);
    }
    if (!target) return void res.status(400).send(messagePage('Start again', EXPIRED));
    res.redirect(303, target);
  });

  router.get('/login', async (req, res) => {
    const session = await sessions.ensure(req, res);
    if (session.user) return res.redirect(303, '/settings/mcp');
    res.send(loginPage({ csrf: csrfToken(session.secret) }));
  });

  router.post('/login', formBody, async (req: Request, res: Response) => {
    const session = await sessions.forForm(req, res);
    if (!session) return;
    const body = LoginForm.safeParse(req.body);
    const request = body.success ? body.data.request : undefined;
    const again = (status: number, error: string) =>
      void res.status(status).send(loginPage({ csrf: csrfToken(session.secret), request, email: body.data?.email, error }));
    if (!body.success) return again(400, 'Enter your email and password.');
    const now = new Date();
    const result = await checkCredentials(db, { email: body.data.email, password: body.data.password, ip: req.ip ?? 'unknown' }, now);
    if (!result.ok && result.reason === 'throttled') {
      res.set('Retry-After', String(result.retryAfterSeconds));
      return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s).`);
    }
    if (!result.ok) return again(401, 'That email and password do not match an account.');
    const { secret, expiresAt } = await signIn(db, session.id, result.userId, now);
    sessions.setCookie(res, secret, expiresAt);
    res.redirect(303, request ? consentUrl(request) : '/settings/mcp');
  });

  router.post('/logout', formBody, async (req, res) => {
    const session = await sessions.forForm(req, res);
    if (!session) return;
    await endSession(db, session.id);
    sessions.clearCookie(res);
    res.redirect(303, '/login');
  });

  return router;
}
