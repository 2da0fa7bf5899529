-- The read mix for wrk (bench/load.py runs it when wrk is on PATH):
--   wrk -t N -c N -d 15s -s bench/wrk_read_mix.lua URL -- TOKEN1,TOKEN2 /v1/me,/v1/profile
-- One thread a connection (-t = -c), so each connection keeps one bearer token from the
-- list (connection i takes token i modulo the list) and sends the paths in turn, as the
-- Python generator's clients do. At the end one line `wrk-json {...}` gives the counts,
-- the errors and the latency distribution (microseconds) for load.py to parse.

local connections = 0

function setup(thread)
   thread:set("index", connections)
   connections = connections + 1
end

local function split(text)
   local items = {}
   for item in string.gmatch(text or "", "[^,]+") do
      items[#items + 1] = item
   end
   return items
end

local requests_ = {}
local turn = 0

function init(args)
   local tokens, paths = split(args[1]), split(args[2])
   local token = tokens[(index % #tokens) + 1]
   local headers = { ["Authorization"] = "Bearer " .. token }
   for i, path in ipairs(paths) do
      requests_[i] = wrk.format("GET", path, headers)
   end
   turn = index -- connections start at different paths of the mix
end

function request()
   turn = turn + 1
   return requests_[(turn % #requests_) + 1]
end

function done(summary, latency, requests)
   local e = summary.errors
   local parts = {
      string.format('"requests": %d', summary.requests),
      string.format('"duration_us": %d', summary.duration),
      string.format('"bytes": %d', summary.bytes),
      string.format('"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}',
         e.connect, e.read, e.write, e.status, e.timeout),
      string.format('"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}',
         latency:percentile(50), latency:percentile(90), latency:percentile(99),
         latency.max, latency.mean),
   }
   io.write("wrk-json {" .. table.concat(parts, ", ") .. "}\n")
end
