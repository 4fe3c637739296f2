import { Router } from 'express';

/** The pages' only stylesheet and script, served from here so the CSP can stay at 'self'. */
const CSS = `
:root { font: 16px/1.5 system-ui, sans-serif; color: #1b1f24; background: #f5f6f8; }
main { max-width: 42rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
.brand { font-weight: 700; color: #0b6bcb; margin: 0 0 1rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
label { display: block; margin: .5rem 0 .2rem; }
input[type=email], input[type=password], input[type=text], input[type=date] { width: 100%; padding: .5rem; font: inherit; box-sizing: border-box; }
fieldset { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; }
fieldset label { display: flex; gap: .5rem; align-items: baseline; font-weight: normal; }
button { font: inherit; padding: .5rem 1rem; margin: .75rem .5rem 0 0; border-radius: 6px; border: 1px solid #0b6bcb; background: #0b6bcb; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #0b6bcb; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
.warning { background: #fff4ce; border-left: 4px solid #f0b429; padding: .5rem 1rem; }
.error { background: #ffe3e3; border-left: 4px solid #d64545; padding: .5rem 1rem; }
.secret { display: flex; gap: .5rem; } .secret input { font-family: ui-monospace, monospace; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td form { margin: 0; } td button { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
`;

const JS = `
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy]');
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  input.select();
  try { await navigator.clipboard.writeText(input.value); } catch { document.execCommand('copy'); }
  button.textContent = 'Copied';
});
`;

export function assetRoutes(): Router {
  const router = Router();
  router.get('/assets/pages.css', (_req, res) => void res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(CSS));
  router.get('/assets/pages.js', (_req, res) => void res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(JS));
  return router;
}
