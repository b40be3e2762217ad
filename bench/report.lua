-- wrk hooks shared by every bench/run.py measurement: one line of JSON at the end of a run.
--
-- wrk's own text summary rounds and changes units ("1.23ms", "2.10k"); the
-- numbers here are exact: latencies in microseconds, counts as integers.
-- A script that also defines response() (post.lua, readers.lua) fills the
-- global tables `statuses` (by HTTP status) and `cache` (by X-Page-Cache)
-- in each thread; done() adds them up.

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

local function added_up(name)
   local total = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get(name)
      if type(counts) == "table" then
         for key, n in pairs(counts) do
            total[tostring(key)] = (total[tostring(key)] or 0) + n
         end
      end
   end
   return total
end

function done(summary, latency, requests)
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
      statuses = added_up("statuses"),
      cache = added_up("cache"),
   }
   io.write("WRK_JSON " .. encode(result) .. "\n")
end
