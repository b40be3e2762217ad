-- wrk script: readers posting replies through the LEAVE A REPLY form, as fast as the server takes them.
--
-- bench/run.py fetches the article page, reads the form's hidden fields
-- (the signed token, parent, the empty honeypot), waits until the token is
-- old enough, and passes them in BENCH_POST_FIELDS (already URL-encoded),
-- with the form's action in BENCH_POST_PATH. Every request gets its own
-- comment text and email, so the duplicate rule lets it through, and its own
-- X-Forwarded-For address (the server runs with TRUSTED_PROXIES=127.0.0.1), so
-- flood control, which allows one reply per address and per email every
-- COMMENTS_FLOOD_SECONDS, refuses only true repeats. Every other spam rule
-- stays on. The status mix is reported (303 = accepted, held for moderation).

dofile("report.lua")

local path = os.getenv("BENCH_POST_PATH")
local fields = os.getenv("BENCH_POST_FIELDS")
local sent = 0
statuses = {}

function init(args)
   -- Distinct per thread and per run: a second round must not reuse the first round's addresses.
   math.randomseed(os.time() * 1000 + id)
   base = math.random(0, 2 ^ 22)
end

function request()
   sent = sent + 1
   local n = base + sent
   local tag = string.format("%d-%d-%d", id, n, math.random(1, 1000000000))
   local body = fields
      .. "&comment=Load-test+reply+" .. tag .. "%3A+the+council+should+publish+the+figures+first."
      .. "&author=Bench+Reader+" .. id
      .. "&email=reader-" .. tag .. "%40bench.invalid"
      .. "&url="
   local address = string.format("10.%d.%d.%d", (id * 64 + math.floor(n / 65536)) % 256, math.floor(n / 256) % 256, n % 256)
   local headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Forwarded-For"] = address,
   }
   return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end
