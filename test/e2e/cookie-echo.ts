/** A lab server that shows the session cookie the browser sent, and sets one on the first visit. */
export const COOKIE_ECHO = `const http = require('node:http');
const crypto = require('node:crypto');
http.createServer((req, res) => {
  const sent = /sid=([\\w-]+)/.exec(req.headers.cookie || '');
  if (!sent) res.setHeader('Set-Cookie', 'sid=' + crypto.randomUUID() + '; Path=/; SameSite=Lax');
  res.setHeader('content-type', 'text/html');
  res.end('<p>cookie: ' + (sent ? sent[1] : 'none') + '</p>');
}).listen(Number(process.env.PORT), process.env.HOST);
`;
