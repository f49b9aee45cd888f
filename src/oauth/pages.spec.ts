import { PartnerScope } from '../access/actor.js';
import { newToken, TOKEN_PREFIX } from '../../libs/security/tokens.js';
import { OAUTH_TOKEN_LENGTH } from './oauth-server.js';
import type { OAuthClientRow } from './oauth.repository.js';
import { consentPage, escapeHtml, formTarget, loginPage } from './pages.js';

const HOSTILE = '"><script>alert(1)</script>';

const app: OAuthClientRow = {
  id: '7',
  name: `Helper ${HOSTILE}`,
  communityId: '1',
  communityName: `Riverside ${HOSTILE}`,
  scopes: [PartnerScope.ACT_FOR_MEMBER],
  redirectUris: ['https://partner.example/cb'],
  owner: HOSTILE,
  websiteUrl: `https://partner.example/${HOSTILE}`,
  logoUrl: `https://partner.example/logo.png${HOSTILE}`,
  contactEmail: HOSTILE,
};

describe('sign-in and consent pages', () => {
  it('escape every value a partner or a member chose', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const pages = [
      loginPage('uid', app, { status: 401, message: HOSTILE }, HOSTILE).html,
      consentPage(
        'uid',
        app,
        { displayName: HOSTILE, email: HOSTILE },
        [PartnerScope.ACT_FOR_MEMBER],
        app.redirectUris[0],
      ).html,
    ];
    for (const html of pages) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('run no script, cannot be framed, and let the consent form end only at this server or the redirect URI', () => {
    const { csp } = consentPage(
      'uid',
      app,
      { displayName: 'Ada', email: 'ada@example.org' },
      [PartnerScope.ACT_FOR_MEMBER],
      'https://partner.example/cb?x=1',
    );
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src https:; /);
    expect(csp).toContain("form-action 'self' https://partner.example;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(loginPage('uid', app, null).csp).toContain("form-action 'self';");
    expect(formTarget('com.example.app:/callback')).toBe('com.example.app:');
  });

  it("tell OAuth access tokens from Pumasi's own tokens by length alone", () => {
    expect(newToken(TOKEN_PREFIX.access)).toHaveLength(OAUTH_TOKEN_LENGTH + 3);
    expect(OAUTH_TOKEN_LENGTH).toBe(43);
  });
});
