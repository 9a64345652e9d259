-- wrk script: request the URLs of a file (one path a line) in turn, then print the figures.
--   wrk -t2 -c8 -d30s -s scripts/wrk_mix.lua http://127.0.0.1:8021 -- urls.txt
local urls = {}
local next_url = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then urls[#urls + 1] = line end
  end
  next_url = math.random(#urls)  -- threads start at different places in the mix
end

function request()
  next_url = next_url % #urls + 1
  return wrk.format("GET", urls[next_url])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests: %d in %.1f s = %.1f requests/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("latency ms: p50 %.1f  p90 %.1f  p95 %.1f  p99 %.1f  max %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: non-2xx/3xx %d, connect %d, read %d, write %d, timeout %d\n",
    e.status, e.connect, e.read, e.write, e.timeout))
end
