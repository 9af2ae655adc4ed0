// The benchmark: vraagbaak side by side with three peer broadcast servers, in one run.
// Usage: node tests/bench/run.cjs --build DIR [--quick] [--tiny] [--reps N] [--out DIR]
//        [--servers vraagbaak,websocketpp,beast-naive,node-ws] [--workloads F1,F2,F3,F4,D1,I1,H1,H2]
// Every server is pinned to CPU 0 and the generator to CPU 1 (taskset); repetitions are
// interleaved across servers; medians and ranges are reported. Writes OUT/bench.json (every
// figure of every run) and OUT/bench.md (the table), and prints the table.
"use strict";
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const build = path.resolve(value("--build", "build/bench"));
const tiny = flag("--tiny");  // the test suite's variant: seconds, small numbers, two servers
const quick = flag("--quick") || tiny;
const reps = Number(value("--reps", tiny ? 1 : quick ? 1 : 3));
const out = path.resolve(value("--out", path.join(build, "bench")));
const source = path.resolve(__dirname, "..", "..");
const tools = path.join(build, "tests");
const members = tiny ? 50 : 1000;
const seconds = tiny ? 1 : quick ? 2 : 5;
const fanOutPublishers = tiny ? 5 : 10;
const h1Joins = tiny ? 50 : 1000;  // H1: joins a second, by h1Joiners members
const h1Joiners = tiny ? 5 : 100;
const password = "bench-wachtwoord";

const cpus = os.cpus().length;
const pin = (cpu) => (cpus >= 2 && spawnSync("taskset", ["--version"]).status === 0 ? ["taskset", "-c", String(cpu)] : []);

function nodePeersDir() {
  for (const dir of [path.join(tools, "node"), path.join(build, "tests", "node")])
    if (fs.existsSync(path.join(dir, "node_modules", "ws"))) return path.join(dir, "node_modules");
  const dir = path.join(tools, "node");
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(source, "tests", "node", "package.json"), path.join(dir, "package.json"));
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
  return r.status === 0 ? path.join(dir, "node_modules") : null;
}

const servers = {
  vraagbaak: {
    mode: "vraagbaak",
    start(work, rooms) {
      const db = path.join(work, `vraagbaak-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
      const seeded = spawnSync(path.join(tools, "vraagbaak-bench-seed"), [db, String(members_total()), String(rooms), password]);
      if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
      return [...pin(0), path.join(build, "server", "vraagbaak-server"), "--listen", "127.0.0.1:0", "--db", db, "--threads", "1",
        "--requests-per-second", "0", "--max-connections-per-address", "0", "--log-level", "warn"];
    },
  },
  websocketpp: { mode: "raw", start: () => [...pin(0), path.join(tools, "wspp-broadcast")] },
  "beast-naive": { mode: "raw", start: () => [...pin(0), path.join(tools, "beast-broadcast")] },
  "node-ws": {
    mode: "raw",
    env: () => ({ NODE_PATH: nodePeersDir() }),
    start: () => [...pin(0), "node", path.join(source, "tests", "bench", "peers", "ws_broadcast.cjs")],
  },
};
// The floor for F1's CPU per delivery (tests/bench/peers/floor_broadcast.cpp): a frame built
// once and written with one send() per delivery, or one io_uring submission per fan-out, and
// nothing else. Not a peer (no queues): in F1 only, where every delivery is written when due.
const floors = {
  "floor-write": { mode: "raw", start: () => [...pin(0), path.join(tools, "floor-broadcast"), "write"] },
  "floor-uring": { mode: "raw", start: () => [...pin(0), path.join(tools, "floor-broadcast"), "uring"] },
};
const hasUring = () => spawnSync("pkg-config", ["--exists", "liburing"]).status === 0;
const specOf = (name) => servers[name] ?? floors[name];
let currentMembers = members;
const members_total = () => currentMembers;

function startServer(name, work, rooms) {
  const spec = specOf(name);
  const argv = spec.start(work, rooms);
  const env = { ...process.env, ...(spec.env ? spec.env() : {}) };
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${text}`)), 15000);
    child.stdout.on("data", (d) => {
      text += d;
      const m = /listening on (?:ws:\/\/127\.0\.0\.1:)?(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on("data", (d) => { text += d; });
    child.on("exit", (code) => reject(new Error(`${name} exited (${code}): ${text}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

function loadgen(extra) {
  const argv = [...pin(1), path.join(tools, "vraagbaak-loadgen"), "--password", password, ...extra];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 300000 });
  if (r.status !== 0) throw new Error(`loadgen failed (${r.status}): ${r.stderr}`);
  process.stderr.write(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

// Per CPU, the ticks so far and how many of them the hypervisor gave to someone else (steal):
// on a shared virtual machine that is the noise a run's figures carry.
function cpuTicks() {
  const rows = {};
  for (const line of fs.readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const t = m[2].trim().split(/\s+/).map(Number);
    rows[m[1]] = { total: t.slice(0, 8).reduce((a, b) => a + b, 0), steal: t[7] ?? 0 };
  }
  return rows;
}
const stealShares = (before, after) => [0, 1].map((c) => {
  const a = after[c], b = before[c];
  return a && b && a.total > b.total ? (a.steal - b.steal) / (a.total - b.total) : 0;
});

// H1's joiners measure latency on CPU 1 while the F1 generator keeps that CPU busy; at ordinary
// priority the joiners' own wait for the CPU (reported as their send lag, p99 4-5 ms) was most
// of what they measured. Run at real-time priority where allowed (root, CAP_SYS_NICE), they use
// little CPU and measure the server, not the scheduler; the run says which it was.
const realtime = () => (spawnSync("chrt", ["-f", "10", "true"]).status === 0 ? ["chrt", "-f", "10"] : []);

// The same, without waiting: for several generators at once. `prefix` goes before the command.
function loadgenAsync(extra, prefix = []) {
  const argv = [...prefix, ...pin(1), path.join(tools, "vraagbaak-loadgen"), "--password", password, ...extra];
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let text = "", err = "";
    p.stdout.on("data", (d) => { text += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code) => {
      process.stderr.write(err);
      if (code !== 0) return reject(new Error(`loadgen failed (${code}): ${err}`));
      resolve(JSON.parse(text.trim().split("\n").pop()));
    });
  });
}

// One run: a fresh server, one load, the figures.
async function run(name, workload, load, shape, extra = [], duration = seconds) {
  currentMembers = shape.connections;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "vraagbaak-bench-"));
  const { child, port } = await startServer(name, work, shape.rooms);
  try {
    const ticks = cpuTicks();
    const result = loadgen(["--mode", specOf(name).mode, "--port", String(port), "--server-pid", String(child.pid),
      "--connections", String(shape.connections), "--rooms", String(shape.rooms), "--publishers", String(shape.publishers),
      "--rate", String(shape.rate(load)), "--duration", String(duration), "--drain", "2",
      "--label", `${workload} ${name} ${load}`, ...extra]);
    return { server: name, workload, load, ...result, steal_share: stealShares(ticks, cpuTicks()) };
  } finally {
    await stop(child);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// I1: n logged-in idle connections from several generator processes (one process may hold at
// most 20,000 descriptors here), the server's memory per connection and the login rate.
async function runIdle(n) {
  currentMembers = n;
  const rooms = Math.max(1, Math.round(n / 1000));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "vraagbaak-bench-"));
  const { child, port } = await startServer("vraagbaak", work, rooms);
  try {
    const perProcess = 9500;
    const processes = Math.ceil(n / perProcess);
    const hold = tiny ? 1 : 3 + n / 2000;  // long enough for every process to be logged in
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: processes }, (_, k) => new Promise((resolve, reject) => {
      const count = Math.min(perProcess, n - k * perProcess);
      const argv = [...pin(1), path.join(tools, "vraagbaak-loadgen"), "--password", password, "--port", String(port),
        "--server-pid", String(child.pid), "--connections", String(count), "--rooms", String(rooms), "--publishers", "1",
        "--first-account", String(k * perProcess), "--idle", String(hold), "--label", `I1 ${n} part ${k}`];
      const p = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      p.stdout.on("data", (d) => { text += d; });
      p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(text.trim().split("\n").pop())) : reject(new Error(`I1 generator ${k} failed (${code})`))));
    })));
    const before = Math.min(...results.map((r) => r.server_rss_before_kb));
    const after = Math.max(...results.map((r) => r.server_rss_kb));
    const ready = results.reduce((a, r) => a + r.ready, 0);
    const connectS = Math.max(...results.map((r) => r.connect_and_login_s));
    const result = { server: "vraagbaak", workload: "I1", load: n, connections: n, ready, connect_and_login_s: connectS,
      logins_per_s: ready / connectS, server_rss_before_kb: before, server_rss_kb: after,
      kb_per_connection: (after - before) / n, wall_s: (Date.now() - started) / 1000 };
    process.stderr.write(`I1 ${n}: ${ready} held, ${result.kb_per_connection.toFixed(1)} KB of server memory each, ${Math.round(result.logins_per_s)} connects+logins/s\n`);
    return result;
  } finally {
    await stop(child);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// H1: F1 at 50k/s from one generator, the joiners from another, on one server.
async function runH1() {
  currentMembers = members;
  const load = tiny ? 5000 : 50000;
  const joinSeconds = tiny ? 2 : quick ? 4 : 8;
  const settle = tiny ? 1.5 : 3;  // the F1 generator's members logged in and posting
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "vraagbaak-bench-"));
  const { child, port } = await startServer("vraagbaak", work, 1);
  try {
    const common = ["--mode", "vraagbaak", "--port", String(port), "--server-pid", String(child.pid), "--rooms", "1", "--drain", "2"];
    const f1 = loadgenAsync([...common, "--connections", String(members - h1Joiners), "--publishers", String(fanOutPublishers),
      "--rate", String(load / members), "--duration", String(settle + joinSeconds + 1), "--label", `H1 vraagbaak F1 ${load}`]);
    f1.catch(() => {});  // awaited below; if the joins fail first, theirs is the error reported
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));
    const priority = realtime();
    const joins = await loadgenAsync([...common, "--connections", String(h1Joiners), "--first-account", String(members - h1Joiners),
      "--publishers", "1", "--rate", "0", "--duration", String(joinSeconds), "--joiners", String(h1Joiners),
      "--join-rate", String(h1Joins), "--history-limit", "100", "--label", `H1 vraagbaak joins ${h1Joins}`], priority);
    return { server: "vraagbaak", workload: "H1", load, ...(await f1), joins: { ...joins.joins, realtime_priority: priority.length > 0 } };
  } finally {
    await stop(child);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : 0; };
const range = (xs) => [Math.min(...xs), Math.max(...xs)];
const passes = (r) => r.delivered_within_1s_share >= 0.999 && r.latency_ms.p99 <= 50;

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const ulimit = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim();
  const machine = { cpus, model: os.cpus()[0].model, kernel: os.release(), memory_gib: Math.round(os.totalmem() / 2 ** 30), fd_limit: ulimit };
  const chosen = value("--servers", "").split(",").filter(Boolean);
  const workloads = value("--workloads", "F1,F2,F3,F4,D1,I1,H1,H2").split(",");
  const doing = (w) => workloads.includes(w);
  const names = tiny ? ["vraagbaak", "beast-naive"]
    : Object.keys(servers).filter((n) => (n !== "websocketpp" || fs.existsSync(path.join(tools, "wspp-broadcast"))) && (!chosen.length || chosen.includes(n)));
  const floorNames = Object.keys(floors).filter((n) => (n === "floor-write" || (!tiny && hasUring())) && (!chosen.length || chosen.includes(n)));
  const f1Names = [...names, ...floorNames];
  const runs = [];
  const ceilingArgs = [String(tiny ? 0.5 : 2), ...(cpus >= 2 ? ["0", "1"] : [])];
  const ceiling = JSON.parse(spawnSync(path.join(tools, "loopback-ceiling"), ceilingArgs, { encoding: "utf8" }).stdout);

  const fanOut = { connections: members, rooms: 1, publishers: fanOutPublishers, rate: (load) => load / members };
  const f1Loads = tiny ? [5000] : [50000, 90000];
  const f2Loads = tiny ? [10000] : quick ? [10000, 25000, 50000, 75000, 100000, 150000, 200000, 400000] : [10000, 25000, 50000, 75000, 100000, 150000, 200000, 300000, 400000, 500000];

  // F1: fixed loads, repetitions interleaved across servers.
  if (doing("F1")) for (let rep = 0; rep < reps; ++rep)
    for (const load of f1Loads)
      for (const name of f1Names) runs.push(await run(name, "F1", load, fanOut));

  // F2: step up until a load fails; capacity is the highest that passed.
  const capacities = Object.fromEntries(names.map((n) => [n, []]));
  if (doing("F2")) for (let rep = 0; rep < reps; ++rep)
    for (const name of names) {
      let best = 0;
      for (const load of f2Loads) {
        const r = await run(name, "F2", load, fanOut);
        runs.push(r);
        if (!passes(r)) break;
        best = load;
      }
      capacities[name].push(best);
    }

  // F3: many rooms, everyone posting (vraagbaak only: the peers have no rooms).
  const manyRooms = { connections: tiny ? 50 : 1000, rooms: tiny ? 5 : 100, publishers: tiny ? 50 : 1000, rate: (load) => load / 10 };
  if (doing("F3")) for (let rep = 0; rep < reps; ++rep) runs.push(await run("vraagbaak", "F3", tiny ? 500 : 10000, manyRooms));

  // F4: one member of the F1 room stops reading; against the same run without it.
  const f4Load = tiny ? 5000 : 50000;
  const f4Seconds = tiny ? 2 : quick ? 5 : 10;
  if (doing("F4")) for (let rep = 0; rep < reps; ++rep) {
    runs.push({ ...(await run("vraagbaak", "F4", f4Load, fanOut, [], f4Seconds)), stalled: false });
    runs.push({ ...(await run("vraagbaak", "F4", f4Load, fanOut, ["--stall-after", tiny ? "0.5" : "1"], f4Seconds)), stalled: true });
  }

  // H1: while F1 runs at 50k/s, members re-open the room (join, then the last 100 messages) at
  // 1,000 a second. The joiners are members like the others (they get the fan-out too) but have
  // a generator process of their own, as real clients would: sent from the one that also reads
  // every other member's fan-out, a join's reply waits in that generator's queue behind them
  // (3-4 ms of p99 here). Both generators share CPU 1.
  if (doing("H1")) for (let rep = 0; rep < reps; ++rep) runs.push(await runH1());

  // H2: a reconnect storm: every member but one drops, 100 messages are posted, all resume at once.
  const stormMissed = tiny ? 20 : 100;
  if (doing("H2")) for (let rep = 0; rep < reps; ++rep) {
    currentMembers = members;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vraagbaak-bench-"));
    const { child, port } = await startServer("vraagbaak", work, 1);
    try {
      const r = loadgen(["--mode", "vraagbaak", "--port", String(port), "--server-pid", String(child.pid), "--connections", String(members),
        "--rooms", "1", "--publishers", "1", "--storm", String(stormMissed), "--label", `H2 vraagbaak ${members}`]);
      runs.push({ server: "vraagbaak", workload: "H2", load: members, ...r });
    } finally {
      await stop(child);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  // D1: durable posts, 100 publishers over 100 rooms, each acknowledged only after its commit
  // (synchronous=FULL); capacity = highest rate with ≥ 99.9 % acknowledged and ack p99 ≤ 20 ms.
  const durable = { connections: tiny ? 10 : 100, rooms: tiny ? 10 : 100, publishers: tiny ? 10 : 100, rate: (load) => load };
  const d1Loads = tiny ? [200] : [1000, 2000, 5000, 10000, 20000, 40000];
  let d1Best = 0;
  if (doing("D1"))
    for (const load of d1Loads) {
      const r = await run("vraagbaak", "D1", load, durable);
      runs.push(r);
      if (!(r.acknowledged >= 0.999 * r.sent && r.ack_latency_ms.p99 <= 20)) break;
      d1Best = load;
    }

  // I1: idle connections (vraagbaak only: memory per logged-in connection).
  const idleCounts = !doing("I1") ? [] : tiny ? [40] : [10000, 19000];
  for (const n of idleCounts) runs.push(await runIdle(n));

  // The summary.
  const summary = { machine, ceiling, f1: {}, f2_capacity: {}, f3: {}, i1: {} };
  for (const r of runs.filter((x) => x.workload === "I1"))
    summary.i1[r.load] = { held: r.ready, kb_per_connection: r.kb_per_connection, logins_per_s: r.logins_per_s };
  for (const name of f1Names) {
    summary.f1[name] = {};
    for (const load of f1Loads) {
      const rs = runs.filter((r) => r.workload === "F1" && r.server === name && r.load === load);
      summary.f1[name][load] = {
        p50_ms: median(rs.map((r) => r.latency_ms.p50)), p99_ms: median(rs.map((r) => r.latency_ms.p99)),
        p99_9_ms: median(rs.map((r) => r.latency_ms.p99_9)), p99_range_ms: range(rs.map((r) => r.latency_ms.p99)),
        cpu_us_per_delivery: median(rs.map((r) => r.server_cpu_us_per_delivery)),
        delivered_share: median(rs.map((r) => r.delivered_share)), generator_bound: rs.some((r) => r.generator_bound),
      };
    }
    if (floorNames.includes(name)) continue;
    summary.f2_capacity[name] = { median: median(capacities[name]), range: range(capacities[name]),
      of_one_per_write_ceiling: median(capacities[name]) / ceiling.one_per_write_deliveries_per_s,
      of_eight_per_write_ceiling: median(capacities[name]) / ceiling.eight_per_write_deliveries_per_s };
  }
  const f3 = runs.filter((r) => r.workload === "F3");
  summary.f3 = { offered_deliveries_per_s: f3[0]?.offered_deliveries_per_s, p99_ms: median(f3.map((r) => r.latency_ms.p99)),
    delivered_share: median(f3.map((r) => r.delivered_share)), acknowledged: median(f3.map((r) => r.acknowledged)) };

  const f4 = runs.filter((r) => r.workload === "F4");
  const f4Of = (stalled) => f4.filter((r) => r.stalled === stalled);
  summary.f4 = { load: f4Load, seconds: f4Seconds,
    p99_ms_without: median(f4Of(false).map((r) => r.latency_ms.p99)), p99_ms_with: median(f4Of(true).map((r) => r.latency_ms.p99)),
    rss_max_kb_without: median(f4Of(false).map((r) => r.server_rss_max_kb)), rss_max_kb_with: median(f4Of(true).map((r) => r.server_rss_max_kb)),
    delivered_share_with: median(f4Of(true).map((r) => r.delivered_share)) };
  const h1 = runs.filter((r) => r.workload === "H1");
  summary.h1 = { joins_per_s: h1Joins, join_p50_ms: median(h1.map((r) => r.joins.latency_ms.p50)), join_p99_ms: median(h1.map((r) => r.joins.latency_ms.p99)),
    joins_completed: median(h1.map((r) => r.joins.completed)), joins_sent: median(h1.map((r) => r.joins.sent)),
    f1_p99_ms: median(h1.map((r) => r.latency_ms.p99)), delivered_share: median(h1.map((r) => r.delivered_share)),
    join_reply_p50_ms: median(h1.map((r) => r.joins.join_reply_ms.p50)), join_reply_p99_ms: median(h1.map((r) => r.joins.join_reply_ms.p99)),
    send_lag_p50_ms: median(h1.map((r) => r.joins.send_lag_ms.p50)), send_lag_p99_ms: median(h1.map((r) => r.joins.send_lag_ms.p99)),
    joiners_realtime: h1.every((r) => r.joins.realtime_priority) };
  const h2 = runs.filter((r) => r.workload === "H2");
  summary.h2 = { receivers: h2[0]?.receivers, missed_each: stormMissed, all_caught_up_s: median(h2.map((r) => r.all_caught_up_s)),
    all_caught_up_s_range: range(h2.map((r) => r.all_caught_up_s)), receivers_missing_messages: Math.max(0, ...h2.map((r) => r.receivers_missing_messages)),
    duplicates: Math.max(0, ...h2.map((r) => r.duplicates)), database_queries: median(h2.map((r) => r.database_queries)) };

  const stolen = runs.filter((r) => r.steal_share);
  summary.steal = [0, 1].map((c) => ({ cpu: c, median: median(stolen.map((r) => r.steal_share[c])), max: Math.max(0, ...stolen.map((r) => r.steal_share[c])) }));

  const lines = [];
  lines.push(`Machine: ${machine.cpus} CPUs (${machine.model}), Linux ${machine.kernel}; servers on CPU 0, generator on CPU 1; ${reps} repetition(s), ${seconds} s per run.`);
  lines.push(`Steal time (the CPU given to other guests) during the runs: ${summary.steal.map((s) => `CPU ${s.cpu} median ${(s.median * 100).toFixed(1)} %, worst ${(s.max * 100).toFixed(1)} %`).join("; ")}.`);
  lines.push(`Loopback ceiling: ${Math.round(ceiling.one_per_write_deliveries_per_s)} deliveries/s at one 100-byte write each, ${Math.round(ceiling.eight_per_write_deliveries_per_s)} at 8 per write.`);
  if (doing("F1")) {
    lines.push("");
    lines.push("| server | F1 load | p50 ms | p99 ms (range) | p99.9 ms | CPU µs/delivery | delivered |");
    lines.push("|---|---|---|---|---|---|---|");
    for (const name of f1Names)
      for (const load of f1Loads) {
        const s = summary.f1[name][load];
        lines.push(`| ${name} | ${load / 1000}k/s | ${s.p50_ms.toFixed(2)} | ${s.p99_ms.toFixed(2)} (${s.p99_range_ms.map((x) => x.toFixed(1)).join("–")}) | ${s.p99_9_ms.toFixed(2)} | ${s.cpu_us_per_delivery.toFixed(2)} | ${(s.delivered_share * 100).toFixed(2)} %${s.generator_bound ? " (generator-bound)" : ""} |`);
      }
  }
  // Issue 8 asks for F1 CPU per delivery ≤ 0.6× the naive Beast peer's; the floors show what
  // one write per delivery costs by itself on this machine in the same run.
  if (doing("F1") && names.includes("beast-naive") && floorNames.length) {
    summary.f1_cpu_of_naive_beast = {};
    for (const load of f1Loads) {
      const beast = summary.f1["beast-naive"][load].cpu_us_per_delivery;
      summary.f1_cpu_of_naive_beast[load] = Object.fromEntries(f1Names.map((n) => [n, summary.f1[n][load].cpu_us_per_delivery / beast]));
      const shares = Object.entries(summary.f1_cpu_of_naive_beast[load]).filter(([n]) => n !== "beast-naive")
        .map(([n, x]) => `${n} ${x.toFixed(2)}×`).join(", ");
      lines.push(`F1 ${load / 1000}k/s, CPU per delivery against the naive Beast peer's (${beast.toFixed(2)} µs; issue 8 asks ≤ 0.6×, ${(0.6 * beast).toFixed(2)} µs): ${shares}.`);
    }
  }
  if (doing("F2")) {
    lines.push("");
    lines.push("| server | F2 capacity (deliveries/s, ≥ 99.9 % within 1 s and p99 ≤ 50 ms) | range | of 1-per-write ceiling | of 8-per-write ceiling |");
    lines.push("|---|---|---|---|---|");
    for (const name of names) {
      const c = summary.f2_capacity[name];
      const shown = (x) => (x === 0 ? `< ${f2Loads[0]}` : String(x));
      lines.push(`| ${name} | ${shown(c.median)} | ${c.range.map(shown).join("–")} | ${(c.of_one_per_write_ceiling * 100).toFixed(0)} % | ${(c.of_eight_per_write_ceiling * 100).toFixed(0)} % |`);
    }
  }
  if (doing("F3")) {
    lines.push("");
    lines.push(`F3 (vraagbaak, ${manyRooms.rooms} rooms × ${manyRooms.connections / manyRooms.rooms}, all posting, ${Math.round(summary.f3.offered_deliveries_per_s)} deliveries/s): p99 ${summary.f3.p99_ms.toFixed(2)} ms, delivered ${(summary.f3.delivered_share * 100).toFixed(2)} %, ${summary.f3.acknowledged} posts acknowledged.`);
  }
  if (doing("F4")) {
    const s4 = summary.f4;
    lines.push(`F4 (vraagbaak, F1 at ${f4Load / 1000}k/s for ${f4Seconds} s, one of ${members} members stops reading): the others' p99 ${s4.p99_ms_with.toFixed(2)} ms against ${s4.p99_ms_without.toFixed(2)} ms without it (${((s4.p99_ms_with / s4.p99_ms_without - 1) * 100).toFixed(0)} %); server peak RSS ${Math.round(s4.rss_max_kb_with / 1024)} MiB against ${Math.round(s4.rss_max_kb_without / 1024)} MiB; the others got ${(s4.delivered_share_with * 100).toFixed(2)} %.`);
  }
  if (doing("H1")) {
    const s1 = summary.h1;
    lines.push(`H1 (vraagbaak, ${s1.joins_per_s} joins/s each fetching the last 100 messages while F1 runs at ${tiny ? 5 : 50}k/s): join to history complete p50 ${s1.join_p50_ms.toFixed(2)} ms, p99 ${s1.join_p99_ms.toFixed(2)} ms (${s1.joins_completed}/${s1.joins_sent} completed); F1 p99 meanwhile ${s1.f1_p99_ms.toFixed(2)} ms, ${(s1.delivered_share * 100).toFixed(2)} % delivered. Of that, the join's own reply p50 ${s1.join_reply_p50_ms.toFixed(2)} / p99 ${s1.join_reply_p99_ms.toFixed(2)} ms, and the joiners' generator sent the joins late by p50 ${s1.send_lag_p50_ms.toFixed(2)} / p99 ${s1.send_lag_p99_ms.toFixed(2)} ms (its own share: it shares CPU 1 with the F1 generator${s1.joiners_realtime ? ", at real-time priority" : ", at ordinary priority (chrt not allowed)"}).`);
  }
  if (doing("H2")) {
    const s2 = summary.h2;
    lines.push(`H2 (vraagbaak, ${s2.receivers} members drop, ${s2.missed_each} messages are posted, all resume at once): all caught up in ${(s2.all_caught_up_s * 1000).toFixed(0)} ms (range ${s2.all_caught_up_s_range.map((x) => (x * 1000).toFixed(0)).join("–")}), ${s2.receivers_missing_messages} missing messages, ${s2.duplicates} duplicates, ${s2.database_queries} database queries (the ${s2.missed_each} posts' included).`);
  }
  if (doing("D1")) {
    const d1 = runs.filter((r) => r.workload === "D1");
    summary.d1 = { capacity_posts_per_s: d1Best, steps: d1.map((r) => ({ offered: r.load, acknowledged_per_s: r.acknowledged_per_s, ack_p50_ms: r.ack_latency_ms.p50, ack_p99_ms: r.ack_latency_ms.p99 })) };
    lines.push(`D1 (vraagbaak, ${durable.publishers} publishers over ${durable.rooms} rooms, acknowledged after COMMIT, synchronous=FULL, group commit): ${d1Best} posts/s with ack p99 ≤ 20 ms; ` +
      d1.map((r) => `${r.load}/s offered → ${Math.round(r.acknowledged_per_s)}/s acknowledged, ack p50 ${r.ack_latency_ms.p50.toFixed(2)} ms, p99 ${r.ack_latency_ms.p99.toFixed(2)} ms`).join("; ") + ".");
  }
  for (const n of idleCounts) {
    const s = summary.i1[n];
    lines.push(`I1 (vraagbaak, ${n} logged-in idle connections from ${Math.ceil(n / 9500)} generator process(es)): ${s.held} held, ${s.kb_per_connection.toFixed(1)} KB of server memory per connection, ${Math.round(s.logins_per_s)} connects+logins/s.`);
  }
  const table = lines.join("\n");
  fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify({ summary, runs }, null, 2));
  fs.writeFileSync(path.join(out, "bench.md"), table + "\n");
  console.log(table);
  console.log(`\nEvery figure: ${path.join(out, "bench.json")}`);
  if (tiny) {
    // The suite's check that the benchmark still works end to end: at these small loads every
    // server delivers everything.
    const short = runs.filter((r) => (r.workload === "I1" ? r.ready !== r.connections
                                      : r.workload === "D1" ? r.acknowledged !== r.sent
                                      : r.workload === "H2" ? r.caught_up !== r.receivers || r.duplicates !== 0
                                      : r.workload === "H1" && r.joins.completed !== r.joins.sent ? true
                                                          : r.delivered !== r.expected_deliveries || r.expected_deliveries === 0));
    console.log(`bench tiny: ${runs.length} runs, ${runs.length - short.length} delivered everything`);
    if (short.length) process.exit(1);
  }
}

main().catch((e) => { console.error(`bench: ${e.message}`); process.exit(1); });
