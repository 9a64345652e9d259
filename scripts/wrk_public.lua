-- wrk script for scripts/load_nothing_lost.sh: what the public does, in a fixed mix.
--   wrk -t2 -c64 -d60s -s scripts/wrk_public.lua http://127.0.0.1:8022 -- mix.txt TOKEN COOKIE
-- mix.txt: one request a line, "GET /path?query" or "POST /programs/<slug>/report/". A POST
-- sends a problem report with a marker of its own ("load-report-<thread>-<n>") and the CSRF
-- token and cookie given. At the end it prints one line, "RESULT {json}", of what it saw.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local lines = {}
local next_line = 0
local token, cookie
-- Per thread; done() reads them through thread:get.
sent_posts, accepted, refused, server_errors, other = 0, 0, 0, 0, 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path = line:match("^(%u+) (.+)$")
    if method then lines[#lines + 1] = { method = method, path = path } end
  end
  token, cookie = args[2], args[3]
  math.randomseed(id * 7919)
  next_line = math.random(#lines)  -- threads start at different places in the mix
end

function request()
  next_line = next_line % #lines + 1
  local line = lines[next_line]
  if line.method == "GET" then
    return wrk.format("GET", line.path)
  end
  sent_posts = sent_posts + 1
  local body = "csrfmiddlewaretoken=" .. token .. "&kind=phone&homepage=&contact_email="
    .. "&details=load-report-" .. id .. "-" .. sent_posts
  return wrk.format("POST", line.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status == 302 and location:find("/report/thanks/", 1, true) then
    accepted = accepted + 1
  elseif status >= 400 then
    refused = refused + 1
  elseif status ~= 200 then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = { sent_posts = 0, accepted = 0, refused = 0, server_errors = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f, '
      .. '"max_ms": %.1f, "non_2xx_3xx": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "posts_sent": %d, "reports_accepted": %d, "refused_4xx": %d, '
      .. '"server_errors": %d, "other_status": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, totals.sent_posts, totals.accepted,
    totals.refused, totals.server_errors, totals.other))
end
