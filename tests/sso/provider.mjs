// A real OpenID Connect provider (node-oidc-provider) on a free loopback port,
// for the single sign-on tests (tests/sso/conftest.py starts and stops it).
//
// Configured by a JSON argument:
//   {"clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
//    "accounts": {"<login>": {"email": ..., "email_verified": true, ...}}}
// It prints {"issuer": "http://127.0.0.1:<port>"} on one line once it listens.
//
// Sign-in is node-oidc-provider's development interaction: a plain HTML form
// (login = the account's key, any password) that a test posts with plain HTTP;
// consent is granted without asking (loadExistingGrant).
//
// What a test may make the token endpoint return instead of the genuine ID
// token, set by POST /__test__/id-token {"mode": ...} (reset with "genuine"):
//   tampered       the payload changed (another subject), signature kept;
//   foreign-key    signed by another key under the provider's key id;
//   audience       re-signed with the provider's key for another client id;
//   issuer         re-signed with the provider's key naming another issuer;
//   expired        re-signed with the provider's key, expired an hour ago;
//   nonce          re-signed with the provider's key, with another nonce.

import { createServer } from 'node:http';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || '{}');
const accounts = config.accounts || {};
let mode = 'genuine';

function rsaKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey, jwk: { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

const kid = randomUUID();
const genuineKey = rsaKey(kid);
const foreignKey = rsaKey(kid); // an attacker's key, under the provider's key id

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());

function sign(header, payload, key) {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.pem).toString('base64url');
  return `${input}.${signature}`;
}

function rewrite(idToken) {
  const [h, p, s] = idToken.split('.');
  const header = decode(h);
  const payload = decode(p);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'tampered':
      return `${h}.${b64({ ...payload, sub: 'someone-else' })}.${s}`;
    case 'foreign-key':
      return sign(header, payload, foreignKey);
    case 'audience':
      return sign(header, { ...payload, aud: 'another-client', azp: 'another-client' }, genuineKey);
    case 'issuer':
      return sign(header, { ...payload, iss: `${payload.iss}/another` }, genuineKey);
    case 'expired':
      return sign(header, { ...payload, iat: now - 7200, exp: now - 3600 }, genuineKey);
    case 'nonce':
      return sign(header, { ...payload, nonce: 'not-the-nonce-sent' }, genuineKey);
    default:
      return idToken;
  }
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: (config.clients || []).map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [genuineKey.jwk] },
    cookies: { keys: [randomUUID()] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'employee_id'],
    },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test__/id-token' && ctx.method === 'POST') {
      const chunks = [];
      for await (const chunk of ctx.req) chunks.push(chunk);
      mode = JSON.parse(Buffer.concat(chunks).toString() || '{}').mode || 'genuine';
      ctx.body = { mode };
      return;
    }
    await next();
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: rewrite(ctx.body.id_token) };
    }
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
