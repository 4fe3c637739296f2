import { html, layout, type Html } from './html.js';

/** A page that only tells the person something (an unusable link, an expired request), with an optional form. */
export function messagePage(title: string, message: string, extra?: Html): string {
  return layout(title, html`<h1>${title}</h1><p role="alert">${message}</p>${extra}`);
}
