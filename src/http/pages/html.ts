import escapeHtml from 'escape-html';

/** Markup that is already safe. Only `html` creates one, so every other value is escaped on the way in. */
export class Html {
  constructor(readonly markup: string) {}
  toString() {
    return this.markup;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const render = (v: Part): string =>
  v instanceof Html ? v.markup : Array.isArray(v) ? v.map(render).join('') : v === null || v === undefined || v === false ? '' : escapeHtml(String(v));

/** Tagged template: interpolated values are HTML-escaped unless they are themselves `html` fragments. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SitePulse</title>
<link rel="stylesheet" href="/assets/pages.css">
<script src="/assets/pages.js" defer></script>
</head>
<body>
<main>
<p class="brand">SitePulse</p>
${body}
</main>
</body>
</html>`.markup;
}
