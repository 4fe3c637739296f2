import { SCOPES, isScope } from '../../access/scopes.js';
import { describeRedirect } from '../../auth/oauth/redirectUris.js';
import { html, layout } from './html.js';

export interface ConsentView {
  csrf: string;
  request: string;
  userEmail: string;
  clientName: string;
  clientId: string;
  clientKind: 'dcr' | 'cimd';
  redirectUri: string;
  scopes: string[];
  error?: string | undefined;
}

/**
 * What the person decides on: who asks (name, and for a metadata document the host vouching for it), where
 * the answer goes (the redirect host, with a warning when it is only this computer, which any local program
 * can listen on), and the scopes, each a checkbox they may untick.
 */
export function consentPage(v: ConsentView): string {
  const redirect = describeRedirect(v.redirectUri);
  const vouchedBy = v.clientKind === 'cimd' ? new URL(v.clientId).host : null;
  return layout(
    `Allow ${v.clientName}?`,
    html`<h1>Allow <strong>${v.clientName}</strong> to use your SitePulse account?</h1>
<p>Signed in as <strong>${v.userEmail}</strong>.</p>
<p>${vouchedBy ? html`Client described by <strong>${vouchedBy}</strong>. ` : 'Self-registered client; SitePulse cannot vouch for its name. '}
After you decide, you go to <strong>${redirect.host}</strong>.</p>
${redirect.loopback ? html`<p class="warning" role="note">This application receives the answer on your own computer (${redirect.host}). Any program on this computer could claim to be ${v.clientName}: allow only if you just started this connection yourself.</p>` : ''}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<form method="post" action="/authorize/decision">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="request" value="${v.request}">
<fieldset>
<legend>It will be able to:</legend>
${v.scopes.filter(isScope).map(
  (s, i) => html`<label for="scope-${i}"><input type="checkbox" id="scope-${i}" name="scope" value="${s}" checked> ${SCOPES[s]} <code>${s}</code></label>`,
)}
</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
</form>`,
  );
}
