-- bench/proxy: the request script shared by every target (wrk -s users.lua).
-- Each request has a different path under /orders/ and a varying X-User-Id (10,000 users per wrk
-- thread, distinct across threads), so Cutover's sticky canary decision really runs per request.
-- done() prints one machine-readable line starting with "WRK " (latencies in microseconds).

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("thread_id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local counter = 0

function request()
   counter = counter + 1
   local user = "u" .. thread_id .. "-" .. (counter % 10000)
   return wrk.format("GET", "/orders/" .. (counter % 1000), { ["X-User-Id"] = user })
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRK requests=%d duration_us=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout))
end
