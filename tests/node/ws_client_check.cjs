// Drives the real server with npm's `ws` (v8) as the client: it closes the connection on any
// frame that breaks RFC 6455, so a run that ends cleanly means every frame was well formed.
// Usage: node ws_client_check.cjs URL HANDLE PASSWORD
// Prints one line of figures; exits non-zero on any failure.
const WebSocket = require("ws");

const [url, handle, password] = process.argv.slice(2);
const fail = (why) => { console.error(`ws@8 check failed: ${why}`); process.exit(1); };
setTimeout(() => fail("timed out"), 20000).unref();

const ws = new WebSocket(url, { perMessageDeflate: false });
let next = 0;
const waiting = new Map();
let frames = 0, events = 0, bytes = 0;
const call = (request) => new Promise((resolve) => {
  const id = `n${++next}`;
  waiting.set(id, resolve);
  ws.send(JSON.stringify({ id, ...request }));
});

ws.on("error", (e) => fail(`socket error: ${e.message}`));
ws.on("close", (code, reason) => { if (!done) fail(`closed ${code} ${reason}`); });
ws.on("message", (data, isBinary) => {
  if (isBinary) fail("a binary frame from the server");
  frames++;
  bytes += data.length;
  const frame = JSON.parse(data.toString("utf8"));
  if (frame.reply_to && waiting.has(frame.reply_to)) {
    waiting.get(frame.reply_to)(frame);
    waiting.delete(frame.reply_to);
  } else if (frame.event) {
    events++;
  }
});

let done = false;
ws.on("open", async () => {
  const expect = (frame, what) => { if (!frame.ok) fail(`${what}: ${JSON.stringify(frame.error)}`); return frame.result; };
  expect(await call({ type: "hello", versions: [1], client: "ws@8-check" }), "hello");
  expect(await call({ type: "login", handle, password }), "login");
  const rooms = expect(await call({ type: "list_rooms" }), "list_rooms").rooms;
  if (rooms.length === 0) fail("no rooms");
  const room = rooms[0].id;
  expect(await call({ type: "join", room_id: room }), "join");
  // Small, multi-byte, and large (several server fragments) bodies, echoed back as events.
  const bodies = ["hallo", "κόσμε ëïé 😀", "x".repeat(7000)];
  for (const body of bodies) expect(await call({ type: "post", room_id: room, body }), "post");
  const history = expect(await call({ type: "history", room_id: room, limit: 50 }), "history");
  for (const body of bodies)
    if (!history.messages.some((m) => m.body === body)) fail(`history lacks a ${body.length}-character body`);
  const bad = await call({ type: "no_such_request" });
  if (bad.ok || bad.error.code !== "unknown_type") fail("an unknown request was not refused");
  // A ping from the client is answered by the server's stack.
  await new Promise((resolve) => { ws.once("pong", resolve); ws.ping("peil"); });
  done = true;
  ws.close(1000, "klaar");
  ws.once("close", (code) => {
    console.log(`ws@8: ${frames} frames (${events} events, ${bytes} bytes) well formed; close answered with ${code}`);
    process.exit(code === 1000 ? 0 : 1);
  });
});
