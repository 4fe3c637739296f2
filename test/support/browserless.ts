/**
 * A person at a browser, played over plain HTTP: cookies kept per name, redirects not followed (so each
 * step's status and Location can be asserted), forms read from the HTML the server sent.
 */
export class FormBrowser {
  private cookies = new Map<string, string>();

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie && { cookie }), ...extra };
  }

  async get(url: string | URL) {
    const res = await fetch(url, { redirect: 'manual', headers: this.headers() });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, html: await res.text() };
  }

  async post(url: string | URL, fields: [string, string][] | Record<string, string>) {
    const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
    const res = await fetch(url, { method: 'POST', redirect: 'manual', headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }), body });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, html: await res.text() };
  }
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of the first form whose action is `action`. */
export function hiddenFields(html: string, action: string): Record<string, string> {
  const form = html.split('<form').find((f) => f.includes(`action="${action}"`));
  if (!form) throw new Error(`no form posting to ${action} in:\n${html}`);
  const fields: Record<string, string> = {};
  for (const m of form.split('</form>')[0]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = unescape(m[2]!);
  return fields;
}

/** The values of the scope checkboxes a page offers. */
export function offeredScopes(html: string): string[] {
  return [...html.matchAll(/<input type="checkbox"[^>]* name="scope" value="([^"]+)"/g)].map((m) => m[1]!);
}

export interface Consent {
  email: string;
  password: string;
  /** The scopes left ticked; all offered ones when left out. */
  keep?: string[];
  decision?: 'allow' | 'deny';
}

/**
 * Opens an authorization URL, signs in if asked, and answers the consent page. Returns where the server
 * finally sends the browser (the client's redirect URI with code or error) and the consent page's HTML.
 */
export async function authorizeInBrowser(browser: FormBrowser, authorizationUrl: string | URL, c: Consent) {
  const start = await browser.get(authorizationUrl);
  if (start.status !== 303 || !start.location) throw new Error(`/authorize answered ${start.status}: ${start.location ?? start.html}`);
  if (!start.location.startsWith('/')) return { location: start.location, consentHtml: '' };
  const base = new URL(authorizationUrl);
  let page = await browser.get(new URL(start.location, base));
  if (page.html.includes('action="/login"')) {
    const login = await browser.post(new URL('/login', base), { ...hiddenFields(page.html, '/login'), email: c.email, password: c.password });
    if (login.status !== 303) throw new Error(`sign-in answered ${login.status}: ${login.html}`);
    page = await browser.get(new URL(login.location!, base));
  }
  const offered = offeredScopes(page.html);
  const fields: [string, string][] = Object.entries(hiddenFields(page.html, '/authorize/decision'));
  fields.push(['decision', c.decision ?? 'allow']);
  for (const s of c.keep ?? offered) fields.push(['scope', s]);
  const decided = await browser.post(new URL('/authorize/decision', base), fields);
  if (decided.status !== 303) throw new Error(`decision answered ${decided.status}: ${decided.html}`);
  return { location: decided.location!, consentHtml: page.html, offered };
}
