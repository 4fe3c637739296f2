import { ALL_SCOPES, SCOPES } from '../../access/scopes.js';
import { html, layout } from './html.js';

export interface SettingsView {
  csrf: string;
  userEmail: string;
  emailVerified: boolean;
  tokens: { id: number; name: string; scopes: string[]; created_at: string; expires_at: string; revoked_at: string | null; last_used_at: string | null }[];
  apps: { client_id: string; client_name: string; scopes: string[]; connected_at: string; last_used_at: string | null }[];
  /** Expiry bounds for a new token, as YYYY-MM-DD. */
  minExpiry: string;
  maxExpiry: string;
  created?: { name: string; secret: string } | undefined;
  error?: string | undefined;
}

const day = (isoTime: string | null) => (isoTime ? isoTime.slice(0, 10) : 'never');

function tokensTable(v: SettingsView) {
  const live = v.tokens.filter((t) => !t.revoked_at && t.expires_at > new Date().toISOString());
  if (!live.length) return html`<p>No MCP tokens yet.</p>`;
  return html`<table>
<thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${live.map(
    (t) => html`<tr><td>${t.name}</td><td>${t.scopes.join(', ')}</td><td>${day(t.last_used_at)}</td><td>${day(t.expires_at)}</td>
<td><form method="post" action="/settings/mcp/tokens/${t.id}/revoke"><input type="hidden" name="csrf" value="${v.csrf}"><button type="submit" class="secondary" aria-label="Revoke ${t.name}">Revoke</button></form></td></tr>`,
  )}</tbody></table>`;
}

function appsTable(v: SettingsView) {
  if (!v.apps.length) return html`<p>No applications are connected.</p>`;
  return html`<table>
<thead><tr><th scope="col">Application</th><th scope="col">Scopes</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${v.apps.map(
    (a) => html`<tr><td>${a.client_name}<br><small>connected ${day(a.connected_at)}</small></td><td>${a.scopes.join(', ')}</td><td>${day(a.last_used_at)}</td>
<td><form method="post" action="/settings/mcp/apps/revoke"><input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="client_id" value="${a.client_id}"><button type="submit" class="secondary" aria-label="Disconnect ${a.client_name}">Disconnect</button></form></td></tr>`,
  )}</tbody></table>`;
}

export function settingsPage(v: SettingsView): string {
  return layout(
    'Settings → MCP',
    html`<h1>Settings → MCP</h1>
<form method="post" action="/logout"><p>Signed in as <strong>${v.userEmail}</strong>. <input type="hidden" name="csrf" value="${v.csrf}"><button type="submit" class="secondary">Sign out</button></p></form>
${v.emailVerified ? '' : html`<p class="warning" role="note">Your email address is not verified: tokens you create will be refused until you verify it.</p>`}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
${v.created
  ? html`<section aria-labelledby="created"><h2 id="created">Token “${v.created.name}” created</h2>
<p>Copy it now: it is shown only once.</p>
<p class="secret"><input id="new-token" type="text" readonly value="${v.created.secret}" aria-label="New token"><button type="button" data-copy="new-token">Copy</button></p></section>`
  : ''}
<h2>MCP tokens</h2>
${tokensTable(v)}
<h2>Create a token</h2>
<form method="post" action="/settings/mcp/tokens">
<input type="hidden" name="csrf" value="${v.csrf}">
<label for="token-name">Name</label>
<input id="token-name" name="name" type="text" required maxlength="100" placeholder="CI agent">
<fieldset><legend>Scopes</legend>
${ALL_SCOPES.map((s, i) => html`<label for="new-scope-${i}"><input type="checkbox" id="new-scope-${i}" name="scope" value="${s}"> ${SCOPES[s]} <code>${s}</code></label>`)}
</fieldset>
<label for="token-expiry">Expires on (at most six months from today)</label>
<input id="token-expiry" name="expires_on" type="date" required min="${v.minExpiry}" max="${v.maxExpiry}" value="${v.maxExpiry}">
<button type="submit">Create token</button>
</form>
<h2>Connected applications</h2>
${appsTable(v)}`,
  );
}
