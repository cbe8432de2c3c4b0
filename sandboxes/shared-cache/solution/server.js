// A small shop behind a shared cache. Product pages are the same for everyone, so the cache may
// keep and share them; validators let it check back cheaply. /me is personal, so no shared cache
// may keep it. Each instance loads the same catalogue, so anything derived from the content (the
// ETag) comes out the same on every instance; anything derived from the instance would not.
import http from 'node:http';
import crypto from 'node:crypto';

const SECRET = process.env.SESSION_SECRET || 'dev-only-secret';
const products = new Map(
  [
    { id: 'tea', name: 'Sencha green tea, 100 g', price: 850 },
    { id: 'mug', name: 'Blue stoneware mug', price: 1200 },
    { id: 'kettle', name: 'Gooseneck kettle', price: 4500 },
  ].map((p) => [p.id, p]),
);

// A signed token, so any instance can tell who is asking without shared session memory.
const sign = (user) => crypto.createHmac('sha256', SECRET).update(user).digest('base64url');
const tokenFor = (user) => `${user}.${sign(user)}`;

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// The user named by a valid token in the Authorization header or the session cookie, else null.
function currentUser(req) {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? readCookie(req, 'session');
  const [user, signature] = (token ?? '').split('.');
  return user && signature === sign(user) ? user : null;
}

// Same content, same tag, on every instance: the tag is a hash of what is sent.
const etagOf = (body) => `"${crypto.createHash('sha256').update(body).digest('hex').slice(0, 20)}"`;

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readJson(req) {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(raw || '{}'));
      } catch {
        resolve(null);
      }
    });
  });
}

function sendProduct(req, res, product) {
  const body = JSON.stringify(product);
  const etag = etagOf(body);
  // Shared caches keep it a minute; browsers check back each time (cheap, thanks to the ETag).
  const headers = { 'Cache-Control': 'public, s-maxage=60, max-age=0', ETag: etag };
  const inm = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim());
  if (inm.includes(etag) || inm.includes('*')) {
    res.writeHead(304, headers);
    return res.end();
  }
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
}

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://shop');
  const productId = /^\/products\/([\w-]+)$/.exec(pathname)?.[1];

  if (req.method === 'POST' && pathname === '/login') {
    const body = await readJson(req);
    if (!body || typeof body.user !== 'string' || !/^\w{1,30}$/.test(body.user)) {
      return send(res, 400, { error: 'Send {"user": "<letters or digits>"}' });
    }
    const token = tokenFor(body.user);
    return send(
      res,
      200,
      { user: body.user, token },
      {
        'Set-Cookie': `session=${token}; HttpOnly; SameSite=Lax; Path=/`,
      },
    );
  }

  if (req.method === 'GET' && pathname === '/me') {
    const user = currentUser(req);
    // Personal: only the shopper's own browser may keep it, never a shared cache.
    const headers = { 'Cache-Control': 'private, max-age=60', Vary: 'Cookie, Authorization' };
    if (!user) return send(res, 401, { error: 'Log in first' }, headers);
    return send(
      res,
      200,
      { user, greeting: `Hello, ${user}`, instance: process.env.INSTANCE },
      headers,
    );
  }

  if (req.method === 'GET' && pathname === '/products') {
    return send(res, 200, [...products.values()], {
      'Cache-Control': 'public, s-maxage=60, max-age=0',
    });
  }

  if (productId && req.method === 'GET') {
    const product = products.get(productId);
    if (!product) return send(res, 404, { error: `No product ${productId}` });
    return sendProduct(req, res, product);
  }

  if (productId && req.method === 'PUT') {
    const product = products.get(productId);
    const body = await readJson(req);
    if (!product) return send(res, 404, { error: `No product ${productId}` });
    if (!body) return send(res, 400, { error: 'Send a JSON object' });
    if (typeof body.name === 'string') product.name = body.name;
    if (Number.isInteger(body.price) && body.price >= 0) product.price = body.price;
    return send(res, 200, product, { 'Cache-Control': 'no-store' });
  }

  send(res, 404, { error: `No route for ${req.method} ${pathname}` });
});

server.listen(Number(process.env.PORT) || 3000, process.env.HOST || '127.0.0.1');
