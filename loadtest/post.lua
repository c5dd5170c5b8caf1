-- wrk script: POST one JSON body (file named by $BODY) with the gateway key ($KEY, sent both as
-- x-api-key and as a Bearer token, which the mock and nginx ignore). Counts non-2xx answers so
-- the caller can tell a saturated server from a failing one.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
local key = os.getenv("KEY") or "bench"
wrk.headers["x-api-key"] = key
wrk.headers["authorization"] = "Bearer " .. key

function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
