// TODO 5: the stdio entry point
//   Create the server with createServer() from ./server.js and connect it to a
//   StdioServerTransport (@modelcontextprotocol/sdk/server/stdio.js). Then log one line to
//   stderr with console.error(…) saying the server is ready.
//   Never console.log here: stdout is the protocol channel, and a stray line breaks the client.
export {};
