-- wrk script: readers spread over the whole site, the newsroom at work's audience (bench/scenario.py).
--
-- BENCH_PATHS names a file of "weight path" lines, one page a line (every
-- URL of the sitemaps and the listing pages). Each request picks a page at
-- random in proportion to its weight, a long tail as on a real site. Each
-- response is counted by status and by X-Page-Cache (hit, stale, miss, or "none"
-- when the page cache did not answer for it).

dofile("report.lua")

local paths, cumulative, total = {}, {}, 0
statuses = {}
cache = {}

function init(args)
   math.randomseed(os.time() * 1000 + id)
   for line in io.lines(os.getenv("BENCH_PATHS")) do
      local weight, path = line:match("^(%S+)%s+(%S+)$")
      if path then
         total = total + tonumber(weight)
         table.insert(paths, path)
         table.insert(cumulative, total)
      end
   end
end

function request()
   local wanted, low, high = math.random() * total, 1, #cumulative
   while low < high do
      local middle = math.floor((low + high) / 2)
      if cumulative[middle] < wanted then low = middle + 1 else high = middle end
   end
   return wrk.format(nil, paths[low])
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   local state = headers["X-Page-Cache"] or headers["x-page-cache"] or "none"
   cache[state] = (cache[state] or 0) + 1
end
