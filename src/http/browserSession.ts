import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { csrfMatches, findSession, startSession, type BrowserSession } from '../auth/sessions.js';
import { messagePage } from './pages/messagePage.js';

/**
 * The browser side of sessions: one HttpOnly, SameSite=Lax cookie, `Secure` with the `__Host-` prefix
 * when the server is reached over https (the prefix also pins it to this host and path /).
 */
export function browserSessions(config: Config, db: Db) {
  const secure = config.publicUrl.startsWith('https:');
  const name = secure ? '__Host-sitepulse_session' : 'sitepulse_session';
  const options = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };

  const secretOf = (req: Request) => {
    const header = req.get('cookie');
    const value = header ? parseCookies(header)[name] : undefined;
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  };

  const sessions = {
    async load(req: Request): Promise<BrowserSession | null> {
      const secret = secretOf(req);
      return secret ? findSession(db, secret, new Date()) : null;
    },
    async ensure(req: Request, res: Response): Promise<BrowserSession> {
      const existing = await sessions.load(req);
      if (existing) return existing;
      const created = await startSession(db, new Date());
      sessions.setCookie(res, created.secret, created.expiresAt);
      return created;
    },
    setCookie(res: Response, secret: string, expires: Date) {
      res.cookie(name, secret, { ...options, expires });
    },
    clearCookie(res: Response) {
      res.clearCookie(name, options);
    },
    /** The session of a form post, only if the form carries the session's CSRF token; otherwise a 403 page. */
    async forForm(req: Request, res: Response): Promise<BrowserSession | null> {
      const session = await sessions.load(req);
      const csrf = (req.body as Record<string, unknown> | undefined)?.csrf;
      if (session && csrfMatches(session.secret, csrf)) return session;
      res.status(403).send(messagePage('Please try again', 'This form has expired or did not come from SitePulse. Go back, reload the page and submit it again.'));
      return null;
    },
  };
  return sessions;
}

export type Sessions = ReturnType<typeof browserSessions>;

/** Headers for every HTML page: no framing (clickjacking), no caching, no referrer leaking request handles. */
export function pageHeaders(_req: Request, res: Response, next: NextFunction) {
  res.set({
    'Content-Security-Policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
  res.type('html');
  next();
}
