-- wrk script for bench/load.ts: GETs over random request paths read from BENCH_PATHS_FILE
-- (one per line), with the bearer key from BENCH_KEY; prints one JSON object when done.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do paths[#paths + 1] = line end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
math.randomseed(os.time())

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requestsPerSecond":%f,"p50":%f,"p99":%f,"p99_9":%f,"errors":%d,"non2xx":%d,"total":%d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests))
end
