// The Node `ws` (v8) peer: a minimal broadcast server with the library's usual API, compression
// off. Every message received goes to every connection. Prints "listening on PORT".
// Usage: node ws_broadcast.cjs [PORT]   (NODE_PATH must reach the ws package)
const { WebSocketServer, WebSocket } = require("ws");

const server = new WebSocketServer({ host: "127.0.0.1", port: Number(process.argv[2] || 0), perMessageDeflate: false });
server.on("listening", () => console.log(`listening on ${server.address().port}`));
server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => {
    for (const client of server.clients)
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
});
