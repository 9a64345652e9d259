-- wrk script for scripts/fault_run.sh: one phase of the fault run, the public's mix of requests.
--   wrk -t2 -c16 -d15s -s scripts/wrk_fault.lua http://127.0.0.1:8023 -- mix.txt TOKEN COOKIE PHASE
-- mix.txt: one request a line, "GET /path?query" or "POST /programs/<slug>/report/". A POST
-- sends a problem report marked "fault-report-<phase>-<thread>-<n>" with the CSRF token and
-- cookie given. At the end it prints one line, "RESULT {json}", counting answers by kind.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local lines = {}
local next_line = 0
local token, cookie, phase
-- Per thread; done() reads them through thread:get.
sent_posts, accepted, ok, client_errors, unavailable, server_errors = 0, 0, 0, 0, 0, 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path = line:match("^(%u+) (.+)$")
    if method then lines[#lines + 1] = { method = method, path = path } end
  end
  token, cookie, phase = args[2], args[3], args[4]
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
    .. "&details=fault-report-" .. phase .. "-" .. id .. "-" .. sent_posts
  return wrk.format("POST", line.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status == 503 then
    unavailable = unavailable + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  elseif status == 302 and location:find("/report/thanks/", 1, true) then
    accepted = accepted + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local totals = { sent_posts = 0, accepted = 0, ok = 0, client_errors = 0, unavailable = 0,
                   server_errors = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "p50_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, '
      .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "posts_sent": %d, '
      .. '"reports_accepted": %d, "ok": %d, "client_errors": %d, "status_503": %d, '
      .. '"other_5xx": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.timeout,
    totals.sent_posts, totals.accepted, totals.ok, totals.client_errors, totals.unavailable,
    totals.server_errors))
end
