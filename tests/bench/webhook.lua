-- wrk script: POSTs pre-signed generic webhook bodies, each with a unique
-- message id, so every request runs 查询 for real (no dedupe shortcut).
-- The request file holds one "timestamp<TAB>signature<TAB>body" line per
-- request (tests/bench/gen_requests.py, stamped just before the run).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  local i = 0
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    if i % nthreads == tid then
      local ts, sig, body = line:match("^(%d+)\t(%S+)\t(.*)$")
      reqs[#reqs + 1] = wrk.format("POST", "/webhook/generic/bench",
        {["X-Cqod-Timestamp"] = ts, ["X-Cqod-Signature"] = sig,
         ["Content-Type"] = "application/json"}, body)
    end
    i = i + 1
  end
  idx = 0
end

function request()
  idx = idx + 1
  if idx > #reqs then idx = 1 end
  return reqs[idx]
end
