-- wrk script for bench/load.ts: GET /v1/call/{id} over random ids read from BENCH_IDS_FILE
-- (one per line), with the bearer key from BENCH_KEY; prints one JSON object when done.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS_FILE")) do ids[#ids + 1] = line end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/v1/call/" .. ids[math.random(#ids)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requestsPerSecond":%f,"p50":%f,"p99":%f,"p99_9":%f,"errors":%d,"non2xx":%d,"total":%d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests))
end
