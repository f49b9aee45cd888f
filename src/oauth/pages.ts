import { createHash } from 'node:crypto';
import { PartnerScope } from '../access/actor.js';
import type { OAuthClientRow } from './oauth.repository.js';

/** The scopes a member may approve for an app: acting for them. Auditing is never a member's to give. */
export type ApprovableScope = PartnerScope.ACT_FOR_MEMBER;

/**
 * The sign-in and consent pages, rendered on the server: the web app does not exist yet. Every
 * value is escaped; the pages run no script and load nothing but their inline style (allowed by
 * its hash) and the app's https logo, and no other site may frame them (clickjacking).
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}
body{line-height:1.45}h1{font-size:1.4rem}.app{display:flex;gap:1rem;align-items:center}
.app img{width:64px;height:64px;object-fit:contain}label{display:block;margin:.8rem 0 .2rem}
input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#a00;font-weight:600}.small{font-size:.85rem;color:#555}
dt{font-weight:600;margin-top:.6rem}dd{margin:0}`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** What each scope lets an app do, said to the member who decides. */
const SCOPE_WORDS: Record<ApprovableScope, (community: string) => string> = {
  [PartnerScope.ACT_FOR_MEMBER]: (community) =>
    `Use your time-bank account in ${community} as you would: see your balance, statements and transfers, ` +
    'pay other members, and manage your listings and exchanges. It never sees your email or password, ' +
    'cannot change your profile, join or leave communities for you, and has no coordinator rights.',
};

function describeScope(scope: ApprovableScope, community: string): string {
  return SCOPE_WORDS[scope](community);
}

export interface Page {
  status: number;
  html: string;
  /** The Content-Security-Policy header to send with it. */
  csp: string;
}

/**
 * `formTargets` are where a form's submission may end up after its redirects: the consent form
 * ends at the app's redirect URI, and browsers hold redirects after a form post to form-action.
 */
function page(status: number, title: string, body: string, formTargets: string[] = []): Page {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Pumasi</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  const formAction = ["'self'", ...formTargets].join(' ');
  const csp =
    `default-src 'none'; style-src ${STYLE_HASH}; img-src https:; form-action ${formAction}; ` +
    "frame-ancestors 'none'; base-uri 'none'";
  return { status, html, csp };
}

/** The origin of an http(s) redirect URI, or the scheme of an app's own (`com.example.app:`): safe to put in a CSP. */
export function formTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : url.protocol;
}

function appCard(app: OAuthClientRow): string {
  const logo = app.logoUrl ? `<img src="${escapeHtml(app.logoUrl)}" alt="">` : '';
  const facts = [
    ['Run by', app.owner ? escapeHtml(app.owner) : 'not stated'],
    [
      'Website',
      app.websiteUrl
        ? `<a href="${escapeHtml(app.websiteUrl)}" rel="noopener noreferrer" target="_blank">` +
          `${escapeHtml(app.websiteUrl)}</a>`
        : 'not stated',
    ],
    ['Contact', app.contactEmail ? escapeHtml(app.contactEmail) : 'not stated'],
    ['Registered for', escapeHtml(app.communityName)],
  ];
  return `<div class="app">${logo}<strong>${escapeHtml(app.name)}</strong></div>
<dl>${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

export function loginPage(
  uid: string,
  app: OAuthClientRow,
  error: { status: number; message: string } | null,
  email = '',
): Page {
  const notice = error ? `<p class="error" role="alert">${escapeHtml(error.message)}</p>` : '';
  return page(
    error?.status ?? 200,
    'Sign in to Pumasi',
    `<p>${escapeHtml(app.name)} asks to act for you. Sign in to see what it asks.</p>
${appCard(app)}${notice}
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/login" autocomplete="on">
<label for="email">Email</label>
<input id="email" name="email" type="email" required maxlength="254" value="${escapeHtml(email)}">
<label for="password">Password</label><input id="password" name="password" type="password" required maxlength="200">
<button type="submit">Sign in</button></form>
<p class="small">Only sign in here if the address bar shows this Pumasi server.</p>`,
  );
}

export function consentPage(
  uid: string,
  app: OAuthClientRow,
  member: { displayName: string; email: string },
  scopes: ApprovableScope[],
  redirectUri: string,
): Page {
  const asked = scopes.map((scope) => `<li>${escapeHtml(describeScope(scope, app.communityName))}</li>`).join('');
  return page(
    200,
    `Allow ${app.name} to act for you?`,
    `${appCard(app)}
<p>Signed in as <strong>${escapeHtml(member.displayName)}</strong> (${escapeHtml(member.email)}).</p>
<p>If you allow it, ${escapeHtml(app.name)} may:</p><ul>${asked}</ul>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/consent">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>
<p class="small">You can withdraw this at any time (partnerConsents and withdrawPartnerAppConsent in the API);
the app's access ends at once. Coordinators of ${escapeHtml(app.communityName)} can end it too.</p>`,
    [formTarget(redirectUri)],
  );
}

export function errorPage(status: number, title: string, message: string): Page {
  return page(status, title, `<p>${escapeHtml(message)}</p><p class="small">Go back to the app and start again.</p>`);
}
