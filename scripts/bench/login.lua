-- wrk script: POST /api/auth/login, each request with a code never sent before (new users every time;
-- the fake WeChat accepts any code). BENCH_CODE_PREFIX keeps codes of different runs apart.
local prefix = os.getenv("BENCH_CODE_PREFIX") or "bench"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  n = n + 1
  local body = '{"code":"' .. prefix .. "_" .. tostring(tid) .. "_" .. n .. '"}'
  return wrk.format("POST", "/api/auth/login", { ["Content-Type"] = "application/json" }, body)
end
