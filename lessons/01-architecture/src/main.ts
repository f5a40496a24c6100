// TODO 5: the stdio entry point
//   Create the server with createServer() from ./server.js, passing an onEvent that logs each
//   lifecycle event to stderr (console.error), and connect it to a StdioServerTransport
//   (@modelcontextprotocol/sdk/server/stdio.js). Then log "listening on stdio" to stderr.
//   stdout is the protocol channel: newline-delimited JSON-RPC and nothing else.
export {};
