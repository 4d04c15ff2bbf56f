-- RedisCooldownHealth.recordFailure in one step, for one deployment: counts a failure that is the
-- deployment's fault and, when it cools the deployment down, sets the cooldown key. The rules are
-- CooldownHealth's: a rate limit cools down at once for ARGV[2] ms; another failure cools down for the
-- cooldown when it is the threshold-th in a row, or the first after a cooldown ended (probation). A
-- cooldown is never shortened.
--
-- KEYS[1] cooldown key: string, the cooldown's end (epoch ms, callers' clock); PX = until it ends
-- KEYS[2] record key: hash {failures = consecutive failures, until = end of the latest cooldown};
--         expires a cooldown after the later of now and that end, so stale counts and probations vanish
-- ARGV[1] now (epoch ms)   ARGV[2] rate-limit wait (ms), -1 when not rate limited
-- ARGV[3] failure threshold   ARGV[4] cooldown (ms)
-- Returns {consecutive failures, end of the cooldown in effect (epoch ms), 0 when none}.
local now = tonumber(ARGV[1])
local rateWait = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local cooldown = tonumber(ARGV[4])

local failures = redis.call('HINCRBY', KEYS[2], 'failures', 1)
local last = tonumber(redis.call('HGET', KEYS[2], 'until') or '-1')
local untilMs = -1
if rateWait >= 0 then
  untilMs = now + rateWait
elseif last >= 0 and now >= last then
  untilMs = now + cooldown -- on probation: the first failure after a cooldown
elseif failures >= threshold then
  untilMs = now + cooldown
end
if untilMs >= 0 and untilMs < last then
  untilMs = last -- never shortened
end
if untilMs > last then
  redis.call('HSET', KEYS[2], 'until', untilMs)
  last = untilMs
end
if last > now then
  redis.call('SET', KEYS[1], last, 'PX', last - now)
end
redis.call('PEXPIRE', KEYS[2], math.max(last, now) - now + cooldown)
if last > now then
  return {failures, last}
end
return {failures, 0}
