-- RateLimitStore.tryAcquire in one step: a sliding window approximated by two fixed windows.
-- KEYS[1] the count of window n, KEYS[2] the count of window n - 1 (one Cluster slot via a hash tag).
-- ARGV[1] elapsed ms into window n, ARGV[2] window length ms, ARGV[3] permits, ARGV[4] limit,
-- ARGV[5] when window n's count may be deleted: the start of window n + 2, in epoch ms.
-- Grants when previous * (window - elapsed) + (current + permits) * window <= limit * window
-- (all below 2^53, exact in Lua's doubles). Returns {1 if granted else 0, previous, current before}.
local previous = tonumber(redis.call('GET', KEYS[2]) or 0)
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
local window = tonumber(ARGV[2])
local permits = tonumber(ARGV[3])
local fits = previous * (window - tonumber(ARGV[1])) + (current + permits) * window
    <= tonumber(ARGV[4]) * window
if not fits then
  return {0, previous, current}
end
if permits > 0 then
  redis.call('INCRBY', KEYS[1], ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[5])
end
return {1, previous, current}
