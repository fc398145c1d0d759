// A hello HTTP server on the standard library only: the app every base variant ships.
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
http
  .createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('hello from basebench\n');
  })
  .listen(port, () => console.log(`listening on :${port}`));
