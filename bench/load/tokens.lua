-- wrk script for bench/load/distinct-tokens-wrk.sh: each request carries
-- "Authorization: Bearer <token>", cycling through the first COUNT lines of TOKENS_FILE.
--   wrk -tTHREADS ... -s bench/load/tokens.lua URL -- TOKENS_FILE COUNT THREADS
-- Every thread starts at its own offset, so threads do not send the same token at the same moment.
-- The requests are formatted once, in init: per request the script only picks the next one.
local threads = {}
local requests = {}
local n = 0
local i = 0

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  for line in io.lines(file) do
    if n >= count then break end
    n = n + 1
    requests[n] = wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. line })
  end
  if n < count then
    error(file .. " holds " .. n .. " tokens, fewer than " .. count)
  end
  local nthreads = tonumber(args[3] or "1")
  i = math.floor(n * (index or 0) / nthreads) % n
end

function request()
  i = i % n + 1
  return requests[i]
end
