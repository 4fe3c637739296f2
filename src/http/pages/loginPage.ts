import { html, layout } from './html.js';

export interface LoginView {
  csrf: string;
  /** The pending authorization to continue with after sign-in, if any. */
  request?: string | undefined;
  clientName?: string | undefined;
  email?: string | undefined;
  error?: string | undefined;
}

export function loginPage(v: LoginView): string {
  return layout(
    'Sign in',
    html`<h1>Sign in to SitePulse</h1>
${v.clientName ? html`<p><strong>${v.clientName}</strong> wants to connect to your SitePulse account. Sign in to continue.</p>` : ''}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${v.csrf}">
${v.request ? html`<input type="hidden" name="request" value="${v.request}">` : ''}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${v.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}
