-- wrk script for a fixed rate: POST one JSON body (file named by $BODY, key $KEY, as post.lua) at
-- RATE requests/s in total over THREADS wrk threads (-t, default 2), evenly spaced: each thread keeps
-- one schedule, a send every THREADS/RATE s, and a connection that finished its answer waits for the
-- next free slot of its thread (wrk's delay(), which wrk rounds to whole milliseconds). The threads'
-- schedules are offset by half an interval from each other. Latency is wrk's, from a request's send
-- to the last byte of its answer (1 µs resolution); as with any closed-loop client, a slot that finds
-- every connection still waiting is sent late, so compare the rate reached with RATE.
-- Prints one line: "p50 <ms> p90 <ms> p99 <ms> max <ms> requests <n> errors <n>".
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } junction_timespec;
int clock_gettime(int clk_id, junction_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("junction_timespec[1]")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts[0].tv_sec) * 1000 + tonumber(ts[0].tv_nsec) / 1e6
end

local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
local key = os.getenv("KEY") or "bench"
wrk.headers["x-api-key"] = key
wrk.headers["authorization"] = "Bearer " .. key

local rate = assert(tonumber(os.getenv("RATE")), "RATE (requests/s) must be set")
local threads = tonumber(os.getenv("THREADS") or "2")
local count = 0

function setup(thread)
  thread:set("index", count)
  count = count + 1
end

local interval, next_at
function init(args)
  interval = 1000 * threads / rate
  next_at = now_ms() + (index or 0) * interval / threads
end

function delay()
  local now = now_ms()
  if next_at < now then
    next_at = now -- behind (every connection was busy): send now, do not catch up with a burst
  end
  local wait = next_at - now
  next_at = next_at + interval
  return math.floor(wait + 0.5)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p50 %.3f p90 %.3f p99 %.3f max %.3f requests %d errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
