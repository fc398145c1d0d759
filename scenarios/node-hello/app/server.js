// A hello HTTP server on the standard library only: the app every base variant ships.
// It prints basebench's timeline lines ("basebench-timeline entered|listening <CLOCK_MONOTONIC ns>";
// process.hrtime is CLOCK_MONOTONIC on Linux) so the harness can tell the runtime's start from the engine's.
'use strict';
console.log(`basebench-timeline entered ${process.hrtime.bigint()}`);
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
http
  .createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('hello from basebench\n');
  })
  .listen(port, () => {
    console.log(`basebench-timeline listening ${process.hrtime.bigint()}`);
    console.log(`listening on :${port}`);
  });
