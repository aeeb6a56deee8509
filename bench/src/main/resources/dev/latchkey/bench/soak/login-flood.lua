-- The login flood of LoginFlood, for wrk: wrong passwords, half for the bench's existing accounts
-- (soak-0..19@example.com: the per-account throttle), half for unknown ones, from as many client
-- addresses as asked (X-Forwarded-For, which the auth server trusts from 127.0.0.1). Arguments:
-- ACCOUNTS ADDRESSES. At the end, one "status CODE COUNT" line per answer status and a "timeouts N"
-- line (requests wrk gave up on).
local accounts, addresses = 10000, 256
local k = 0
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  accounts = tonumber(args[1]) or accounts
  addresses = tonumber(args[2]) or addresses
end

function request()
  k = k + 1
  local i = k % accounts
  local email
  if k % 2 == 0 then
    email = "soak-" .. (i % 20) .. "@example.com"
  else
    email = "flood-" .. i .. "@example.com"
  end
  local a = k % addresses
  local address = "10." .. math.floor(a / 65536) % 256 .. "." .. math.floor(a / 256) % 256 .. "." .. a % 256
  return wrk.format("POST", "/api/login",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = address },
    '{"email":"' .. email .. '","password":"wrong password ' .. k .. '"}')
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d %d\n", status, n))
  end
  io.write(string.format("timeouts %d\n", summary.errors.timeout))
end
