-- wrk hooks shared by every bench/run.py measurement: one line of JSON at the end of a run.
--
-- wrk's own text summary rounds and changes units ("1.23ms", "2.10k"); the
-- numbers here are exact: latencies in microseconds, counts as integers.
-- A script that also defines response() (post.lua) fills the global
-- `statuses` table in each thread; done() adds them up.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local function encode(value)
   local kind = type(value)
   if kind == "table" then
      local parts = {}
      for key, item in pairs(value) do
         table.insert(parts, string.format("%q:%s", tostring(key), encode(item)))
      end
      return "{" .. table.concat(parts, ",") .. "}"
   elseif kind == "number" then
      if value ~= value or value == math.huge or value == -math.huge then
         return "null"
      end
      return string.format("%.17g", value)
   elseif kind == "string" then
      return string.format("%q", value)
   end
   return tostring(value)
end

function done(summary, latency, requests)
   local statuses = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      if type(counts) == "table" then
         for code, n in pairs(counts) do
            statuses[tostring(code)] = (statuses[tostring(code)] or 0) + n
         end
      end
   end
   local result = {
      duration_us = summary.duration,
      requests = summary.requests,
      bytes = summary.bytes,
      errors = summary.errors,
      latency_us = {
         min = latency.min,
         max = latency.max,
         mean = latency.mean,
         stdev = latency.stdev,
         p50 = latency:percentile(50),
         p90 = latency:percentile(90),
         p99 = latency:percentile(99),
      },
      statuses = statuses,
   }
   io.write("WRK_JSON " .. encode(result) .. "\n")
end
