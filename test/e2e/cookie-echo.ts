/**
 * A lab server (an ES module, like every lab's) that shows the session cookie the browser sent,
 * setting one on the first visit, and an id of its own process, so a test can tell a restarted
 * server from the old one.
 */
export const COOKIE_ECHO = `import http from 'node:http';
import crypto from 'node:crypto';
const run = crypto.randomUUID().slice(0, 8);
http.createServer((req, res) => {
  const sent = /sid=([\\w-]+)/.exec(req.headers.cookie || '');
  if (!sent) res.setHeader('Set-Cookie', 'sid=' + crypto.randomUUID() + '; Path=/; SameSite=Lax');
  res.setHeader('content-type', 'text/html');
  res.end('<p>cookie: ' + (sent ? sent[1] : 'none') + '</p><p>run: ' + run + '</p>');
}).listen(Number(process.env.PORT), process.env.HOST);
`;
